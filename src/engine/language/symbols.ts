/**
 * The student's symbols, compared after normalising their spelling: `z_1`, `z_{1}` and `z1` are one
 * symbol; `\theta^2_{11}` and `\theta_{11}^2` too (a subscript is written as is, a superscript after
 * it as `^2`); `\hat{y}`, `ŷ` and `y_{hat}` are `yhat`; `\text{…}`, `\mathrm{…}` and blanks are
 * ignored, so `\text{out} O_1`, `out O_1` and `outO_1` are `outO1`; Greek letters are their names
 * (`\omega_5` and `ω₅` are `omega5`). Derivatives are recognised whatever their spelling:
 * `\frac{\partial J}{\partial \omega_5}`, `\frac{dJ}{dw_2}`, `dJ/dw_2`, `∂J/∂w₂`.
 */
import { lexMath, type Tok } from './latex';
import { SUBSCRIPTS, SUPERSCRIPTS } from './equations';
import type { Span } from './syntax';

/** Longest symbol, normalised; a longer one is a paste gone wrong. */
export const MAX_SYMBOL_LENGTH = 200;

const WRAPPERS = new Set(['text', 'textrm', 'textit', 'textbf', 'textsf', 'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathcal', 'operatorname', 'boldsymbol', 'bm', 'displaystyle', 'underline', 'boxed']);
const ACCENTS: Record<string, string> = { hat: 'hat', widehat: 'hat', bar: 'bar', overline: 'bar', tilde: 'tilde', widetilde: 'tilde', vec: 'vec', dot: 'dot' };
const GREEK: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda',
  μ: 'mu', ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
  Γ: 'Gamma', Δ: 'Delta', Θ: 'Theta', Λ: 'Lambda', Σ: 'Sigma', Φ: 'Phi', Ψ: 'Psi', Ω: 'Omega', ℓ: 'ell', '∂': 'partial', ϑ: 'vartheta',
};
const COMBINING: Record<string, string> = { '\u0302': 'hat', '\u0304': 'bar', '\u0303': 'tilde', '\u20d7': 'vec', '\u0307': 'dot' };

/** The text with typeset characters spelt out: ŷ → \\hat{y}, θ → \\theta, ₁ → _1, ² → ^2. */
function spellOut(text: string): string {
  const units: string[] = [];
  for (const ch of text.normalize('NFD')) {
    if (COMBINING[ch] && units.length) units.push(`\\${COMBINING[ch]}{${units.pop()!}}`);
    else if (ch >= '\u0300' && ch <= '\u036f') continue;
    else if (GREEK[ch]) units.push(`{\\${GREEK[ch]}}`);
    else if (SUBSCRIPTS.includes(ch)) units.push(`_${SUBSCRIPTS.indexOf(ch)}`);
    else if (SUPERSCRIPTS.includes(ch) && ch !== '⁻') units.push(`^${SUPERSCRIPTS.indexOf(ch)}`);
    else units.push(ch === '$' ? ' ' : ch);
  }
  return units.join('');
}

/** Reads tokens into the canonical spelling. */
class Normaliser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  /** Everything up to the end (or up to the `}` closing the group we are in). */
  run(inGroup = false): string {
    let out = '';
    let sups: string[] = [];
    const flush = () => { for (const s of sups) out += s.length > 1 ? `^{${s}}` : `^${s}`; sups = []; };
    for (let t = this.toks[this.i]; t; t = this.toks[this.i]) {
      if (t.kind === 'char' && t.text === '}') { if (inGroup) break; this.i++; continue; }
      this.i++;
      if (t.kind === 'char' && t.text === '_') { out += this.script(); continue; }
      if (t.kind === 'char' && t.text === '^') { sups.push(this.script()); continue; }
      flush();
      if (t.kind === 'char' && t.text === '{') { out += this.group(); continue; }
      if (t.kind === 'char' && t.text === '’') { out += "'"; continue; }
      if (t.kind !== 'cmd') { out += t.text; continue; }
      if (WRAPPERS.has(t.text)) out += this.argument();
      else if (ACCENTS[t.text]) { const a = this.argument(); out += a + ACCENTS[t.text]; } else if (/^[A-Za-z]+$/.test(t.text)) out += t.text;
      else if (t.text === '{' || t.text === '}') continue;
      else out += t.text;
    }
    flush();
    return out;
  }

  private group(): string {
    const inner = this.run(true);
    if (this.toks[this.i]?.text === '}') this.i++;
    return inner;
  }

  private argument(): string {
    const t = this.toks[this.i];
    if (!t) return '';
    this.i++;
    if (t.kind === 'char' && t.text === '{') return this.group();
    return t.kind === 'cmd' ? t.text : t.text;
  }

  private script(): string {
    const t = this.toks[this.i];
    if (!t) return '';
    if (t.kind === 'char' && t.text === '{') { this.i++; return this.group(); }
    this.i++;
    if (t.kind === 'cmd' && (WRAPPERS.has(t.text) || ACCENTS[t.text])) return this.argument() + (ACCENTS[t.text] ?? '');
    return t.text;
  }
}

/** The canonical spelling of a symbol as written; undefined when nothing is left of it. */
export function normalizeSymbol(written: string): string | undefined {
  const text = spellOut(written);
  const out = new Normaliser(lexMath(text, 0, text.length)).run();
  return out.length > 0 && out.length <= MAX_SYMBOL_LENGTH ? out : undefined;
}

/** A derivative as written, its two symbols normalised: `\frac{\partial J}{\partial a_3}` → J by a3. */
export interface WrittenDerivative { of: string; by: string }

const DERIVATIVE_MARK = /^(partial|d)(?=[A-Za-z])/;

/** The symbol after `d` or `∂`, normalised; undefined when the text does not start with one. */
function differential(text: string): string | undefined {
  const n = normalizeSymbol(text.trim());
  if (!n) return undefined;
  const m = DERIVATIVE_MARK.exec(n);
  return m && !n.startsWith('delta') ? n.slice(m[0].length) : undefined;
}

/** Recognises `\frac{∂X}{∂Y}` (also `\dfrac`, `\tfrac`, with `d` for ∂) and `dX/dY`, `∂X/∂Y`. */
export function derivativeOf(written: string): WrittenDerivative | undefined {
  const text = written.trim().replace(/^\$+|\$+$/g, '').trim();
  const frac = /^\\[dtc]?frac\s*\{/.exec(text);
  if (frac) {
    const num = braced(text, frac[0].length - 1);
    if (!num) return undefined;
    let rest = text.slice(num.end).trimStart();
    if (!rest.startsWith('{')) return undefined;
    const den = braced(rest, 0);
    if (!den || rest.slice(den.end).trim() !== '') return undefined;
    rest = rest.slice(1, den.end - 1);
    return pair(text.slice(num.start + 1, num.end - 1), rest);
  }
  const slash = topLevelSlash(text);
  return slash < 0 ? undefined : pair(text.slice(0, slash), text.slice(slash + 1));
}

function pair(of: string, by: string): WrittenDerivative | undefined {
  const a = differential(of);
  const b = differential(by);
  return a && b ? { of: a, by: b } : undefined;
}

/** The `{…}` group starting at `open` (which must be `{`), as the span of its braces. */
function braced(text: string, open: number): Span | undefined {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return { start: open, end: i + 1 };
  }
  return undefined;
}

/** The one `/` outside any brackets, or -1 (none, or more than one). */
function topLevelSlash(text: string): number {
  let depth = 0;
  let at = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === '/' && depth === 0) { if (at >= 0) return -1; at = i; }
  }
  return at;
}
