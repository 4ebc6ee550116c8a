/**
 * `check`: compares a student's numbers with the exact ones at the current weights (without changing
 * them), and for a wrong line names the slip that reproduces it (diagnose.ts), or says what is known.
 * A line naming something the network does not have is marked with its diagnostic and the other
 * lines are checked all the same. Quantities are validated and keyed by quantities.ts, evaluated by
 * evaluate.ts.
 */
import type { CheckItem, Quantity, SkippedLine } from '../language/syntax';
import { formatNumber, withinTolerance } from '../language/numbers';
import { messageOf } from '../semantics/messages';
import { base, LimitNotes, type TraceContext } from '../trace/build';
import type { CheckFactor, CheckLine, CheckTrace } from '../trace/schema';
import { checkChains } from './chains';
import { diagnose } from './diagnose';
import { Evaluator, type Evaluated, type Factor } from './evaluate';
import { originOf } from './near-misses';
import { batchOf, isBatchSum, quantityKey, quantityProblem, sampleIndex } from './quantities';
import type { Case, Written } from './slips';
import type { TrainerSnapshot } from '../compute/trainer';

/** The weights and optimizer state before the latest `step`, when a `check` checks that step (see session.ts). */
export interface CheckedStep { before: TrainerSnapshot; epoch: number }

/**
 * `check` as a command: at the weights (and optimizer state) before `step` when given — `w'` is then
 * what it produced, v(w5) and m(w5) the state it left — else at the current ones.
 */
export function runCheckCommand(ctx: TraceContext, items: CheckItem[], within: number | undefined, step?: CheckedStep, skipped?: SkippedLine[]): CheckTrace {
  const current = step ? ctx.trainer.snapshot() : undefined;
  if (step) ctx.trainer.restore(step.before);
  try {
    const t = runCheck(ctx, items, within, current, skipped);
    if (step) t.stepEpoch = step.epoch;
    return t;
  } finally {
    if (current) ctx.trainer.restore(current);
  }
}

interface Checked { item: CheckItem; e: Evaluated; tolerance: number; ok: boolean }

/**
 * Wrong lines diagnosed in one check at most: each costs a few thousand candidate slips, so a pasted
 * table of thousands of wrong lines is checked in full but only its first ones are diagnosed.
 */
export const MAX_DIAGNOSED = 1000;

/**
 * `now`: the state after the latest update, when the trainer holds an earlier one (a check of the step
 * just taken); `skipped`: the lines of `check notes` not checked (listed in the trace with the reason).
 */
export function runCheck(ctx: TraceContext, items: CheckItem[], within: number | undefined, now?: TrainerSnapshot, skipped?: SkippedLine[]): CheckTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const ev = new Evaluator(ctx, now);
  const N = ctx.trainer.sampleCount;
  // First pass: every line's exact value and verdict, so a later line can refer to an earlier one.
  const first = items.map((item): Checked | CheckLine => {
    const problem = item.problem ?? quantityProblem(item.parsed, ctx.model, N, ctx.trainer.optimizer);
    if (problem) return unchecked(item, { code: problem.code, args: problem.args, message: messageOf(problem) });
    if (item.blank) return blankLine(item);
    const e = ev.evaluate(item.parsed);
    const tolerance = within ?? item.value.halfUnit;
    return { item, e, tolerance, ok: withinTolerance(item.value.value, e.exact, tolerance) };
  });
  const written: Written = new Map(first.flatMap((x) => ('item' in x ? [[quantityKey(x.item.parsed, N), { value: x.item.value.value, ok: x.ok }]] : [])));
  let budget = MAX_DIAGNOSED;
  const lines = first.map((x) => ('item' in x ? checkLine(x, { ctx, ev, written }, !x.ok && budget-- > 0) : x));
  const failed = lines.filter((l) => !l.ok && !l.blank).length;
  const chains = checkChains(ctx, ev, items, lines, skipped);
  if (budget < 0) notes.note(`only the first ${MAX_DIAGNOSED.toLocaleString('en-US')} wrong lines are diagnosed`);
  return { ...b, kind: 'check', lines, passed: lines.filter((l) => l.ok).length, failed, ...chains, limits: notes.build() };
}

/** A blank (`QUANTITY = ?`, see engine/exercise/): not answered yet, neither right nor wrong, and its exact value is not shown. */
function blankLine(item: CheckItem): CheckLine {
  return { line: item.line, quantity: item.quantity, writtenText: '?', written: NaN, exact: NaN, tolerance: 0, ok: false, blank: true };
}

/** A line that cannot be checked against this network: marked with why, and counted as failed. */
function unchecked(item: CheckItem, problem: NonNullable<CheckLine['problem']>): CheckLine {
  return { line: item.line, quantity: item.quantity, writtenText: item.value.text, written: item.value.value, exact: NaN, tolerance: item.value.halfUnit, ok: false, problem };
}

function checkLine({ item, e, tolerance, ok }: Checked, on: { ctx: TraceContext; ev: Evaluator; written: Written }, diagnosed: boolean): CheckLine {
  const w = item.value.value;
  const line: CheckLine = { line: item.line, quantity: item.quantity, writtenText: item.value.text, written: w, exact: e.exact, tolerance, ok };
  const batch = batchOf(item.parsed, on.ev.sampleCount);
  if (batch) line.batch = batch;
  const flat = e.paths?.flat() ?? [];
  const factors: CheckFactor[] = flat.map((fa) => {
    const cf: CheckFactor = { label: fa.label, quantity: fa.quantity, exact: fa.exact, suspect: false };
    const mine = on.written.get(fa.key);
    if (mine) { cf.written = mine.value; cf.ok = mine.ok; }
    return cf;
  });
  if (diagnosed) {
    const mark = (fa: Factor) => { const i = flat.indexOf(fa); if (i >= 0) factors[i].suspect = true; };
    const d = diagnose(caseOf(item, e, tolerance, flat, on), mark);
    line.diagnosis = d.text;
    if (d.slips.length) line.slips = d.slips;
  }
  if (factors.length > 1 || (factors.length === 1 && item.parsed.kind !== 'dout/dnet')) line.factors = factors;
  return line;
}

function caseOf(item: CheckItem, e: Evaluated, tolerance: number, flat: Factor[], on: { ctx: TraceContext; ev: Evaluator; written: Written }): Case {
  const q: Quantity = item.parsed;
  const origin = originOf({ q, ctx: on.ctx });
  return {
    q, k: sampleIndex(q), sum: isBatchSum(q, on.ev.sampleCount), w: item.value.value, writtenText: item.value.text, unit: 2 * item.value.halfUnit,
    exact: e.exact, tolerance, paths: e.paths, flat, ...on,
    f: (x: number) => formatNumber(x, on.ctx.digits),
    near: nearness(item.value.value, 2 * item.value.halfUnit, tolerance, origin),
  };
}

/**
 * Within the rounding a student carries along: rounding each of a few intermediate values to d
 * significant digits moves a product by up to about 1.5·10^(1−d) of itself, so a slip's value is
 * recognised that close to what was written, at most 2 % — the digits written say how many were
 * kept (a student who writes 0.08217 kept more than one who writes 0.0821). For w' the step is what
 * was computed: it is measured from the old weight (0.25 − 0.00025 is not "within 2 %" of 0.25 − 0.000025).
 */
export function nearness(w: number, unit: number, tolerance: number, origin: number): (a: number, b: number) => boolean {
  const digits = Math.max(1, Math.floor(Math.log10(Math.abs(w - origin) / unit + 1e-9)) + 1);
  const rel = Math.min(0.02, 1.5 * 10 ** (1 - digits));
  return (a, b) => Math.abs(a - b) <= Math.max(tolerance * 1.01, rel * Math.abs(b - origin), 1e-12);
}
