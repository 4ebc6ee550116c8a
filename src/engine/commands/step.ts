/** `step`: one epoch with every table written out; an epoch that overflows is undone. */
import { tracedEpoch, type TraceContext } from '../trace/build';
import type { StepTrace } from '../trace/schema';

export interface StepOutcome {
  trace: StepTrace;
  /** The weights before the step (a `check` right after it checks this step). */
  before: Float64Array;
  /** The loss or the weights became NaN or ±Infinity: the weights are back to `before`. */
  diverged: boolean;
}

export function runStep(ctx: TraceContext, epochAfter: number): StepOutcome {
  const before = ctx.trainer.params.slice();
  const trace = tracedEpoch(ctx, epochAfter);
  const diverged = !allFinite(ctx.trainer.params) || !Number.isFinite(trace.lossAfter);
  if (diverged) ctx.trainer.params.set(before);
  return { trace, before, diverged };
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
