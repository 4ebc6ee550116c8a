/**
 * KaTeX typesetting of the notation layer's formula trees. TeX source comes only from
 * `present/notation.ts`, which builds it from numbers, fixed macros and names passed through
 * `texName` (anything that is not a plain identifier becomes escaped text); KaTeX runs with
 * `trust: false`, so even a macro that slipped through could not make links or load anything.
 * Parameters and neurons are made hoverable by typesetting them as pieces of their own and tagging
 * those pieces' elements: no markup ever goes into the TeX.
 */
import katex from 'katex';
import type { M } from '../src/engine/present/formula';
import { eq } from '../src/engine/present/formula';
import { contains, mathEm, mathText, sumTerms, texName, texParts } from '../src/engine/present/notation';
import type { Chain } from '../src/engine/present/quantities';
import { el } from './dom';
import { keyed } from './hover';
import type { Lazy } from './lazy';

const cache = new Map<string, HTMLElement>();
const CACHE_LIMIT = 4000;

/** A span with `tex` typeset inline; identical sources are typeset once and cloned. */
export function math(tex: string, display = false): HTMLElement {
  const key = (display ? 'D' : 'I') + tex;
  let proto = cache.get(key);
  if (!proto) {
    proto = document.createElement('span');
    proto.className = 'bp-math';
    katex.render(tex, proto, { displayMode: display, throwOnError: false, trust: false, strict: 'ignore', output: 'html', maxExpand: 100 });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, proto);
  }
  return proto.cloneNode(true) as HTMLElement;
}

/** The hover key of what a node of a formula stands for (a parameter, a neuron), if anything. */
export type KeyOf = (m: M) => string | undefined;

/**
 * A formula typeset piece by piece, every parameter and neuron in it a hoverable piece of its own.
 * Pieces are set in display style: a fraction's numerator and denominator at the body size, their
 * subscripts at no less than 70 % of it (inline style would set them at 50 %, unreadable at 13 px).
 */
export function formula(m: M, keyOf: KeyOf): HTMLElement[] {
  return texParts(m, (x) => keyOf(x) !== undefined).map((part) => {
    const tex = `\\displaystyle ${part.tex}`;
    const key = part.node && keyOf(part.node);
    return key ? keyed(math(tex), key, false) : math(tex);
  });
}

/** A name of the network as the notation typesets it (θ²₁₁, w with subscript h1 → y). */
export function nameMath(name: string): HTMLElement {
  return math(texName(name));
}

/** Lines of a chain: `lhs = first step`, then every step that names something on a line of its own,
 *  and the steps of numbers after it together on one line. */
function chainLines(c: Chain, keyOf: KeyOf): M[][] {
  const names = (m: M) => contains(m, (x) => keyOf(x) !== undefined);
  const lines: M[][] = [];
  let line: M[] = c.slice(0, 2);
  let plain = c.length < 2 || !names(c[1]);
  for (const step of c.slice(2)) {
    const stepPlain = !names(step);
    if (stepPlain && plain) {
      line.push(step);
      continue;
    }
    lines.push(line);
    line = [step];
    plain = stepPlain;
  }
  lines.push(line);
  return lines;
}

/**
 * The widest line of a formula in a table, in em as `mathEm` estimates it (about 16 px each at the
 * body size): a table of a name and two formula columns then fits an output about 860 px wide.
 */
const LINE_EM = 20;

/** A row of a chain as typeset: pieces, each after its sign (`=`, `+`, `−` or none); `more` continues a broken sum. */
interface Row { pieces: { sign: string; m: M }[]; more: boolean }

const TEX_SIGN: Record<string, string> = { '=': '=', '+': '+', '−': '-' };

/**
 * One line of a chain as rows. A line too wide has each step on a row of its own, and a step that
 * is still too wide and a sum — the softmax Jacobian's Σ_k ∂E/∂out_k · ∂out_k/∂net_j, a hidden
 * neuron's Σ δ·w over three or more outputs — one term a row, each after its sign: display math
 * does not wrap by itself, and a scrolled table hides the names its formulas belong to.
 */
function rows(line: M[], first: boolean): Row[] {
  const whole = eq(...line);
  if (mathEm(whole, true) <= LINE_EM) return [{ pieces: [{ sign: first ? '' : '=', m: whole }], more: false }];
  const out: Row[] = [];
  line.forEach((step, j) => {
    const sign = first && j === 0 ? '' : '=';
    // The first step of the first line stays beside the left-hand side: `∂E/∂net = first term`.
    const beside = first && j === 1 && out.length === 1;
    const width = 1.1 + mathEm(step, true) + (beside ? mathEm(line[0], true) : 0);
    const [head, ...rest] = (width > LINE_EM ? sumTerms(step) : undefined) ?? [{ sign: '', term: step }];
    if (beside) out[0].pieces.push({ sign, m: head.term });
    else out.push({ pieces: [{ sign, m: head.term }], more: false });
    for (const t of rest) out.push({ pieces: [{ sign: t.sign, m: t.term }], more: true });
  });
  return out;
}

/**
 * A chain as lines that read down the page. With `lazy`, the lines show as plain text (the same
 * numbers) until the box comes into view, and are typeset then.
 */
export function chainBox(c: Chain, keyOf: KeyOf, cls = 'bp-formula', lazy?: Lazy): HTMLDivElement {
  const all = chainLines(c, keyOf).flatMap((l, i) => rows(l, i === 0));
  const rowClass = (r: Row) => (r.more ? `${cls} bp-more` : cls);
  const typeset = (r: Row) => el('div', { class: rowClass(r) }, ...r.pieces.flatMap((p) => [...(p.sign ? [math(TEX_SIGN[p.sign])] : []), ...formula(p.m, keyOf)]));
  if (!lazy) return el('div', { class: 'bp-chain' }, ...all.map(typeset));
  const box = el('div', { class: 'bp-chain bp-pending' }, ...all.map((r) => el('div', { class: rowClass(r) }, r.pieces.map((p) => `${p.sign ? `${p.sign} ` : ''}${mathText(p.m)}`).join(' '))));
  lazy.defer(box, () => {
    box.classList.remove('bp-pending');
    box.replaceChildren(...all.map(typeset));
  });
  return box;
}
