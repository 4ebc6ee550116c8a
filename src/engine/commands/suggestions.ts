/**
 * The lines of `check notes` that were not checked, with the reason in words and, where the number
 * a line ends in lies within half a unit of its last digit of exactly one quantity of the network,
 * that quantity and the `notation` line that would make the line a check (`a_1 = 0.593 looks like
 * out(h1) = 0.59327: add notation a_1 = out(h1)`). The quantities are evaluated once per block and
 * sorted, so each line costs a binary search, however many lines were pasted.
 */
import type { Quantity, SkippedLine } from '../language/syntax';
import { messageOf } from '../semantics/messages';
import { quantityText } from '../semantics/notation';
import type { TraceContext } from '../trace/build';
import type { NotCheckedLine } from '../trace/schema';
import type { Evaluator } from './evaluate';

/** Lines listed in a trace; beyond, only counted. */
export const MAX_NOT_CHECKED = 500;
/** Neurons per layer and parameters looked at for a suggestion. */
const MAX_NEURONS = 64;
const MAX_PARAMS = 2_000;

interface Known { quantity: string; exact: number }

export function notCheckedLines(ctx: TraceContext, ev: Evaluator, skipped: SkippedLine[]): { notChecked: NotCheckedLine[]; notCheckedMore?: number } {
  let known: Known[] | undefined;
  const notChecked = skipped.slice(0, MAX_NOT_CHECKED).map((s): NotCheckedLine => {
    const line: NotCheckedLine = {
      line: s.line, ...(s.endLine ? { endLine: s.endLine } : {}), text: s.text, code: s.code, reason: messageOf({ code: s.code, args: s.args }),
    };
    if (!s.value) return line;
    known ??= knownValues(ctx, ev);
    const match = onlyMatch(known, s.value.value, 1.01 * s.value.halfUnit);
    if (match) {
      line.suggestion = { quantity: match.quantity, exact: match.exact };
      if (s.symbol && canBeSymbol(s.symbol)) line.suggestion.notation = `${s.symbol} = ${match.quantity}`;
    }
    return line;
  });
  return skipped.length > MAX_NOT_CHECKED ? { notChecked, notCheckedMore: skipped.length - MAX_NOT_CHECKED } : { notChecked };
}

/** A `notation` line can hold it: no `=` or `,` outside brackets, no `#`. */
function canBeSymbol(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if ((c === '=' || c === ',') && depth === 0) return false;
    else if (c === '#' || c === '\n') return false;
  }
  return true;
}

/** The one quantity within `tol` of `w`; none when there is no such quantity or more than one. */
function onlyMatch(known: Known[], w: number, tol: number): Known | undefined {
  let lo = 0;
  let hi = known.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (known[mid].exact < w - tol) lo = mid + 1; else hi = mid; }
  const found: Known[] = [];
  for (let i = lo; i < known.length && known[i].exact <= w + tol; i++) found.push(known[i]);
  return found.length === 1 ? found[0] : undefined;
}

/** Every quantity a line of notes is likely to be about, evaluated at the block's weights, by value. */
function knownValues(ctx: TraceContext, ev: Evaluator): Known[] {
  const { model } = ctx;
  const qs: Quantity[] = [];
  if (ctx.trainer.sampleCount > 0) {
    qs.push({ kind: 'E' });
    model.layers.forEach((layer, l) => {
      for (const neuron of layer.names.slice(0, MAX_NEURONS)) {
        qs.push({ kind: 'out', neuron });
        if (l === 0) continue;
        qs.push({ kind: 'net', neuron }, { kind: 'dE/dout', neuron }, { kind: 'dout/dnet', neuron }, { kind: 'dE/dnet', neuron });
        if (l === model.layers.length - 1) qs.push({ kind: 'E', neuron });
      }
    });
  }
  for (const p of model.listParams(MAX_PARAMS)) {
    qs.push({ kind: 'value', param: p.name });
    if (ctx.trainer.sampleCount > 0) qs.push({ kind: 'dE/dparam', param: p.name }, { kind: 'after', param: p.name });
  }
  return qs.map((q) => ({ quantity: quantityText(q), exact: ev.evaluate(q).exact }))
    .filter((k) => Number.isFinite(k.exact))
    .sort((a, b) => a.exact - b.exact);
}
