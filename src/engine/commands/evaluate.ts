/**
 * The exact value of a `check` quantity at the current weights, and for a product of the chain rule
 * its factors, each path of a sum one list. Every number comes from the trainer's own kernels, so a
 * check compares with exactly the arithmetic that `step` does. Sums over a batch follow the rule of
 * quantities.ts: the derivative of E when the value moves in every sample.
 */
import type { Quantity } from '../language/syntax';
import type { NeuronRef, ParamDef } from '../semantics/model';
import type { SampleDetail, TrainerSnapshot } from '../compute/trainer';
import { activationDerivative, layerwise } from '../math/activations';
import { lossRecord } from '../math/losses';
import type { TraceContext } from '../trace/build';
import type { Activation } from '../trace/schema';
import { isBatchSum, keyOf, sampleIndex } from './quantities';

/**
 * Which chain-rule factor: ∂E/∂out, ∂out/∂net (of a layer-wise activation, an entry of its
 * Jacobian), ∂net/∂p, a weight of a hidden sum, ∂E/∂net of a layer-wise neuron (the Jacobian's
 * sum, a factor of the paths through it), or the decay's λ·w (a path of its own in ∂E/∂w).
 */
export type FactorRole = 'dE/dout' | 'dout/dnet' | 'dnet/dparam' | 'weight' | 'dE/dnet' | 'decay';

export interface Factor {
  role: FactorRole;
  /** The neuron the factor belongs to (for a weight of a hidden sum, the neuron it feeds). */
  neuron: string;
  /** True when `neuron` is an output: its ∂E/∂out is the loss's own derivative. */
  output: boolean;
  label: string;
  quantity: string;
  /** The key of the check line that writes this factor (see quantities.ts). */
  key: string;
  exact: number;
  /** For ∂out/∂net: what the activation's derivative was taken at. */
  derivative?: { act: Activation; out: number; net: number };
  /** For ∂net/∂w: the neuron whose out it is. */
  source?: { neuron: string; layer: number };
  /** For an entry ∂out_k/∂net_j of a layer-wise Jacobian: the neuron j (`neuron` is k). */
  wrt?: string;
}

export interface Evaluated { exact: number; paths?: Factor[][] }

/** Sum over paths of the product of factors, each factor's value given by `value`. */
export const total = (paths: Factor[][], value: (f: Factor) => number): number =>
  paths.reduce((s, p) => s + p.reduce((m, f) => m * value(f), 1), 0);

/** The product of `paths` with factor `fa` replaced by `v`. */
export const replacing = (paths: Factor[][], fa: Factor, v: number): number => total(paths, (x) => (x === fa ? v : x.exact));

/** At most this many paths of a hidden sum are written out as factors. */
export const MAX_PATHS = 64;
/** Sample details kept for reuse; a batch summed over more samples is streamed. */
const MAX_CACHED = 64;

export class Evaluator {
  private readonly details = new Map<number, SampleDetail>();
  private after?: Float64Array;
  private batchGrad?: Float64Array;
  private neuronSums?: { dE_dout: Float64Array[]; dE_dnet: Float64Array[] };
  /**
   * `now`: the weights and optimizer state after the latest update, which v(w5) and m(w5) read — the
   * trainer's own, unless the check looks at the step just taken (then the trainer holds the state
   * before it).
   */
  constructor(readonly ctx: TraceContext, private readonly now?: TrainerSnapshot) {}

  /** True when the check looks at the step just taken: the trainer holds the weights and state before it. */
  get checksStep(): boolean { return this.now !== undefined; }

  get sampleCount(): number { return this.ctx.trainer.sampleCount; }

  /** Forward and backward values of sample k (0-based), computed once. */
  sample(k: number): SampleDetail {
    const cached = this.details.get(k);
    if (cached) return cached;
    const d = this.ctx.trainer.detail(k, this.sampleCount);
    if (this.details.size < MAX_CACHED) this.details.set(k, d);
    return d;
  }

  /** The line's value: of its sample, or of the whole batch (see quantities.ts). */
  evaluate(q: Quantity): Evaluated {
    return this.at(q, sampleIndex(q), isBatchSum(q, this.sampleCount));
  }

  /** The same quantity for one sample k (0-based), as if written with `[k + 1]`. */
  ofSample(q: Quantity, k: number): Evaluated {
    return this.at(q, k, false);
  }

  private at(q: Quantity, k: number, sum: boolean): Evaluated {
    const at = (neuron: string, values: Float64Array[]) => { const r = this.ref(neuron); return values[r.layer][r.index]; };
    switch (q.kind) {
      case 'E': return { exact: this.loss(q.neuron, k, sum) };
      case 'net': return { exact: at(q.neuron, this.sample(k).net) };
      case 'out': return { exact: at(q.neuron, this.sample(k).out) };
      case 'dout/dnet': { const f = this.derivFactor(q.neuron, k, q.wrt); return { exact: f.exact, paths: [[f]] }; }
      case 'dE/dnet':
        if (sum) return { exact: at(q.neuron, this.batchNeurons().dE_dnet) };
        return { exact: at(q.neuron, this.sample(k).dE_dnet), paths: this.netPaths(q.neuron, k) };
      case 'dE/dout':
        if (sum) return { exact: at(q.neuron, this.batchNeurons().dE_dout) };
        return this.dEdout(q.neuron, k);
      case 'dnet/dparam': return { exact: this.dnetFactor(q.neuron, this.param(q.param), k).exact };
      case 'dE/dparam': return this.dEdparam(q.param, sum, k);
      case 'after': return { exact: this.paramsAfterStep()[this.param(q.param).slots[0]] };
      case 'value': return { exact: this.ctx.trainer.params[this.param(q.param).slots[0]] };
      case 'state': return { exact: (this.now ?? this.ctx.trainer.state)[q.slot][this.param(q.param).slots[0]] };
    }
  }

  /** ∂E/∂net_j as the product it is: ∂E/∂out · ∂out/∂net, or through a layer-wise Jacobian Σ_k ∂E/∂out_k · ∂out_k/∂net_j. */
  private netPaths(neuron: string, k: number): Factor[][] {
    const r = this.ref(neuron);
    const layer = this.ctx.model.layers[r.layer];
    if (!layerwise(layer.activation) || layer.names.length > MAX_PATHS) return [[this.doutFactor(neuron, k), this.derivFactor(neuron, k)]];
    return layer.names.map((other) => [this.doutFactor(other, k), this.derivFactor(other, k, neuron)]);
  }

  /** The factor ∂E/∂out · ∂out/∂net of a path through `neuron`: one ∂E/∂net when its activation is layer-wise. */
  throughNet(neuron: string, k: number): Factor[] {
    return layerwise(this.activationOf(neuron)) ? [this.dnetDeltaFactor(neuron, k)] : [this.doutFactor(neuron, k), this.derivFactor(neuron, k)];
  }

  private activationOf(neuron: string) { return this.ctx.model.layers[this.ref(neuron).layer].activation; }

  /** ∂E/∂p of the whole batch for every parameter (tied ones summed). */
  batchGradient(): Float64Array {
    if (!this.batchGrad) { this.ctx.trainer.gradient(0, this.sampleCount); this.batchGrad = this.ctx.trainer.grad.slice(); }
    return this.batchGrad;
  }

  /** ∂E/∂out and ∂E/∂net of every neuron summed over the batch, in one pass over the samples. */
  batchNeurons(): { dE_dout: Float64Array[]; dE_dnet: Float64Array[] } {
    if (this.neuronSums) return this.neuronSums;
    const sizes = this.ctx.model.layers.map((l) => l.names.length);
    const sums = { dE_dout: sizes.map((n) => new Float64Array(n)), dE_dnet: sizes.map((n) => new Float64Array(n)) };
    for (let s = 0; s < this.sampleCount; s++) {
      const d = this.sample(s);
      for (let l = 1; l < sizes.length; l++) {
        for (let j = 0; j < sizes[l]; j++) { sums.dE_dout[l][j] += d.dE_dout[l][j]; sums.dE_dnet[l][j] += d.dE_dnet[l][j]; }
      }
    }
    this.neuronSums = sums;
    return sums;
  }

  /** out of every neuron of a layer for sample k (for "used the wrong neuron's out"). */
  outs(layer: number, k: number): { name: string; value: number }[] {
    const d = this.sample(k);
    return this.ctx.model.layers[layer].names.slice(0, MAX_PATHS).map((name, i) => ({ name, value: d.out[layer][i] }));
  }

  /** The current value of the weight on the edge from → to. */
  weight(from: NeuronRef, to: NeuronRef): number {
    return this.ctx.trainer.params[this.ctx.model.weightSlot(from, to)];
  }

  ref(neuron: string): NeuronRef { return this.ctx.model.neurons.get(neuron)!; }
  param(name: string): ParamDef { return this.ctx.model.param(name)!; }

  /** E, E[k], E(o) or E(o)[k]; a sum over the batch when `sum` (the decay is E's alone). */
  private loss(neuron: string | undefined, k: number, sum: boolean): number {
    const { trainer } = this.ctx;
    // With one sample E and E[1] are one value (the batch rule): the decay's term included.
    if (neuron === undefined) return sum || this.sampleCount === 1 ? trainer.loss() : this.sample(k).loss;
    const r = this.ref(neuron);
    const record = lossRecord(this.ctx.loss);
    const c = record.scale(this.sampleCount);
    const term = (s: number) => c * record.term(this.sample(s).out[r.layer][r.index], trainer.sampleTargets(s)[r.index]);
    if (!sum) return term(k);
    let total = 0;
    for (let s = 0; s < this.sampleCount; s++) total += term(s);
    return total;
  }

  /** A hidden neuron's ∂E/∂out is a sum over the neurons it feeds: ∂E/∂out · ∂out/∂net · w. */
  private dEdout(neuron: string, k: number): Evaluated {
    const { model, trainer } = this.ctx;
    const r = this.ref(neuron);
    const exact = this.sample(k).dE_dout[r.layer][r.index];
    if (r.layer === model.layers.length - 1) return { exact };
    const next = model.layers[r.layer + 1].names;
    if (next.length > MAX_PATHS) return { exact };
    const paths = next.map((name) => {
      const w = model.edgeParam(r, this.ref(name));
      const weight: Factor = { role: 'weight', neuron: name, output: false, label: w.name, quantity: w.name, key: w.name, exact: trainer.params[w.slots[0]] };
      return [...this.throughNet(name, k), weight];
    });
    return { exact, paths };
  }

  private dEdparam(name: string, sum: boolean, k: number): Evaluated {
    const p = this.param(name);
    if (sum) return { exact: this.batchGradient()[p.slots[0]] };
    const paths = p.to.map((n) => [...this.throughNet(n, k), this.dnetFactor(n, p, k)]);
    if (this.sampleCount === 1) return { exact: this.batchGradient()[p.slots[0]], paths: this.withDecay(p, paths) };
    const d = this.sample(k);
    let total = 0;
    for (const n of p.to) {
      const r = this.ref(n);
      total += d.dE_dnet[r.layer][r.index] * (p.kind === 'weight' ? d.out[this.ref(p.from!).layer][this.ref(p.from!).index] : 1);
    }
    return { exact: total, paths };
  }

  /** A weight's gradient of the batch E has the decay's λ·w as a path of its own. */
  private withDecay(p: ParamDef, paths: Factor[][]): Factor[][] {
    const { trainer } = this.ctx;
    if (trainer.decay === 0 || p.kind !== 'weight') return paths;
    const exact = trainer.decay * trainer.params[p.slots[0]];
    const decay: Factor = { role: 'decay', neuron: p.name, output: false, label: `λ·${p.name}`, quantity: `λ·${p.name}`, key: `decay(${p.name})`, exact };
    return [...paths, [decay]];
  }

  /** The weights one `step` from now would give, with the optimizer's current state (both are left as they are). */
  private paramsAfterStep(): Float64Array {
    if (!this.after) {
      const { trainer } = this.ctx;
      const saved = trainer.snapshot();
      trainer.epoch();
      this.after = trainer.params.slice();
      trainer.restore(saved);
    }
    return this.after;
  }

  doutFactor(neuron: string, k: number): Factor {
    const r = this.ref(neuron);
    return {
      role: 'dE/dout', neuron, output: r.layer === this.ctx.model.layers.length - 1,
      label: `∂E/∂out(${neuron})`, quantity: `dE/dout(${neuron})`, key: keyOf.dEdout(neuron, k), exact: this.sample(k).dE_dout[r.layer][r.index],
    };
  }

  /** ∂out/∂net of `neuron`; with `wrt`, the entry ∂out_neuron/∂net_wrt of its layer's (layer-wise) Jacobian. */
  derivFactor(neuron: string, k: number, wrt = neuron): Factor {
    const r = this.ref(neuron);
    const d = this.sample(k);
    const act = this.ctx.model.layers[r.layer].activation!;
    const net = d.net[r.layer][r.index];
    const out = d.out[r.layer][r.index];
    const f = layerwise(act);
    const factor: Factor = {
      role: 'dout/dnet', neuron, output: r.layer === this.ctx.model.layers.length - 1,
      label: `∂out(${neuron})/∂net(${wrt})`, quantity: `dout(${neuron})/dnet(${wrt})`, key: keyOf.doutdnet(neuron, k, wrt),
      exact: f ? f.jacobian(d.out[r.layer], r.index, this.ref(wrt).index) : activationDerivative(act, net, out),
    };
    if (f) factor.wrt = wrt;
    else factor.derivative = { act, out, net };
    return factor;
  }

  /** ∂E/∂net of a layer-wise neuron, a factor of every path through it. */
  private dnetDeltaFactor(neuron: string, k: number): Factor {
    const r = this.ref(neuron);
    return {
      role: 'dE/dnet', neuron, output: r.layer === this.ctx.model.layers.length - 1,
      label: `∂E/∂net(${neuron})`, quantity: `dE/dnet(${neuron})`, key: keyOf.dEdnet(neuron, k), exact: this.sample(k).dE_dnet[r.layer][r.index],
    };
  }

  dnetFactor(neuron: string, p: ParamDef, k: number): Factor {
    const d = this.sample(k);
    let exact = 0;
    let source: Factor['source'];
    if (p.to.includes(neuron)) {
      if (p.kind === 'bias') exact = 1;
      else { const f = this.ref(p.from!); exact = d.out[f.layer][f.index]; source = { neuron: p.from!, layer: f.layer }; }
    }
    return {
      role: 'dnet/dparam', neuron, output: this.ref(neuron).layer === this.ctx.model.layers.length - 1,
      label: `∂net(${neuron})/∂${p.name}`, quantity: `dnet(${neuron})/d${p.name}`, key: keyOf.dnetdparam(neuron, p.name, k), exact, source,
    };
  }
}
