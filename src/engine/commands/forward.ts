/** `forward`: the forward pass of every sample and the loss, at the current weights (which it does not change). */
import { base, forwardAndLoss, LimitNotes, type TraceContext } from '../trace/build';
import type { ForwardTrace } from '../trace/schema';

export function runForward(ctx: TraceContext): ForwardTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const { forward, loss } = forwardAndLoss(ctx, notes);
  return { ...b, kind: 'forward', forward, loss, limits: notes.build() };
}
