/**
 * A small formula tree, written once by `build.ts` and printed two ways: as Unicode text for the
 * terminal and as TeX for Markdown's `$…$` and the LaTeX export. Keeping the formula as a tree (not
 * as two strings built side by side) is what keeps the three output formats saying the same thing.
 *
 * Only names from the network reach TeX as identifiers, and they pass through `texName`, which
 * escapes anything that is not a plain identifier; user text never goes into a formula.
 */
import { formatNumber } from '../numbers';

export type M =
  | { t: 'num'; v: number; digits: number }
  /** A neuron or parameter name. */
  | { t: 'id'; name: string }
  /** out_h1, net_h1, t_o1 (the target of an output). */
  | { t: 'of'; q: 'out' | 'net' | 't'; name: string }
  /** A fixed symbol with its two spellings (E, η, 1, …). */
  | { t: 'sym'; text: string; tex: string }
  /** ∂a/∂b. */
  | { t: 'd'; num: M; den: M }
  | { t: 'op'; op: '·' | '×' | '+' | '−' | '='; items: M[] }
  | { t: 'paren'; x: M }
  /** f(x), e.g. σ(net_h1). */
  | { t: 'call'; f: { text: string; tex: string }; arg: M }
  | { t: 'sq'; x: M }
  /** Σ over `sub` of `body`. */
  | { t: 'sum'; sub: string; body: M };

export const num = (v: number, digits: number): M => ({ t: 'num', v, digits });
export const id = (name: string): M => ({ t: 'id', name });
export const out = (name: string): M => ({ t: 'of', q: 'out', name });
export const net = (name: string): M => ({ t: 'of', q: 'net', name });
export const target = (name: string): M => ({ t: 'of', q: 't', name });
export const sym = (text: string, tex: string): M => ({ t: 'sym', text, tex });
export const E = sym('E', 'E');
export const ETA = sym('η', '\\eta');
export const ONE = sym('1', '1');
export const d = (numerator: M, denominator: M): M => ({ t: 'd', num: numerator, den: denominator });
export const times = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '×', items });
export const dot = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '·', items });
export const plus = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '+', items });
export const minus = (a: M, b: M): M => ({ t: 'op', op: '−', items: [a, b] });
export const eq = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '=', items });
export const paren = (x: M): M => ({ t: 'paren', x });
export const call = (text: string, tex: string, arg: M): M => ({ t: 'call', f: { text, tex }, arg });
export const sq = (x: M): M => ({ t: 'sq', x });
export const sum = (sub: string, body: M): M => ({ t: 'sum', sub, body });

const ACTIVATION_FN: Record<string, { text: string; tex: string }> = {
  sigmoid: { text: 'σ', tex: '\\sigma' },
  tanh: { text: 'tanh', tex: '\\tanh' },
  relu: { text: 'relu', tex: '\\operatorname{relu}' },
  'leaky-relu': { text: 'lrelu', tex: '\\operatorname{lrelu}' },
  linear: { text: 'id', tex: '\\operatorname{id}' },
};

export function activationFn(activation: string): { text: string; tex: string } {
  return ACTIVATION_FN[activation] ?? { text: activation, tex: `\\operatorname{${activation.replace(/[^A-Za-z]/g, '')}}` };
}

/** True when `m` is printed starting with a minus sign. */
function startsNegative(m: M): boolean {
  if (m.t === 'num') return m.v < 0 || Object.is(m.v, -0);
  return m.t === 'op' && m.op !== '=' && startsNegative(m.items[0]);
}

/** Whether item `i` of an `op` node needs parentheses to read right. */
function wrap(x: M, op: string, i: number): boolean {
  if (op === '=') return false;
  if (x.t === 'op' && x.op === '=') return true;
  if (op === '×' || op === '·') return (i > 0 && startsNegative(x)) || (x.t === 'op' && x.op !== '×' && x.op !== '·');
  if (i === 0) return false;
  return startsNegative(x) || (op === '−' && x.t === 'op' && x.op !== '×' && x.op !== '·');
}

// ---- text ----

export function mathText(m: M): string {
  switch (m.t) {
    case 'num': return formatNumber(Number(m.v), m.digits);
    case 'id': return m.name;
    case 'of': return `${m.q}_${m.name}`;
    case 'sym': return m.text;
    case 'd': return `∂${mathText(m.num)}/∂${mathText(m.den)}`;
    case 'paren': return `(${mathText(m.x)})`;
    case 'call': return `${m.f.text}(${mathText(m.arg)})`;
    case 'sq': return `${m.x.t === 'paren' ? mathText(m.x) : `(${mathText(m.x)})`}²`;
    case 'sum': return `Σ_${m.sub} ${mathText(m.body)}`;
    case 'op': {
      return m.items
        .map((x, i) => (wrap(x, m.op, i) ? `(${mathText(x)})` : mathText(x)))
        .join(` ${m.op} `);
    }
  }
}

// ---- TeX ----

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '^': '\\textasciicircum{}',
  _: '\\_',
  '%': '\\%',
  '~': '\\textasciitilde{}',
  // Not special to TeX, but a Markdown viewer that misses the math would read them as HTML.
  '<': '\\textless{}',
  '>': '\\textgreater{}',
};

/** Arbitrary text for use inside `\text{…}` (TeX and KaTeX alike): no character can start a macro
 *  or, in a Markdown fallback, a tag. */
export function texText(s: string): string {
  let out = '';
  for (const ch of String(s)) {
    if (ch in TEXT_ESCAPES) out += TEXT_ESCAPES[ch];
    else if (ch.charCodeAt(0) < 32) out += ' ';
    else out += ch;
  }
  return out;
}

/** A network name as TeX: `w5` → w_{5}, `out` → \mathit{out}, `w_x1_h1` upright; anything that is
 *  not a name (only a tampered trace has one) as escaped text. */
export function texName(name: string): string {
  name = String(name);
  const m = /^([A-Za-z]+)(\d*)$/.exec(name);
  if (m) {
    const base = m[1].length > 1 ? `\\mathit{${m[1]}}` : m[1];
    return m[2] ? `${base}_{${m[2]}}` : base;
  }
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) return `\\mathrm{${name.replace(/_/g, '\\_')}}`;
  return `\\text{${texText(name)}}`;
}

/** A number as TeX: 3.5e-5 → 3.5 \times 10^{-5}. */
export function texNumber(v: number, digits: number): string {
  const s = formatNumber(Number(v), digits);
  if (s === 'NaN') return '\\mathrm{NaN}';
  if (s.endsWith('Infinity')) return s.startsWith('-') ? '-\\infty' : '\\infty';
  const e = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
  return e ? `${e[1]} \\times 10^{${Number(e[2])}}` : s;
}

const TEX_OP: Record<string, string> = { '·': '\\cdot', '×': '\\times', '+': '+', '−': '-', '=': '=' };

export function mathTex(m: M): string {
  switch (m.t) {
    case 'num': return texNumber(m.v, m.digits);
    case 'id': return texName(m.name);
    case 'of': return m.q === 't' ? `t_{${texName(m.name)}}` : `\\mathit{${m.q}}_{${texName(m.name)}}`;
    case 'sym': return m.tex;
    case 'd': return `\\frac{\\partial ${mathTex(m.num)}}{\\partial ${mathTex(m.den)}}`;
    case 'paren': return `\\left(${mathTex(m.x)}\\right)`;
    case 'call': return `${m.f.tex}\\left(${mathTex(m.arg)}\\right)`;
    case 'sq': return `${m.x.t === 'paren' ? mathTex(m.x) : `\\left(${mathTex(m.x)}\\right)`}^{2}`;
    case 'sum': return `\\sum_{${m.sub.replace(/[^A-Za-z0-9]/g, '')}} ${mathTex(m.body)}`;
    case 'op': {
      return m.items
        .map((x, i) => (wrap(x, m.op, i) ? `\\left(${mathTex(x)}\\right)` : mathTex(x)))
        .join(` ${TEX_OP[m.op]} `);
    }
  }
}
