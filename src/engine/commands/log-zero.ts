/**
 * `log 0`: an output of exactly 0 or 1 where the loss takes its logarithm with a target that does not
 * switch the term off (softmax underflowing to 0, σ rounding to 1 in double precision). E is then
 * infinite; the commands stop with the error `log-of-zero`, naming the sample and the output, rather
 * than show an infinite loss and the NaN that would follow from it. The loss record says which
 * outputs take ln 0 (`logZero`).
 */
import { lossRecord } from '../math/losses';
import type { DiagnosticArgs } from '../semantics/messages';
import type { TraceContext } from '../trace/build';

/** The first sample and output (in order) whose term takes ln 0 at the current weights, as diagnostic arguments. */
export function findLogZero(ctx: TraceContext): DiagnosticArgs | undefined {
  const record = lossRecord(ctx.loss);
  if (!record.logZero) return undefined;
  const { trainer, model } = ctx;
  const L = model.layers.length - 1;
  for (let s = 0; s < trainer.sampleCount; s++) {
    if (Number.isFinite(trainer.lossOf(s, 1, 1))) continue;
    const d = trainer.detail(s, 1);
    const t = trainer.sampleTargets(s);
    const k = d.out[L].findIndex((o, j) => record.logZero!(o, t[j]));
    if (k >= 0) return { loss: ctx.loss, sample: s + 1, neuron: model.outputNames[k], out: d.out[L][k], net: d.net[L][k] };
  }
  return undefined;
}
