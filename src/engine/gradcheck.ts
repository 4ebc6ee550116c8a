/**
 * `gradcheck`: every analytic gradient against central finite differences of the loss over all
 * samples, (E(p + h) − E(p − h)) / 2h, with h scaled to the parameter's size.
 */
import { base, LimitNotes, shownParams, type TraceContext } from './traces';
import type { GradcheckRow, GradcheckTrace } from './trace';

export const GRADCHECK_EPSILON = 1e-6;
/** Relative error accepted as agreement (central differences are accurate to about h² ≈ 1e-12). */
export const GRADCHECK_TOLERANCE = 1e-5;

export function runGradcheck(ctx: TraceContext): GradcheckTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const { trainer } = ctx;
  const S = trainer.sampleCount;
  const E = trainer.loss();
  trainer.gradient(0, S);
  const analytic = trainer.grad.slice();
  const p = trainer.params;
  const rows: GradcheckRow[] = shownParams(ctx, notes).map((param) => {
    const slots = param.slots;
    const v = p[slots[0]];
    const h = GRADCHECK_EPSILON * Math.max(1, Math.abs(v));
    const set = (x: number) => { for (const s of slots) p[s] = x; };
    set(v + h);
    const up = trainer.loss();
    set(v - h);
    const down = trainer.loss();
    set(v);
    const numeric = (up - down) / (2 * h);
    const a = analytic[slots[0]];
    const diff = Math.abs(a - numeric);
    const relativeError = diff / Math.max(Math.abs(a), Math.abs(numeric), 1e-8);
    // Near-zero gradients are judged absolutely: rounding in E(p ± h) alone is about ε·E/h.
    const ok = relativeError <= GRADCHECK_TOLERANCE || diff <= 1e-8 * Math.max(1, Math.abs(E));
    return { name: param.name, analytic: a, numeric, relativeError, ok };
  });
  const maxRelativeError = rows.reduce((m, r) => Math.max(m, r.relativeError), 0);
  return { ...b, kind: 'gradcheck', epsilon: GRADCHECK_EPSILON, rows, maxRelativeError, ok: rows.every((r) => r.ok), limits: notes.build() };
}
