/**
 * `gradcheck`: every analytic gradient against central finite differences of the loss over all
 * samples, (E(p + h) − E(p − h)) / 2h, with h scaled to the parameter's size.
 *
 * Each parameter checked costs two loss passes over all samples, so a big network is checked on a
 * deterministic subset: as many parameters as GRADCHECK_WORK allows (at least GRADCHECK_MIN_PER_LAYER
 * per layer), spread evenly over every layer — its weights in layout order, then its biases — so
 * that no layer goes unchecked. The trace's limit notes say so.
 */
import { TRACE_LIMITS } from '../semantics/limits';
import type { NetworkModel, ParamDef } from '../semantics/model';
import { base, LimitNotes, type TraceContext } from '../trace/build';
import type { GradcheckRow, GradcheckTrace } from '../trace/schema';

export const GRADCHECK_EPSILON = 1e-6;
/** Relative error accepted as agreement (central differences are accurate to about h² ≈ 1e-12). */
export const GRADCHECK_TOLERANCE = 1e-5;
/** Multiply-adds the finite differences of one gradcheck may take (a second or two) before a subset is checked. */
export const GRADCHECK_WORK = 1e9;
/** Parameters per layer checked however big the network. */
export const GRADCHECK_MIN_PER_LAYER = 2;

/** How many parameters gradcheck compares for this network and sample count. */
export function gradcheckCount(model: NetworkModel, sampleCount: number): number {
  const total = model.paramCount;
  // One loss pass is about samples × parameters multiply-adds; each parameter needs two.
  const affordable = Math.floor(GRADCHECK_WORK / (2 * Math.max(1, sampleCount) * total));
  const floor = GRADCHECK_MIN_PER_LAYER * (model.layers.length - 1);
  return Math.min(total, TRACE_LIMITS.params, Math.max(affordable, floor));
}

/** The parameters gradcheck compares: all of them in trace order, or `count` spread over every layer. */
export function gradcheckParams(model: NetworkModel, count: number): ParamDef[] {
  if (count >= model.paramCount) return model.listParams(count);
  const L = model.layers.length - 1;
  const biases = Array.from({ length: L + 1 }, () => [] as ParamDef[]);
  for (const p of model.declaredParams) if (p.kind === 'bias') biases[p.layer].push(p);
  const size = (l: number) => model.layers[l].names.length * model.layers[l - 1].names.length + biases[l].length;
  // Water-filling: an even share per layer; what a small layer cannot use goes to the others.
  const share = new Array<number>(L + 1).fill(0);
  let left = count;
  let open = Array.from({ length: L }, (_, i) => i + 1);
  while (left > 0 && open.length) {
    const each = Math.max(1, Math.floor(left / open.length));
    for (const l of open) {
      const add = Math.min(each, size(l) - share[l], left);
      share[l] += add;
      left -= add;
      if (left === 0) break;
    }
    open = open.filter((l) => share[l] < size(l));
  }
  const out: ParamDef[] = [];
  for (let l = 1; l <= L; l++) {
    const n = share[l];
    const c = size(l);
    const nIn = model.layers[l - 1].names.length;
    const weights = c - biases[l].length;
    // Evenly spaced over the layer, first and last included.
    for (let k = 0; k < n; k++) {
      const idx = n === 1 ? 0 : Math.round((k * (c - 1)) / (n - 1));
      if (idx < weights) {
        const from = model.neurons.get(model.layers[l - 1].names[idx % nIn])!;
        const to = model.neurons.get(model.layers[l].names[Math.floor(idx / nIn)])!;
        out.push(model.edgeParam(from, to));
      } else out.push(biases[l][idx - weights]);
    }
  }
  return out;
}

export function runGradcheck(ctx: TraceContext): GradcheckTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const { trainer, model } = ctx;
  const S = trainer.sampleCount;
  const count = gradcheckCount(model, S);
  const params = gradcheckParams(model, count);
  if (params.length < model.paramCount) {
    const fmt = (n: number) => n.toLocaleString('en-US');
    notes.note(`gradcheck compares ${fmt(params.length)} of ${fmt(model.paramCount)} parameters, spread evenly over every layer (weights in layout order, then biases): each costs two loss passes over all ${fmt(S)} sample${S === 1 ? '' : 's'}`);
  }
  const E = trainer.loss();
  trainer.gradient(0, S);
  const analytic = trainer.grad.slice();
  const p = trainer.params;
  const rows: GradcheckRow[] = params.map((param) => {
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
