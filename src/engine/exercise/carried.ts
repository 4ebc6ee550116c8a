/**
 * Error carried forward: the value a check quantity has when some of the quantities it is computed
 * from take the student's own (wrong) values instead of the exact ones. A grader asks "does the
 * student's E follow from the student's out(o1)?": E is recomputed with out(o1) replaced by what
 * the student wrote, and everything else exact.
 *
 * Each quantity is computed from the ones a student computes it from, as the worked examples do:
 * net from the outs of the layer below (and the weights), out and ∂out/∂net from net, an output's
 * ∂E/∂out and E's terms from its out, a hidden ∂E/∂out from the ∂E/∂net of the layer above, ∂E/∂net
 * as ∂E/∂out · ∂out/∂net, ∂E/∂p as Σ ∂E/∂net · ∂net/∂p, a batch gradient as the sum over samples,
 * and p' = p − η·∂E/∂p. Wherever a quantity is overridden (by its check key, see
 * commands/quantities.ts, whose batch rule it follows), the override is used, and every result
 * says which overrides it used.
 * Without overrides the values are the exact ones (the tests compare them with the engine's).
 *
 * Parameters come from a check trace's `network` (the weights the check evaluated at) and the
 * samples from the notebook; activations and losses from their records. A softmax output's out,
 * Jacobian and ∂E/∂net are computed from the whole layer; the decay's terms are added to E and to a
 * weight's gradient. `w'` is the optimizer's update from the state the trace holds (ParamInfo's
 * `state`: for a check of the step just taken, the state before it), and `v(w5)`, `m(w5)` of that
 * step the state it leaves; otherwise `v(w5)`, `m(w5)` are the current state, which no answer
 * of the check feeds.
 */
import { isBatchSum, quantityKey, sampleIndex } from '../commands/quantities';
import type { Quantity } from '../language/syntax';
import { elementwise, layerwise, type Activation } from '../math/activations';
import { lossRecord } from '../math/losses';
import { optimizerRecord, type UpdateOutput } from '../math/optimizers';
import type { NetworkInfo, ParamInfo } from '../trace/schema';

export interface ExerciseNet {
  network: NetworkInfo;
  /** Per sample: the inputs in the input layer's order, the targets in the output layer's. */
  inputs: number[][];
  targets: number[][];
  /** The check looked at the step just taken: the trace's state is the one before it (see `state` in `Carried`). */
  checksStep?: boolean;
}

/** A value and the keys of the overrides it was computed from. */
export type Followed = { value: number; used: readonly string[] } | undefined;

/** Combines values with `f`; undefined when one of them is. */
function op(parts: Followed[], f: (...v: number[]) => number): Followed {
  if (parts.some((p) => p === undefined)) return undefined;
  const used = new Set<string>();
  for (const p of parts) for (const k of p!.used) used.add(k);
  return { value: f(...parts.map((p) => p!.value)), used: [...used] };
}

const sum = (parts: Followed[]): Followed => op(parts, (...v) => v.reduce((a, b) => a + b, 0));
const exact = (value: number): Followed => ({ value, used: [] });

export class Carried {
  private readonly memo = new Map<string, Followed>();
  private readonly where = new Map<string, { layer: number; index: number }>();
  private readonly params = new Map<string, ParamInfo>();
  private readonly last: number;
  private readonly n: number;

  constructor(private readonly net: ExerciseNet, private readonly overrides: ReadonlyMap<string, number> = new Map()) {
    net.network.layers.forEach((l, layer) => l.neurons.forEach((name, index) => this.where.set(name, { layer, index })));
    for (const p of net.network.params) this.params.set(p.name, p);
    this.last = net.network.layers.length - 1;
    this.n = net.inputs.length;
  }

  value(q: Quantity): Followed {
    const key = quantityKey(q, this.n);
    if (this.overrides.has(key)) return { value: this.overrides.get(key)!, used: [key] };
    if (!this.memo.has(key)) this.memo.set(key, this.compute(q));
    return this.memo.get(key);
  }

  private compute(q: Quantity): Followed {
    const s = sampleIndex(q) + 1;
    // The batch rule (commands/quantities.ts): without [k], ∂E/∂out and ∂E/∂net sum over the samples.
    if ((q.kind === 'dE/dout' || q.kind === 'dE/dnet') && isBatchSum(q, this.n)) return sum(this.samples().map((k) => this.value({ ...q, sample: k })));
    switch (q.kind) {
      case 'net': return this.netOf(q.neuron, s);
      case 'out': return this.outOf(q.neuron, s);
      case 'dout/dnet': {
        const act = elementwise(this.activation(q.neuron));
        if (!act) return this.jacobian(q.neuron, q.wrt ?? q.neuron, s);
        return op([this.value({ kind: 'net', neuron: q.neuron, sample: s }), this.value({ kind: 'out', neuron: q.neuron, sample: s })], (z, a) => act.derivative(z, a));
      }
      case 'dE/dout': return this.dEdout(q.neuron, s);
      case 'dE/dnet':
        if (layerwise(this.activation(q.neuron))) return this.throughJacobian(q.neuron, s);
        return op([this.value({ kind: 'dE/dout', neuron: q.neuron, sample: s }), this.value({ kind: 'dout/dnet', neuron: q.neuron, sample: s })], (a, b) => a * b);
      case 'dnet/dparam': return this.dnetOf(q.neuron, this.params.get(q.param)!, s);
      case 'dE/dparam': return this.gradient(this.params.get(q.param)!, q.sample);
      case 'E': return this.loss(q.neuron, q.sample);
      case 'after': return this.after(this.params.get(q.param)!);
      case 'value': return exact(this.params.get(q.param)!.value);
      case 'state': return this.state(this.params.get(q.param)!, q.slot);
    }
  }

  private activation(neuron: string): Activation {
    return this.net.network.layers[this.where.get(neuron)!.layer].activation!;
  }

  /** The quantity of every neuron of `neuron`'s layer, in order. */
  private layerOf(neuron: string, q: (name: string) => Quantity): Followed[] {
    return this.net.network.layers[this.where.get(neuron)!.layer].neurons.map((name) => this.value(q(name)));
  }

  /** ∂out_k/∂net_j of a layer-wise activation, from the layer's outs. */
  private jacobian(k: string, j: string, s: number): Followed {
    const f = layerwise(this.activation(k))!;
    const [ik, ij] = [this.where.get(k)!.index, this.where.get(j)!.index];
    return op(this.layerOf(k, (name) => ({ kind: 'out', neuron: name, sample: s })), (...outs) => f.jacobian(outs, ik, ij));
  }

  /** ∂E/∂net_j = Σ_k ∂E/∂out_k · ∂out_k/∂net_j through a layer-wise activation. */
  private throughJacobian(neuron: string, s: number): Followed {
    const names = this.net.network.layers[this.where.get(neuron)!.layer].neurons;
    return sum(names.map((k) => op([this.value({ kind: 'dE/dout', neuron: k, sample: s }), this.jacobian(k, neuron, s)], (a, b) => a * b)));
  }

  private netOf(neuron: string, s: number): Followed {
    const { layer, index } = this.where.get(neuron)!;
    if (layer === 0) return exact(this.net.inputs[s - 1][index]);
    const terms = this.net.network.params.filter((p) => p.to.includes(neuron)).map((p) => (p.kind === 'bias'
      ? exact(p.value)
      : op([this.value({ kind: 'out', neuron: p.from!, sample: s })], (a) => p.value * a)));
    return sum(terms);
  }

  private outOf(neuron: string, s: number): Followed {
    const { layer, index } = this.where.get(neuron)!;
    if (layer === 0) return exact(this.net.inputs[s - 1][index]);
    const act = elementwise(this.activation(neuron));
    if (!act) {
      const f = layerwise(this.activation(neuron))!;
      return op(this.layerOf(neuron, (name) => ({ kind: 'net', neuron: name, sample: s })), (...nets) => {
        const outs = new Float64Array(nets.length);
        f.values(nets, outs);
        return outs[index];
      });
    }
    return op([this.value({ kind: 'net', neuron, sample: s })], (z) => act.value(z));
  }

  private dEdout(neuron: string, s: number): Followed {
    const { layer, index } = this.where.get(neuron)!;
    if (layer === this.last) {
      const loss = lossRecord(this.net.network.loss);
      const t = this.net.targets[s - 1][index];
      return op([this.value({ kind: 'out', neuron, sample: s })], (a) => loss.scale(this.n) * loss.dTerm(a, t));
    }
    const fed = this.net.network.params.filter((p) => p.kind === 'weight' && p.from === neuron);
    return sum(fed.map((w) => op([this.value({ kind: 'dE/dnet', neuron: w.to[0], sample: s })], (d) => d * w.value)));
  }

  private dnetOf(neuron: string, p: ParamInfo, s: number): Followed {
    if (!p.to.includes(neuron)) return exact(0);
    return p.kind === 'bias' ? exact(1) : this.value({ kind: 'out', neuron: p.from!, sample: s });
  }

  private gradient(p: ParamInfo, sample: number | undefined): Followed {
    const decay = p.kind === 'weight' ? this.net.network.decay * p.value : 0;
    if (sample === undefined) return sum([...this.samples().map((k) => this.value({ kind: 'dE/dparam', param: p.name, sample: k })), exact(decay)]);
    return sum(p.to.map((n) => op([
      this.value({ kind: 'dE/dnet', neuron: n, sample }), this.value({ kind: 'dnet/dparam', neuron: n, param: p.name, sample }),
    ], (d, x) => d * x)));
  }

  /** E(o)[k] from out(o)[k]; E(o) summed over the samples; E[k] over the outputs; E as the student
   *  adds it up: over samples when a per-sample E[k] is given, else over the outputs' E(o). */
  private loss(neuron: string | undefined, sample: number | undefined): Followed {
    const outputs = this.net.network.layers[this.last].neurons;
    if (neuron !== undefined && sample !== undefined) {
      const loss = lossRecord(this.net.network.loss);
      const t = this.net.targets[sample - 1][this.where.get(neuron)!.index];
      return op([this.value({ kind: 'out', neuron, sample })], (a) => loss.scale(this.n) * loss.term(a, t));
    }
    if (neuron !== undefined) return sum(this.samples().map((k) => this.value({ kind: 'E', neuron, sample: k })));
    if (sample !== undefined) return sum(outputs.map((o) => this.value({ kind: 'E', neuron: o, sample })));
    const perSample = [...this.overrides.keys()].some((k) => /^E\[\d+\]$/.test(k));
    const w2 = this.net.network.params.reduce((a, p) => a + (p.kind === 'weight' ? p.value * p.value : 0), 0);
    const decay = exact((this.net.network.decay / 2) * w2);
    return perSample
      ? sum([...this.samples().map((k) => this.value({ kind: 'E', sample: k })), decay])
      : sum([...outputs.map((o) => this.value({ kind: 'E', neuron: o })), decay]);
  }

  /** p' after one update of the whole batch; with several updates an epoch (sample or minibatch
   *  mode over several samples) there is no one gradient to carry, so undefined. */
  private after(p: ParamInfo): Followed {
    if (p.frozen) return exact(p.value);
    const u = this.update(p);
    return u && { value: p.value - u.out.step, used: u.used };
  }

  /** v(p) or m(p): after the step just taken, what that update left; else the current state. */
  private state(p: ParamInfo, slot: 'v' | 'm'): Followed {
    if (!p.state) return undefined;
    if (!this.net.checksStep || p.frozen) return exact(p.state[slot]);
    const u = this.update(p);
    return u && { value: u.out[slot], used: u.used };
  }

  /** One update of p by the optimizer's record, from p's gradient as the student's values give it. */
  private update(p: ParamInfo): { out: UpdateOutput; used: readonly string[] } | undefined {
    const { mode, optimizer, rate, updates } = this.net.network;
    if (mode.kind !== 'batch' && this.n > 1) return undefined;
    if (optimizer.name !== 'sgd' && (!p.state || updates === undefined)) return undefined;
    const g = this.value({ kind: 'dE/dparam', param: p.name });
    if (!g) return undefined;
    const { v, m } = p.state ?? { v: 0, m: 0 };
    return { out: optimizerRecord(optimizer.name).update(optimizer, { p: p.value, g: g.value, v, m, t: (updates ?? 0) + 1, rate }), used: g.used };
  }

  private samples(): number[] {
    return Array.from({ length: this.n }, (_, k) => k + 1);
  }
}
