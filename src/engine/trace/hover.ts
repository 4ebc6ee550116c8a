/**
 * What an editor hover shows about a name: a parameter's value, gradient and update, a neuron's net,
 * out and ∂E/∂net — from the latest `step` (or `forward`), or else computed at the current weights
 * once per change of state and cached.
 */
import type { NetworkModel, ParamDef } from '../semantics/model';
import { LimitNotes, paramInfo, shownParams, tracedUpdate, type TraceContext } from './build';
import type { ForwardTrace, ParamGrad, ParamInfo, StepTrace, UpdateRow, UpdateTrace } from './schema';

/**
 * A parameter's `at` says where its gradient and update come from: `step`, the latest `step` (or the
 * last snapshot of `train … every K`); `current`, computed at the current weights as the first update
 * the next `step` would make (after a plain `train`, a `forward`, a `reset` or a change of weights).
 * A neuron's values are those of sample 1 in the same update, or of the latest `forward`.
 */
export type HoverInfo =
  | { kind: 'param'; param: ParamInfo; grad?: ParamGrad; update?: UpdateRow; at?: 'step' | 'current'; digits: number }
  | { kind: 'neuron'; name: string; layer: number; activation: string | null; net?: number; out?: number; dE_dnet?: number; digits: number };

/** Gradients, updates and neuron values (sample 1) of one update, for hovers. */
interface Latest {
  grads: Map<string, ParamGrad>;
  updates: Map<string, UpdateRow>;
  neurons: Map<string, { net: number; out: number; dE_dnet?: number }>;
}

/**
 * Samples × parameters of the update a hover may compute at the current weights (a fraction of a
 * second, once per change of state); beyond it the hover shows no gradient until a `step`.
 */
const HOVER_WORK = 1e8;

export class HoverData {
  /** What the latest `step` computed (neurons: or the latest `forward`). */
  private latest: Latest = emptyLatest();
  /** Bumped by everything that may change the state, so data computed at the current weights is redone. */
  private version = 0;
  private atCurrent?: { version: number; latest?: Latest };

  /** The state may have changed: what was computed at the current weights is stale. */
  changed(): void {
    this.version++;
  }

  /** The latest step no longer describes the weights (new network, new value, training). */
  forget(): void {
    this.latest = emptyLatest();
  }

  rememberStep(t: StepTrace, model: NetworkModel): void {
    this.forget();
    const u = t.updates[t.updates.length - 1];
    if (u) this.latest = latestOf(u, model);
  }

  rememberForward(t: ForwardTrace, model: NetworkModel): void {
    this.latest.neurons.clear();
    const f = t.forward[0];
    if (f) f.layers.forEach((l, layer) => l.net.forEach((net, i) => this.latest.neurons.set(model.layers[layer].names[i], { net, out: l.out[i] })));
  }

  info(name: string, ctx: TraceContext): HoverInfo | undefined {
    const { model, trainer, digits } = ctx;
    const p = model.param(name);
    const n = p ? undefined : model.neurons.get(name);
    if (!p && !n) return undefined;
    const fromStep = this.latest.grads.size > 0;
    const latest = fromStep ? this.latest : this.current(ctx, p);
    if (p) {
      const grad = latest?.grads.get(name);
      return { kind: 'param', param: paramInfo(p, trainer), grad, update: latest?.updates.get(name), at: grad ? (fromStep ? 'step' : 'current') : undefined, digits };
    }
    const v = (latest ?? this.latest).neurons.get(name);
    return { kind: 'neuron', name, layer: n!.layer, activation: model.layers[n!.layer].activation, net: v?.net, out: v?.out, dE_dnet: v?.dE_dnet, digits };
  }

  /**
   * The first update the next `step` would make, written out at the current weights (without making
   * it) for the parameters a trace lists and `p`; cached until the state changes.
   */
  private current(ctx: TraceContext, p?: ParamDef): Latest | undefined {
    const cached = this.atCurrent?.version === this.version ? this.atCurrent : undefined;
    if (cached && (!cached.latest || !p || cached.latest.grads.has(p.name))) return cached.latest;
    const { trainer, model } = ctx;
    const [group] = trainer.groups();
    let latest: Latest | undefined;
    if (group && group[1] * trainer.params.length <= HOVER_WORK) {
      const params = cached ? [] : shownParams(ctx, new LimitNotes());
      // A parameter beyond those a trace lists (a bias of a big network) is added when it is hovered.
      if (p && !params.some((x) => x.name === p.name)) params.push(p);
      // The update is written out, not made: the weights and the optimizer's state stay as they are.
      const saved = trainer.snapshot();
      const u = tracedUpdate(ctx, group[0], group[1], params, new LimitNotes());
      trainer.restore(saved);
      latest = latestOf(u, model);
      if (cached?.latest) {
        for (const [k, v] of latest.grads) cached.latest.grads.set(k, v);
        for (const [k, v] of latest.updates) cached.latest.updates.set(k, v);
        latest = cached.latest;
      }
    }
    this.atCurrent = { version: this.version, latest };
    return latest;
  }
}

function emptyLatest(): Latest {
  return { grads: new Map(), updates: new Map(), neurons: new Map() };
}

/** Hover data of one written-out update: every listed parameter, and the neurons of its first sample. */
function latestOf(u: UpdateTrace, model: NetworkModel): Latest {
  const latest = emptyLatest();
  for (const g of u.grads) latest.grads.set(g.name, g);
  for (const r of u.updates) latest.updates.set(r.name, r);
  const first = u.neurons.length ? u.neurons[0].sample : 0;
  for (const n of u.neurons) if (n.sample === first) latest.neurons.set(n.neuron, { net: n.net, out: n.out, dE_dnet: n.dE_dnet });
  const f = u.forward[0];
  if (f) model.layers[0].names.forEach((name, i) => { if (i < f.input.length) latest.neurons.set(name, { net: f.input[i], out: f.input[i] }); });
  return latest;
}
