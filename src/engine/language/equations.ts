/**
 * Arithmetic as students write it, plain or LaTeX: `0.05 * 0.15 + 0.10 * 0.25 + 0.35`,
 * `\frac{1}{1 + e^{-0.3825}}`, `0,594(1-0,594)`, `4,33 \cdot 10^{-4}`, `\frac{1}{2}(0.751 - 0.01)^2`.
 *
 * A small recursive-descent parser over the tokens of latex.ts: + − * · × / ÷ `\cdot` `\times`
 * `\div`, implicit products (`0.741(1 − 0.741)`), powers `^`, `e^{…}`, `\exp`, `\sqrt`, `\ln`,
 * `\frac` (and `\dfrac`, `\tfrac`), parentheses, brackets and braces (`\left( … \right)` too), and
 * decorations that change nothing (`\underline{x}`, `\boxed{x}`, `\underbrace{x}_{(1)}`). Letters make
 * an expression symbolic: it is parsed (its symbols may say which operand is meant) but not evaluated.
 * Nesting and length are bounded, so no input can exhaust the stack; every error has its place. No eval.
 */
import { lexMath, type Tok } from './latex';
import { scanNumber } from './numbers';
import type { Span } from './syntax';

/** Longest expression read, in characters; longer ones are an error (`equation-too-long`). */
export const MAX_EQUATION_LENGTH = 4000;
/** Deepest nesting of parentheses, fractions and powers. */
export const MAX_EQUATION_DEPTH = 40;

export type Expr = Span & (
  | { k: 'num'; value: number; halfUnit: number }
  | { k: 'const'; value: number }
  /** A symbol: `x_1`, `\hat{y}`, `outh_1`, `\text{out} O_1` is two of them. */
  | { k: 'sym' }
  /** Something that is read but has no value: `\begin{cases}…\end{cases}`, `\textcircled{1}`. */
  | { k: 'opaque' }
  | { k: 'neg'; a: Expr }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Expr; b: Expr }
  | { k: 'fn'; fn: 'exp' | 'ln' | 'sqrt'; a: Expr }
) & {
  /** Written inside parentheses (or braces, brackets): `(0.0554 − 0.0190) 0.0121` is a product. */
  grouped?: boolean;
};

/** Why an expression cannot be read, and where. */
export interface EquationError extends Span {
  code: 'equation-unbalanced' | 'equation-expected-operand' | 'equation-too-deep' | 'equation-too-long' | 'equation-unexpected' | 'equation-numbers-adjacent';
  text: string;
}

const TRANSPARENT = new Set(['underline', 'boxed', 'overline', 'mathbf', 'boldsymbol', 'bm', 'cancel', 'bcancel', 'xcancel', 'mathit', 'mathrm', 'color', 'textcolor', 'underset', 'overset']);
const DROPPED_ARG = new Set(['vphantom', 'phantom', 'hphantom', 'label', 'tag']);
const FRACTIONS = new Set(['frac', 'dfrac', 'tfrac', 'cfrac']);
const PRODUCTS = new Set(['cdot', 'times', 'ast', 'div']);
/** Commands that are part of a symbol's name. */
const NAMING = new Set(['text', 'textrm', 'textit', 'textbf', 'mathrm', 'operatorname', 'mathit', 'mathsf', 'hat', 'widehat', 'bar', 'tilde', 'vec', 'dot']);
/** Typeset digits: ² is a power, ₁ part of a name. */
export const SUPERSCRIPTS = '⁰¹²³⁴⁵⁶⁷⁸⁹⁻';
export const SUBSCRIPTS = '₀₁₂₃₄₅₆₇₈₉';
const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

class Fail extends Error {
  constructor(readonly error: EquationError) { super(error.code); }
}

/** Parses `text[start, end)` as one expression. */
export function parseExpression(text: string, start: number, end: number): Expr | EquationError {
  if (end - start > MAX_EQUATION_LENGTH) return { code: 'equation-too-long', text: String(MAX_EQUATION_LENGTH), start, end };
  const p = new ExprParser(text, lexMath(text, start, end), end);
  try {
    if (p.done()) throw p.fail('equation-expected-operand', end, end);
    const e = p.sum();
    if (!p.done()) throw p.unexpected();
    return e;
  } catch (e) {
    if (e instanceof Fail) return e.error;
    throw e;
  }
}

class ExprParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly text: string, private readonly toks: Tok[], private readonly end: number) {}

  done(): boolean { return this.i >= this.toks.length; }
  private peek(o = 0): Tok | undefined { return this.toks[this.i + o]; }
  private next(): Tok { return this.toks[this.i++]; }
  private isChar(t: Tok | undefined, c: string): boolean { return t?.kind === 'char' && t.text === c; }

  fail(code: EquationError['code'], start: number, end: number, text = this.text.slice(start, end)): Fail {
    return new Fail({ code, text, start, end });
  }
  unexpected(): Fail {
    const t = this.peek();
    return t ? this.fail('equation-unexpected', t.start, t.end) : this.fail('equation-expected-operand', this.end, this.end);
  }

  private nest<T>(at: Span, f: () => T): T {
    if (++this.depth > MAX_EQUATION_DEPTH) throw this.fail('equation-too-deep', at.start, at.end, String(MAX_EQUATION_DEPTH));
    try { return f(); } finally { this.depth--; }
  }

  sum(): Expr {
    let a = this.product();
    for (let t = this.peek(); t && t.kind === 'char' && (t.text === '+' || t.text === '-' || t.text === '−'); t = this.peek()) {
      this.next();
      const b = this.product();
      a = { k: 'bin', op: t.text === '+' ? '+' : '-', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private product(): Expr {
    let a = this.unary();
    for (;;) {
      const t = this.peek();
      if (!t) return a;
      const explicit = t.kind === 'char' ? '*·×∙⋅/÷'.includes(t.text) : t.kind === 'cmd' && PRODUCTS.has(t.text);
      if (explicit) {
        this.next();
        const b = this.unary();
        const op = t.text === '/' || t.text === '÷' || t.text === 'div' ? '/' : '*';
        a = { k: 'bin', op, a, b, start: a.start, end: b.end };
        continue;
      }
      if (!this.startsAtom(t)) return a;
      if (t.kind === 'num' && endsInNumber(a)) throw this.fail('equation-numbers-adjacent', a.start, t.end);
      const b = this.power();
      a = { k: 'bin', op: '*', a, b, start: a.start, end: b.end };
    }
  }

  private startsAtom(t: Tok): boolean {
    if (t.kind === 'num' || t.kind === 'word') return true;
    if (t.kind === 'char') return t.text === '(' || t.text === '[' || t.text === '{' || t.text === '|' || !'+-−*·×∙⋅/÷^_=)]}&,;:?'.includes(t.text);
    return !PRODUCTS.has(t.text) && t.text !== '\\' && t.text !== '}' && t.text !== 'end';
  }

  private unary(): Expr {
    const t = this.peek();
    if (t && t.kind === 'char' && (t.text === '-' || t.text === '−' || t.text === '+')) {
      this.next();
      return this.nest(t, () => {
        const a = this.unary();
        return t.text === '+' ? a : { k: 'neg', a, start: t.start, end: a.end };
      });
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.atom();
    const t = this.peek();
    if (t && t.kind === 'char' && SUPERSCRIPTS.includes(t.text) && !t.spaced) return this.superscript(base);
    if (!this.isChar(t, '^')) return base;
    this.next();
    return this.nest(t!, () => {
      const exp = this.script();
      if (base.k === 'const' && base.value === Math.E) return { k: 'fn', fn: 'exp', a: exp, start: base.start, end: exp.end };
      return { k: 'bin', op: '^', a: base, b: exp, start: base.start, end: exp.end };
    });
  }

  /** `(0.751 − 0.01)²` in plain text: typeset superscript digits are a power. */
  private superscript(base: Expr): Expr {
    let digits = '';
    let end = base.end;
    for (let t = this.peek(); t && t.kind === 'char' && SUPERSCRIPTS.includes(t.text) && !t.spaced; t = this.peek()) {
      this.next();
      digits += t.text === '⁻' ? '-' : String(SUPERSCRIPTS.indexOf(t.text));
      end = t.end;
    }
    const value = Number(digits);
    if (!Number.isFinite(value)) throw this.fail('equation-unexpected', base.end, end);
    return { k: 'bin', op: '^', a: base, b: { k: 'num', value, halfUnit: 0.5, start: base.end, end }, start: base.start, end };
  }

  /** What follows `^`: a group, or one signed atom (`e^-0.3775` in plain text); `10^23` is 10²³. */
  private script(): Expr {
    const t = this.peek();
    if (!t) throw this.unexpected();
    if (t.kind === 'char' && (t.text === '-' || t.text === '−' || t.text === '+')) return this.unary();
    return this.atom();
  }

  private atom(): Expr {
    const t = this.peek();
    if (!t) throw this.unexpected();
    return this.nest(t, () => {
      if (t.kind === 'num') return this.number();
      if (t.kind === 'word') return this.word();
      if (t.kind === 'char') return this.charAtom(t);
      return this.command(t);
    });
  }

  private number(): Expr {
    const t = this.next();
    const n = scanNumber(this.text, t.start, t.end);
    if (!n) throw this.fail('equation-unexpected', t.start, t.end);
    return { k: 'num', value: n.value, halfUnit: n.halfUnit, start: t.start, end: t.end };
  }

  /** A letter run with its digits and scripts: `e` alone is Euler's number, anything else a symbol. */
  private word(): Expr {
    const t = this.next();
    if (t.text === 'e' && !this.isChar(this.peek(), '_') && !this.attachedNumber()) return { k: 'const', value: Math.E, start: t.start, end: t.end };
    if (this.attachedNumber()) this.next();
    return this.scripts(t);
  }

  private attachedNumber(): boolean {
    const n = this.peek();
    return n?.kind === 'num' && !n.spaced && /^\d+$/.test(n.text);
  }

  /** Subscripts, a prime, and a superscript that goes with a subscript (`a_1^3`, `\theta^2_{11}`), as part of a symbol. */
  private scripts(first: Span): Expr {
    let end = first.end;
    let sub = false;
    for (;;) {
      const t = this.peek();
      if (this.isChar(t, '_')) { this.next(); end = this.scriptSpan().end; sub = true; continue; }
      if (this.isChar(t, "'") || this.isChar(t, '’') || (t?.kind === 'char' && !t.spaced && SUBSCRIPTS.includes(t.text))) { this.next(); end = t!.end; continue; }
      if (this.isChar(t, '^') && (sub || this.isChar(this.peek(this.scriptLength(1) + 1), '_'))) { this.next(); end = this.scriptSpan().end; continue; }
      return { k: 'sym', start: first.start, end };
    }
  }

  /** Tokens a script starting `o` tokens ahead takes (a group, or one token). */
  private scriptLength(o: number): number {
    const t = this.peek(o);
    if (!this.isChar(t, '{')) return 1;
    let depth = 0;
    for (let k = o; this.peek(k); k++) {
      const x = this.peek(k)!;
      if (this.isChar(x, '{')) depth++;
      else if (this.isChar(x, '}') && --depth === 0) return k - o + 1;
    }
    return this.toks.length;
  }

  /** Skips one script (a `{…}` group or one token, a command with its argument) and returns its span. */
  private scriptSpan(): Span {
    const t = this.peek();
    if (!t) throw this.unexpected();
    if (this.isChar(t, '{')) return this.group();
    this.next();
    if (t.kind === 'cmd' && NAMING.has(t.text) && this.isChar(this.peek(), '{')) return { start: t.start, end: this.group().end };
    return t;
  }

  /** A balanced `{…}` group, skipped; returns its span. */
  private group(): Span {
    const open = this.next();
    let depth = 1;
    while (!this.done()) {
      const t = this.next();
      if (this.isChar(t, '{')) depth++;
      else if (this.isChar(t, '}') && --depth === 0) return { start: open.start, end: t.end };
    }
    throw this.fail('equation-unbalanced', open.start, open.end);
  }

  private charAtom(t: Tok): Expr {
    if (t.text === '(' || t.text === '[' || t.text === '{') {
      this.next();
      const inner = this.sum();
      const close = this.peek();
      if (!this.isChar(close, CLOSE[t.text])) throw this.fail('equation-unbalanced', t.start, t.end);
      this.next();
      return { ...inner, grouped: true };
    }
    if (t.text === '|') {
      this.next();
      const inner = this.sum();
      if (!this.isChar(this.peek(), '|')) throw this.fail('equation-unbalanced', t.start, t.end);
      this.next();
      return inner;
    }
    if ('+-−*·×∙⋅/÷^_=)]}&,;:?'.includes(t.text)) throw this.fail('equation-expected-operand', t.start, t.end);
    // ∂, ①, ✓, arrows…: symbols of a kind, with no value.
    this.next();
    return this.scripts(t);
  }

  private command(t: Tok): Expr {
    this.next();
    const name = t.text;
    if (FRACTIONS.has(name)) {
      const a = this.argument();
      const b = this.argument();
      return { k: 'bin', op: '/', a, b, start: t.start, end: b.end };
    }
    if (name === 'exp' || name === 'ln' || name === 'sqrt') {
      if (name === 'sqrt' && this.isChar(this.peek(), '[')) throw this.fail('equation-unexpected', this.peek()!.start, this.peek()!.end);
      const a = name === 'sqrt' ? this.argument() : this.power();
      return { k: 'fn', fn: name, a, start: t.start, end: a.end };
    }
    if (TRANSPARENT.has(name)) {
      if (name === 'color' || name === 'textcolor') this.argument();
      if (name === 'underset' || name === 'overset') this.argument();
      return this.argument();
    }
    if (name === 'underbrace' || name === 'overbrace') {
      const a = this.argument();
      if (this.isChar(this.peek(), '_') || this.isChar(this.peek(), '^')) { this.next(); this.scriptSpan(); }
      return a;
    }
    if (DROPPED_ARG.has(name)) {
      const span = this.isChar(this.peek(), '{') ? this.group() : t;
      return { k: 'opaque', start: t.start, end: span.end };
    }
    if (name === 'begin') return this.environment(t);
    if (name === 'pi') return { k: 'const', value: Math.PI, start: t.start, end: t.end };
    if (name === 'textcircled') return { k: 'opaque', start: t.start, end: this.isChar(this.peek(), '{') ? this.group().end : t.end };
    if (NAMING.has(name)) return this.scripts({ start: t.start, end: this.scriptSpan().end });
    if (name === '{') {
      const inner = this.sum();
      if (!(this.peek()?.kind === 'cmd' && this.peek()!.text === '}')) throw this.fail('equation-unbalanced', t.start, t.end);
      this.next();
      return { ...inner, grouped: true };
    }
    // \alpha, \omega, \ell, \partial, \cdots, \checkmark…: symbols.
    return this.scripts(t);
  }

  /** One argument of `\frac` and the like: a group, or a single token (`\frac12` is ½). */
  private argument(): Expr {
    const t = this.peek();
    if (!t) throw this.unexpected();
    if (this.isChar(t, '{')) return this.charAtom(t);
    if (t.kind === 'num' && t.end - t.start > 1 && /^\d+$/.test(t.text)) {
      // Take one digit and leave the rest as the next token.
      this.toks[this.i] = { ...t, start: t.start + 1, text: t.text.slice(1), spaced: false };
      return { k: 'num', value: Number(t.text[0]), halfUnit: 0.5, start: t.start, end: t.start + 1 };
    }
    return this.atom();
  }

  /** `\begin{name} … \end{name}`, read as one thing with no value. */
  private environment(begin: Tok): Expr {
    let depth = 1;
    while (!this.done()) {
      const t = this.next();
      if (t.kind === 'cmd' && t.text === 'begin') depth++;
      else if (t.kind === 'cmd' && t.text === 'end' && --depth === 0) {
        return { k: 'opaque', start: begin.start, end: this.isChar(this.peek(), '{') ? this.group().end : t.end };
      }
    }
    throw this.fail('equation-unbalanced', begin.start, begin.end);
  }
}

function endsInNumber(e: Expr): boolean {
  if (e.grouped) return false;
  if (e.k === 'num') return true;
  if (e.k === 'neg') return endsInNumber(e.a);
  return e.k === 'bin' && e.op !== '^' && endsInNumber(e.b);
}
