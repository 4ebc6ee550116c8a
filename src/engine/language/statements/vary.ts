/**
 * `vary NAMES from A to B step S`: the numbers an exercise draws for each student (see
 * engine/exercise/). NAMES are parameters (`w1 b1`), `rate`, or one value of one sample, `i1[1]`
 * (input i1 of sample 1) or `o1[1]` (target o1 of sample 1). Whether the names exist is the
 * exercise's business; here only the shape and the grid {A, A+S, …, B} are checked.
 */
import type { CellParser, LineTokens } from '../cell';
import { nameProblem } from '../names';
import type { Token } from '../scanner';
import type { NumberRef, VaryTarget } from '../syntax';

/** Values one `vary` line may offer: more is a typo, not an exercise. */
export const MAX_VARY_VALUES = 1_000_000;

const SAMPLE_VALUE = /^([A-Za-z][A-Za-z0-9_]*)\[(\d+)\]$/;

export function parseVary(p: CellParser, { toks, head, base }: LineTokens): void {
  const at = (word: string) => toks.findIndex((t) => t.text === word);
  const [from, to, step] = [at('from'), at('to'), at('step')];
  if (from < 0 || to !== from + 2 || step !== from + 4) { p.error(toks[Math.max(1, from)] ?? head, 'vary-syntax'); return; }
  if (from === 1) { p.error(toks[1], 'vary-needs-names'); return; }
  const targets = varyTargets(p, toks.slice(1, from));
  const a = p.number(toks[from + 1], { expected: 'number' }, toks[from]);
  const b = p.number(toks[to + 1], { expected: 'number' }, toks[to]);
  const s = p.number(toks[step + 1], { expected: 'number' }, toks[step]);
  if (!targets || !a || !b || !s) return;
  p.extra(toks, step + 2);
  const problem = gridProblem(a, b, s);
  if (problem) { p.error({ start: a.start, end: s.end }, problem, { from: a.text, to: b.text, step: s.text, max: MAX_VARY_VALUES }); return; }
  p.push({ ...base, kind: 'vary', targets, from: a, to: b, step: s });
}

function varyTargets(p: CellParser, toks: Token[]): VaryTarget[] | undefined {
  const out: VaryTarget[] = [];
  let ok = true;
  for (const t of toks) {
    const span = { start: t.start, end: t.end };
    const m = SAMPLE_VALUE.exec(t.text);
    const problem = nameProblem(m ? m[1] : t.text);
    if (t.text === 'rate') out.push({ ...span, kind: 'rate' });
    else if (problem) { p.problem(t, problem); ok = false; }
    else if (m && Number(m[2]) < 1) { p.error(t, 'sample-numbering'); ok = false; }
    else out.push(m ? { ...span, kind: 'sample', name: m[1], sample: Number(m[2]) } : { ...span, kind: 'param', name: t.text });
  }
  return ok ? out : undefined;
}

/** Decimal places of a written number: 2 for `0.15`, 0 for `2`, 5 for `3.5e-5`. */
function decimalsOf(n: NumberRef): number {
  return Math.max(0, Math.round(-Math.log10(2 * n.halfUnit)));
}

/** The grid of a `vary` line: how many values, and the i-th as written in a student's notebook
 *  (with as many decimals as the most precise of A, B and S: 0.1 to 0.9 step 0.05 gives 0.15, not
 *  0.15000000000000002). */
export interface VaryGrid { count: number; text(i: number): string }

export function varyGrid(from: NumberRef, to: NumberRef, step: NumberRef): VaryGrid {
  const d = Math.min(20, Math.max(decimalsOf(from), decimalsOf(to), decimalsOf(step)));
  const count = Math.round((to.value - from.value) / step.value) + 1;
  return { count, text: (i) => (from.value + i * step.value).toFixed(d).replace(/^-(?=0(\.0*)?$)/, '') };
}

function gridProblem(a: NumberRef, b: NumberRef, s: NumberRef): 'vary-step' | 'vary-order' | 'vary-grid' | 'vary-too-many' | undefined {
  if (!(s.value > 0)) return 'vary-step';
  if (!(a.value <= b.value)) return 'vary-order';
  const n = (b.value - a.value) / s.value;
  if (n + 1 > MAX_VARY_VALUES) return 'vary-too-many';
  const last = a.value + Math.round(n) * s.value;
  return Math.abs(last - b.value) <= 1e-9 * Math.max(1, Math.abs(b.value)) ? undefined : 'vary-grid';
}
