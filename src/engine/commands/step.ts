/** `step`: one epoch with every table written out; an epoch that overflows, or meets ln 0, is undone. */
import type { TrainerSnapshot } from '../compute/trainer';
import type { DiagnosticArgs, DiagnosticCode } from '../semantics/messages';
import { tracedEpoch, type TraceContext } from '../trace/build';
import type { StepTrace } from '../trace/schema';
import { findLogZero } from './log-zero';

export interface StepOutcome {
  /** Absent when the step could not start: the loss at the current weights is already infinite (ln 0). */
  trace?: StepTrace;
  /** The weights and optimizer state before the step (a `check` right after it checks this step). */
  before: TrainerSnapshot;
  /** The loss or the weights became NaN or ±Infinity (`diverged`, `log-of-zero`): the weights are back to `before`. */
  problem?: { code: DiagnosticCode; args: DiagnosticArgs };
}

/** `epoch`: the epoch the weights are at; the step makes epoch + 1. */
export function runStep(ctx: TraceContext, epoch: number): StepOutcome {
  const before = ctx.trainer.snapshot();
  if (!Number.isFinite(ctx.trainer.loss())) {
    const zero = findLogZero(ctx);
    if (zero) return { before, problem: { code: 'log-of-zero', args: { ...zero, epoch } } };
  }
  const trace = tracedEpoch(ctx, epoch + 1);
  if (allFinite(ctx.trainer.params) && Number.isFinite(trace.lossAfter)) return { trace, before };
  const zero = findLogZero(ctx);
  ctx.trainer.restore(before);
  const problem: StepOutcome['problem'] = zero
    ? { code: 'log-of-zero', args: { ...zero, epoch: epoch + 1, kept: epoch } }
    : { code: 'diverged', args: { epoch: epoch + 1, rate: ctx.rate, kept: epoch } };
  return { trace, before, problem };
}

export function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
