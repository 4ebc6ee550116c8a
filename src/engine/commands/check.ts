/**
 * `check`: compares a student's numbers with the exact ones at the current weights (without changing
 * them), and for a wrong line explains the likeliest slip — a flipped sign, a factor left out, a wrong
 * activation derivative, a rounded value carried on, or a factor the student also checked and got wrong.
 * Quantities are validated against the network by quantities.ts, evaluated by evaluate.ts; the slips
 * are in slips.ts, forward-slips.ts and near-misses.ts.
 */
import type { CheckItem, Quantity } from '../language/syntax';
import { formatNumber, withinTolerance } from '../language/numbers';
import { base, LimitNotes, type TraceContext } from '../trace/build';
import type { CheckFactor, CheckLine, CheckTrace } from '../trace/schema';
import { Evaluator, type Evaluated, type Factor } from './evaluate';
import { forwardSlips } from './forward-slips';
import { nearMiss, originOf } from './near-misses';
import { quantityKey, sampleIndex } from './quantities';
import { bestSlips, carriedFactorSlips, productSlips, report, type Case, type Written } from './slips';
import { conceptSlips } from './classification-slips';
import type { TrainerSnapshot } from '../compute/trainer';

/** The weights and optimizer state before the latest `step`, when a `check` checks that step (see session.ts). */
export interface CheckedStep { before: TrainerSnapshot; epoch: number }

/**
 * `check` as a command: at the weights (and optimizer state) before `step` when given — `w'` is then
 * what it produced, v(w5) and m(w5) the state it left — else at the current ones.
 */
export function runCheckCommand(ctx: TraceContext, items: CheckItem[], within: number | undefined, step?: CheckedStep): CheckTrace {
  const current = step ? ctx.trainer.snapshot() : undefined;
  if (step) ctx.trainer.restore(step.before);
  try {
    const t = runCheck(ctx, items, within, current);
    if (step) t.stepEpoch = step.epoch;
    return t;
  } finally {
    if (current) ctx.trainer.restore(current);
  }
}

/** `now`: the state after the latest update, when the trainer holds an earlier one (a check of the step just taken). */
export function runCheck(ctx: TraceContext, items: CheckItem[], within: number | undefined, now?: TrainerSnapshot): CheckTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const ev = new Evaluator(ctx, now);
  // First pass: every line's exact value and verdict, so a later line can refer to an earlier one.
  const first = items.map((item) => {
    const e = ev.evaluate(item.parsed);
    const tolerance = within ?? item.value.halfUnit;
    return { item, e, tolerance, ok: withinTolerance(item.value.value, e.exact, tolerance), key: quantityKey(item.parsed) };
  });
  const written: Written = new Map(first.map((x) => [x.key, { value: x.item.value.value, ok: x.ok }]));
  const lines = first.map(({ item, e, tolerance, ok }) => checkLine(item, e, tolerance, ok, { ctx, ev, written }));
  const failed = lines.filter((l) => !l.ok).length;
  return { ...b, kind: 'check', lines, passed: lines.length - failed, failed, limits: notes.build() };
}

function checkLine(item: CheckItem, e: Evaluated, tolerance: number, ok: boolean, on: { ctx: TraceContext; ev: Evaluator; written: Written }): CheckLine {
  const w = item.value.value;
  const line: CheckLine = { line: item.line, quantity: item.quantity, writtenText: item.value.text, written: w, exact: e.exact, tolerance, ok };
  const flat = e.paths?.flat() ?? [];
  const factors: CheckFactor[] = flat.map((fa) => {
    const cf: CheckFactor = { label: fa.label, quantity: fa.quantity, exact: fa.exact, suspect: false };
    const mine = on.written.get(fa.key);
    if (mine) { cf.written = mine.value; cf.ok = mine.ok; }
    return cf;
  });
  if (!ok) {
    const mark = (fa: Factor) => { const i = flat.indexOf(fa); if (i >= 0) factors[i].suspect = true; };
    line.diagnosis = diagnose(caseOf(item.parsed, item.value.text, w, e, tolerance, flat, on), mark);
  }
  if (factors.length > 1 || (factors.length === 1 && item.parsed.kind !== 'dout/dnet')) line.factors = factors;
  return line;
}

function caseOf(
  q: Quantity, writtenText: string, w: number, e: Evaluated, tolerance: number, flat: Factor[],
  on: { ctx: TraceContext; ev: Evaluator; written: Written },
): Case {
  const origin = originOf({ q, ctx: on.ctx });
  return {
    q, k: sampleIndex(q), w, writtenText, exact: e.exact, tolerance, paths: e.paths, flat, ...on,
    f: (x: number) => formatNumber(x, on.ctx.digits),
    // Students round every intermediate value to two or three digits, so a slip is recognised within 2%
    // — of the step for w' (0.25 − 0.00025 is not "within 2%" of 0.25 − 0.000025: the step is what was computed).
    near: (a: number, b: number) => Math.abs(a - b) <= Math.max(tolerance * 1.01, 0.02 * Math.abs(b - origin), 1e-12),
    explains: (alt: number) => Math.abs(w - alt) < 0.5 * Math.abs(w - e.exact),
  };
}

/** The slip that explains a wrong value: first the student's own wrong factors, then every known slip, then near misses. */
function diagnose(c: Case, mark: (f: Factor) => void): string {
  const fromWritten = bestSlips(carriedFactorSlips(c), c);
  if (fromWritten.length) return report(fromWritten, c.writtenText, mark);
  const best = bestSlips([...productSlips(c), ...forwardSlips(c), ...conceptSlips(c)], c);
  if (best.length) return report(best, c.writtenText, mark);
  return nearMiss(c);
}
