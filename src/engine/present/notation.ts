/**
 * Formula trees (`formula.ts`, built by `quantities.ts`) printed two ways: as Unicode text for the
 * terminal and the hovers, and as TeX for Markdown's `$…$`, the LaTeX export and the renderer's
 * KaTeX. Keeping the formula as a tree (not as strings built side by side) is what keeps every
 * output saying the same thing.
 *
 * Only names from the network reach TeX as identifiers, and they pass through `texName`, which
 * escapes anything that is not a plain identifier; user text never goes into a formula.
 */
import { formatNumber } from '../language/numbers';
import { ACTIVATION_RECORDS, isActivation } from '../math/activations';

import type { Inline } from './doc';
import { paren, type M } from './formula';
export type { M } from './formula';


export function activationFn(activation: string): { text: string; tex: string } {
  return isActivation(activation) ? ACTIVATION_RECORDS[activation].symbol : { text: activation, tex: `\\operatorname{${activation.replace(/[^A-Za-z]/g, '')}}` };
}

/** One token a power needs no parentheses around: out², 0.5², not −0.5 or a + b. */
function atom(m: M): boolean {
  return m.t === 'id' || m.t === 'of' || m.t === 'sym' || (m.t === 'num' && !startsNegative(m));
}

/** True when `m` is printed starting with a minus sign. */
function startsNegative(m: M): boolean {
  // −0 prints as 0 (formatNumber), so it needs no parentheses either.
  if (m.t === 'num') return m.v < 0;
  return m.t === 'op' && m.op !== '=' && startsNegative(m.items[0]);
}

/** Whether item `i` of an `op` node needs parentheses to read right. */
function wrap(x: M, op: string, i: number): boolean {
  if (op === '=' || op === ',') return false;
  if (x.t === 'op' && x.op === '=') return true;
  if (op === '×' || op === '·') return (i > 0 && startsNegative(x)) || (x.t === 'op' && x.op !== '×' && x.op !== '·');
  if (i === 0) return false;
  return startsNegative(x) || (op === '−' && x.t === 'op' && x.op !== '×' && x.op !== '·');
}

/**
 * The terms of a sum `a + b − c`, each with the sign in front of it (none for the first) and with
 * the parentheses the sum writes around it, so that a line broken before each sign reads as the
 * sum; undefined for anything that is not a sum.
 */
export function sumTerms(m: M): { sign: '' | '+' | '−'; term: M }[] | undefined {
  if (m.t !== 'op' || (m.op !== '+' && m.op !== '−') || m.items.length < 2) return undefined;
  const op = m.op;
  return m.items.map((x, i) => ({ sign: i === 0 ? '' : op, term: wrap(x, op, i) ? paren(x) : x }));
}

// ---- text ----

/** An operand of / or unary −: parenthesised unless it is one token. */
function textOperand(x: M): string {
  const t = mathText(x);
  return x.t === 'op' || x.t === 'frac' || x.t === 'neg' || (x.t === 'num' && x.v < 0) ? `(${t})` : t;
}

export function mathText(m: M): string {
  switch (m.t) {
    case 'num': return formatNumber(Number(m.v), m.digits);
    case 'id': return m.name;
    case 'of': return `${m.q}_${m.name}`;
    case 'sym': return m.text;
    case 'd': return `∂${mathText(m.num)}/∂${mathText(m.den)}`;
    case 'paren': return `(${mathText(m.x)})`;
    case 'call': return `${m.f.text}(${mathText(m.arg)})`;
    case 'sq': return `${m.x.t === 'paren' || atom(m.x) ? mathText(m.x) : `(${mathText(m.x)})`}²`;
    case 'pow': return `${m.x.t === 'paren' || atom(m.x) ? mathText(m.x) : `(${mathText(m.x)})`}^${atom(m.e) ? mathText(m.e) : `(${mathText(m.e)})`}`;
    case 'sqrt': return `√${m.x.t === 'paren' || atom(m.x) ? mathText(m.x) : `(${mathText(m.x)})`}`;
    case 'sum': return `Σ_${m.sub} ${mathText(m.body)}`;
    case 'frac': return `${textOperand(m.num)}/${textOperand(m.den)}`;
    case 'exp': return `e^${m.x.t === 'num' || m.x.t === 'id' || m.x.t === 'of' ? mathText(m.x) : `(${mathText(m.x)})`}`;
    case 'neg': return `−${textOperand(m.x)}`;
    case 'cases': return `(${mathText(m.high)} if ${mathText(m.net)} > 0, else ${mathText(m.low)})`;
    case 'op': {
      return m.items
        .map((x, i) => (wrap(x, m.op, i) ? `(${mathText(x)})` : mathText(x)))
        .join(m.op === ',' ? ', ' : ` ${m.op} `);
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

const GREEK: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ',
  lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', chi: 'χ',
  psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

/**
 * How a name is typeset, read from its spelling (docs/language.md, "How names are typeset"): a
 * letter part (a Greek letter's name becomes the letter), then a superscript and a subscript.
 * `w5` → w with subscript 5; `theta2_11` → θ, superscript 2, subscript 11; `h_2` → h, subscript 2;
 * `w_h1_y` (the names `init` generates) → w, subscript h1 → y. `sub` is a list of pieces joined by
 * arrows. A name that fits none of these is undefined: it is set as it is spelled.
 */
export interface NameForm {
  /** The letters as written (`theta`), and as they print (`θ`). */
  letters: string;
  base: string;
  greek: boolean;
  sup?: string;
  sub?: string[];
}

const PLAIN = '[A-Za-z][A-Za-z0-9]*';
const NAME_FORMS: [RegExp, (m: RegExpExecArray) => { sup?: string; sub?: string[] }][] = [
  [/^([A-Za-z]+)$/, () => ({})],
  [/^([A-Za-z]+)(\d+)$/, (m) => ({ sub: [m[2]] })],
  [/^([A-Za-z]+)(\d+)_(\d+)$/, (m) => ({ sup: m[2], sub: [m[3]] })],
  [/^([A-Za-z]+)_([A-Za-z0-9]+)$/, (m) => ({ sub: [m[2]] })],
  [new RegExp(`^([A-Za-z]+)_(${PLAIN})_(${PLAIN})$`), (m) => ({ sub: [m[2], m[3]] })],
];

export function nameForm(name: string): NameForm | undefined {
  for (const [re, parts] of NAME_FORMS) {
    const m = re.exec(String(name));
    if (!m) continue;
    const letters = m[1];
    const greek = Object.prototype.hasOwnProperty.call(GREEK, letters);
    return { letters, base: greek ? GREEK[letters] : letters, greek, ...parts(m) };
  }
  return undefined;
}

/** Letters and digits set side by side, as a subscript's pieces are (`h1`, not h with its own 1). */
function flatTex(piece: string): string {
  return piece.replace(/[A-Za-z]+/g, (w) => (w.length > 1 ? `\\mathit{${w}}` : w));
}

/**
 * A network name as TeX by its form (`w5` → w_{5}, `theta2_11` → \theta^{2}_{11}, `out` →
 * \mathit{out}); a name of another shape upright as spelled, and anything that is not a name (only a
 * tampered trace has one) as escaped text. `inScript`: the name is itself a subscript (out_{h1}), so
 * it is set flat, not with a subscript of its own that would print at half size.
 */
export function texName(name: string, inScript = false): string {
  name = String(name);
  const form = nameForm(name);
  if (form) {
    const base = form.greek ? `\\${form.letters}` : flatTex(form.letters);
    const sub = form.sub ? form.sub.map(flatTex).join(' \\to ') : '';
    if (inScript && !form.sup && (form.sub?.length ?? 0) <= 1) return `${base}${sub && form.greek ? ' ' : ''}${sub}`;
    return `${base}${form.sup ? `^{${form.sup}}` : ''}${sub ? `_{${sub}}` : ''}`;
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

/** A sum's subscript: a letter in italics, a word (`outputs`) upright; nothing but letters and digits. */
function subscriptTex(sub: string): string {
  const s = sub.replace(/[^A-Za-z0-9]/g, '');
  return s.length > 1 ? `\\text{${s}}` : s;
}

const OF_TEX: Record<string, string> = { out: '\\mathit{out}', net: '\\mathit{net}', t: 't', 'δ': '\\delta' };

const TEX_OP: Record<string, string> = { '·': '\\cdot', '×': '\\times', '+': '+', '−': '-', '=': '=', ',': ',' };

/** True when `m` holds a fraction (or a sum sign), which plain parentheses would not enclose. */
function tall(m: M): boolean {
  switch (m.t) {
    case 'd': case 'sum': case 'frac': return true;
    case 'op': return m.items.some(tall);
    case 'paren': case 'sq': case 'pow': case 'sqrt': return tall(m.x);
    case 'call': return tall(m.arg);
    default: return false;
  }
}

/**
 * Parentheses around `x`: growing ones (`\left( … \right)`) only around a fraction, because TeX
 * cannot break a line inside them, and a table cell of numbers must be able to wrap.
 */
const texParens = (x: M): string => (tall(x) ? `\\left(${mathTex(x)}\\right)` : `(${mathTex(x)})`);

export function mathTex(m: M): string {
  switch (m.t) {
    case 'num': return texNumber(m.v, m.digits);
    case 'id': return texName(m.name);
    case 'of': return `${OF_TEX[m.q]}_{${texName(m.name, true)}}`;
    case 'sym': return m.tex;
    case 'd': return `\\frac{\\partial ${mathTex(m.num)}}{\\partial ${mathTex(m.den)}}`;
    case 'paren': return texParens(m.x);
    case 'call': return `${m.f.tex}${texParens(m.arg)}`;
    case 'sq': return atom(m.x) ? `${mathTex(m.x)}^{2}` : `${texParens(m.x.t === 'paren' ? m.x.x : m.x)}^{2}`;
    case 'pow': return `${atom(m.x) ? mathTex(m.x) : texParens(m.x.t === 'paren' ? m.x.x : m.x)}^{${mathTex(m.e)}}`;
    case 'sqrt': return `\\sqrt{${mathTex(m.x.t === 'paren' ? m.x.x : m.x)}}`;
    case 'sum': return `\\sum_{${subscriptTex(m.sub)}} ${mathTex(m.body)}`;
    case 'frac': return `\\frac{${mathTex(m.num)}}{${mathTex(m.den)}}`;
    case 'exp': return `e^{${mathTex(m.x)}}`;
    case 'neg': return `-${m.x.t === 'op' || m.x.t === 'neg' || (m.x.t === 'num' && m.x.v < 0) ? texParens(m.x) : mathTex(m.x)}`;
    case 'cases': return `\\left(${mathTex(m.high)} \\text{ if } ${mathTex(m.net)} > 0 \\text{, else } ${mathTex(m.low)}\\right)`;
    case 'op': {
      return m.items
        .map((x, i) => (wrap(x, m.op, i) ? texParens(x) : mathTex(x)))
        .join(` ${TEX_OP[m.op]} `);
    }
  }
}

/** Text mixed with formulas, as one line of plain text (hovers, tooltips). */
export function inlineText(parts: Inline): string {
  return parts.map((p) => (typeof p === 'string' ? p : mathText(p))).join('');
}

/** A piece of a formula typeset on its own; `node` is set on the pieces `own` picked out. */
export interface TexPart {
  tex: string;
  node?: M;
}

/** True when `own` picks `m` or a node inside it. */
export function contains(m: M, own: (x: M) => boolean): boolean {
  if (own(m)) return true;
  switch (m.t) {
    case 'op': return m.items.some((x) => contains(x, own));
    case 'paren': case 'neg': case 'sq': case 'exp': case 'sqrt': return contains(m.x, own);
    case 'pow': return contains(m.x, own) || contains(m.e, own);
    case 'call': return contains(m.arg, own);
    case 'd': case 'frac': return contains(m.num, own) || contains(m.den, own);
    case 'sum': return contains(m.body, own);
    case 'cases': return contains(m.net, own) || contains(m.high, own) || contains(m.low, own);
    default: return false;
  }
}

/**
 * `m` as TeX in pieces that typeset one after another read as `mathTex(m)`: every node `own` picks
 * (a parameter, a neuron, a derivative) is a piece of its own, so the renderer can make it
 * hoverable without any markup inside the TeX (KaTeX's `\htmlData` needs `trust`). Between the
 * picked nodes the rest is joined into as few pieces as it can; a picked node inside a fraction or
 * an exponent stays part of it.
 */
export function texParts(m: M, own: (x: M) => boolean): TexPart[] {
  const parts: TexPart[] = [];
  const text = (tex: string) => {
    const last = parts[parts.length - 1];
    if (last && !last.node) last.tex += ` ${tex}`;
    else parts.push({ tex });
  };
  const enclose = (x: M) => {
    // Delimiters that grow without \left … \right, which cannot be split over pieces.
    const [open, close] = tall(x) ? ['\\biggl(', '\\biggr)'] : ['(', ')'];
    text(open);
    walk(x);
    text(close);
  };
  const walk = (x: M): void => {
    if (own(x)) parts.push({ tex: mathTex(x), node: x });
    else if (!contains(x, own)) text(mathTex(x));
    else if (x.t === 'op') {
      x.items.forEach((y, i) => {
        if (i > 0) text(TEX_OP[x.op]);
        if (wrap(y, x.op, i)) enclose(y);
        else walk(y);
      });
    } else if (x.t === 'paren') enclose(x.x);
    else if (x.t === 'call') {
      text(x.f.tex);
      enclose(x.arg);
    } else if (x.t === 'sq') {
      if (atom(x.x)) walk(x.x);
      else enclose(x.x.t === 'paren' ? x.x.x : x.x);
      text('{}^{2}');
    } else text(mathTex(x));
  };
  walk(m);
  return parts;
}

/**
 * About how wide a formula typesets, in em: a fraction as wide as its wider part (in the smaller type
 * of inline math unless `display`), a subscript in smaller type. Plain-text length says little about
 * that — ∂out_h1/∂net_h1 is fourteen characters but three em in a table.
 */
export function mathEm(m: M, display = false): number {
  const em = (x: M) => mathEm(x, display);
  switch (m.t) {
    case 'num': return 0.5 * formatNumber(Number(m.v), m.digits).length;
    case 'id': return 0.5 * m.name.length;
    case 'of': return (m.q === 't' || m.q === 'δ' ? 0.5 : 1.5) + 0.4 * m.name.length;
    case 'sym': return 0.6 * m.text.length;
    case 'd': return 0.2 + (display ? 1 : 0.75) * Math.max(em(m.num) + 0.5, em(m.den) + 0.5);
    case 'paren': return em(m.x) + 0.8;
    case 'call': return 0.5 * m.f.text.length + em(m.arg) + 0.8;
    case 'sq': return em(m.x) + (m.x.t === 'paren' ? 0.4 : 1.2);
    case 'pow': return em(m.x) + 0.7 * em(m.e) + (m.x.t === 'paren' ? 0.2 : 1);
    case 'sqrt': return em(m.x) + 1;
    case 'sum': return 1.2 + em(m.body);
    case 'frac': return 0.2 + (display ? 1 : 0.75) * Math.max(em(m.num), em(m.den));
    case 'exp': return 0.5 + 0.7 * em(m.x);
    case 'neg': return 0.6 + em(m.x);
    case 'cases': return 7 + em(m.high) + em(m.net) + em(m.low);
    case 'op': return m.items.reduce((a, x) => a + em(x), 0) + (m.items.length - 1) * 1.1;
  }
}

/** An unbreakable piece of a display formula, with the operator in front of it and its depth in parentheses. */
interface Piece { op: string; tex: string; em: number; depth: number }

/** `m` as pieces that a line may break between, before an operator; `lead` opens the first piece. */
function pieces(m: M, op: string, lead: string, depth: number): Piece[] {
  const enclosed = (x: M, xop: string, xlead: string): Piece[] => {
    // Growing parentheses that can be split over lines: sized ones, not \left … \right.
    const [open, close] = tall(x) ? ['\\biggl(', '\\biggr)'] : ['(', ')'];
    const inner = pieces(x, xop, `${xlead}${open}`, depth + 1);
    const last = inner[inner.length - 1];
    inner[inner.length - 1] = { ...last, tex: `${last.tex}${close}`, em: last.em + 0.6 };
    inner[0] = { ...inner[0], em: inner[0].em + 0.6, depth };
    return inner;
  };
  if (m.t === 'paren') return enclosed(m.x, op, lead);
  if (m.t === 'op' && m.op !== '=') {
    return m.items.flatMap((x, i) => {
      const xop = i === 0 ? op : TEX_OP[m.op];
      const xlead = i === 0 ? lead : '';
      return wrap(x, m.op, i) ? enclosed(x, xop, xlead) : pieces(x, xop, xlead, depth);
    });
  }
  return [{ op, tex: `${lead}${mathTex(m)}`, em: (op ? 1.1 : 0) + mathEm(m, true), depth }];
}

/**
 * A display formula as lines of about `maxEm` em at most, broken before an operator where it reads
 * best — outside parentheses rather than inside, before `+` or `−` rather than `·` or `×` — each line
 * after the first starting with that operator. Display math does not wrap by itself: a hidden
 * weight's chain rule summed over three or four downstream neurons would run off the page.
 */
export function texRows(m: M, maxEm: number): string[] {
  if (mathEm(m, true) <= maxEm) return [mathTex(m)];
  const rows: Piece[][] = [];
  let row: Piece[] = [];
  let width = 0;
  for (const p of pieces(m, '', '', 0)) {
    if (row.length && width + p.em > maxEm) {
      let best = row.length;
      let bestScore = -Infinity;
      let w = 0;
      row.forEach((q, k) => {
        if (k > 0 && w >= maxEm / 2) {
          const score = (q.op === '+' || q.op === '-' ? 2 : 1) - 4 * q.depth;
          if (score >= bestScore) { best = k; bestScore = score; }
        }
        w += q.em;
      });
      if ((p.op === '+' || p.op === '-' ? 2 : 1) - 4 * p.depth >= bestScore) best = row.length;
      rows.push(row.slice(0, best));
      row = row.slice(best);
      width = 2 + row.reduce((a, q) => a + q.em, 0);
    }
    row.push(p);
    width += p.em;
  }
  rows.push(row);
  // `{}` keeps a leading + or − binary (spaced) rather than a sign.
  return rows.map((r, i) => r.map((p, k) => (k === 0 ? `${i > 0 && p.op ? `{} ${p.op} ` : ''}${p.tex}` : `${p.op} ${p.tex}`)).join(' '));
}

/** Width of a display line, in em, that the LaTeX page (17 cm at 11 pt) and a notebook output both have. */
export const DISPLAY_EM = 42;

/** The body of an aligned chain `lhs = r1 = r2 …` (`&=` per step, a long step over several lines). */
export function alignedChain(chain: readonly M[], maxEm = DISPLAY_EM): string {
  const [lhs, ...rest] = chain;
  const room = Math.max(20, maxEm - mathEm(lhs, true) - 2);
  const lines = rest.flatMap((r) => texRows(r, room).map((row, i) => (i === 0 ? `&= ${row}` : `&\\qquad ${row}`)));
  return `${mathTex(lhs)} ${lines.join(' \\\\\n')}`;
}

