/**
 * The fast path: a dense feed-forward network compiled to one flat Float64Array heap and trained
 * without building any trace. The Session uses it for every update (so `step` and `train 1` run the
 * very same arithmetic and give bitwise-identical weights), for `check` and for the trace detail;
 * the benchmarks drive it directly.
 *
 * Determinism: every net input is one `dot` in a fixed order, every gradient entry is summed over
 * samples in sample order and every back-propagated sum over downstream neurons in neuron order,
 * whatever the chunking and whichever kernels run (compute/kernels.ts), so results depend neither
 * on how samples are grouped in memory nor on whether WebAssembly is there.
 */
import { weightSampler, prng } from '../math/init';
import type { Activation } from '../math/activations';
import { lossRecord, type LossName } from '../math/losses';
import { DEFAULT_OPTIMIZER, optimizerRecord, type HeapArrays, type OptimizerSpec, type OptimizerState } from '../math/optimizers';
import type { Mode } from '../trace/schema';
import { DECAY } from '../math/decay';
import { addDecay, decayInHeap, decayTerm } from './decay';
import { computeLayout, type Layout } from './layout';
import { Network, type KernelChoice } from './network';
import { FUSED_STEPS, type FusedStep } from './optimizer-steps';

export { computeLayout, type Layout } from './layout';
export type { KernelChoice } from './network';

export interface DenseSpec {
  /** Neurons per layer, input layer first, e.g. [2, 2, 2]. */
  sizes: number[];
  /** One activation per non-input layer. */
  activations: Activation[];
  loss: LossName;
  rate: number;
  mode: Mode;
  /** Row-major: sample s, input i at s * sizes[0] + i. */
  inputs: Float64Array;
  /** Row-major: sample s, output k at s * sizes[last] + k. */
  targets: Float64Array;
  /** Initial parameter values (copied); when absent they are drawn by `init` (biases start at 0). Layout: see `Trainer.params`. */
  params?: Float64Array;
  init?: { kind: 'xavier' } | { kind: 'uniform'; low: number; high: number };
  seed?: number;
  /** Per layer (1..L), per neuron: whether it has a bias. Default: every neuron has its own bias. */
  hasBias?: boolean[][];
  /**
   * Groups of parameter indices that are one shared parameter (a bias added to several neurons):
   * their gradients are summed and they move together. Their values must start equal.
   */
  tied?: number[][];
  /** Parameter indices training never changes. */
  frozen?: number[];
  /** Which kernels may run (default 'auto'); the results are bitwise the same with any of them. */
  kernels?: KernelChoice;
  /** How an update turns the gradient into a step (default sgd). */
  optimizer?: OptimizerSpec;
  /** L2 decay λ: the loss gains (λ/2)·Σ w² over the weights (default 0). */
  decay?: number;
}

/** The parameters and the optimizer's state, to undo a tentative update. */
export interface TrainerSnapshot { params: Float64Array; v: Float64Array; m: Float64Array; t: number }

export interface Trainer {
  /**
   * All parameters, layer by layer: for layer l, its weights row by row (target neuron j, then
   * source i: offset + j * sizes[l-1] + i), then its biases (one per neuron that has one, in neuron
   * order). Live: writing changes the network.
   */
  readonly params: Float64Array;
  /** Run `epochs` epochs; returns the loss over all samples at the weights after the last one. */
  trainEpochs(epochs: number): number;
  /** Loss over all samples at the current weights. */
  loss(): number;
}

/** Per-sample values of one forward and backward pass, layer by layer (index 0 = inputs). */
export interface SampleDetail {
  net: Float64Array[];
  out: Float64Array[];
  /** ∂E/∂out and ∂E/∂net per neuron (index 0 unused). */
  dE_dout: Float64Array[];
  dE_dnet: Float64Array[];
  /** This sample's loss contribution c · Σ_k term(out, t) (without the decay, a term of the batch's E). */
  loss: number;
}

export class DenseTrainer implements Trainer {
  readonly params: Float64Array;
  /** Gradient of the latest `gradient()` call (tied groups already summed). */
  readonly grad: Float64Array;
  readonly layout: Layout;
  readonly sampleCount: number;
  rate: number;
  mode: Mode;
  lossName: LossName;
  /** L2 decay λ (0: none). */
  decay: number;
  /** The optimizer's state, kept across updates until `resetState` or a new optimizer (its arrays live in the network's heap). */
  readonly state: OptimizerState;
  private optimizerSpec: OptimizerSpec;
  private readonly net: Network;
  private readonly sizes: number[];
  private inputs: Float64Array;
  private targets: Float64Array;
  private readonly tied: Int32Array[];
  private readonly frozenMask: Uint8Array;
  private frozenCount: number;
  private readonly heapArrays: HeapArrays;
  /** The fused per-sample update of the optimizer in force (made when it is set). */
  private fusedStep!: FusedStep;

  constructor(spec: DenseSpec) {
    const { sizes } = spec;
    if (sizes.length < 2) throw new Error('a network needs an input layer and at least one more layer');
    if (spec.activations.length !== sizes.length - 1) throw new Error(`expected ${sizes.length - 1} activations, got ${spec.activations.length}`);
    this.sizes = sizes.slice();
    this.layout = computeLayout(sizes, spec.hasBias);
    const P = this.layout.paramCount;
    const nIn = sizes[0];
    const nOut = sizes[sizes.length - 1];
    this.sampleCount = nIn > 0 ? Math.floor(spec.inputs.length / nIn) : 0;
    if (spec.inputs.length !== this.sampleCount * nIn || spec.targets.length !== this.sampleCount * nOut) {
      throw new Error(`inputs/targets hold ${spec.inputs.length}/${spec.targets.length} numbers, not a whole number of samples of ${nIn} inputs and ${nOut} targets`);
    }
    if (spec.params && spec.params.length !== P) throw new Error(`expected ${P} parameters, got ${spec.params.length}`);
    this.inputs = spec.inputs;
    this.targets = spec.targets;
    this.net = new Network(this.sizes, this.layout, spec.activations, spec.kernels ?? 'auto');
    this.params = this.net.H.subarray(0, P);
    this.grad = this.net.H.subarray(this.net.grad, this.net.grad + P);
    if (spec.params) this.params.set(spec.params);
    else this.initialise(spec);
    this.tied = (spec.tied ?? []).filter((g) => g.length > 1).map((g) => Int32Array.from(g));
    this.frozenMask = new Uint8Array(P);
    for (const i of spec.frozen ?? []) this.frozenMask[i] = 1;
    this.frozenCount = this.frozenMask.reduce((a, b) => a + b, 0);
    this.rate = spec.rate;
    this.mode = spec.mode;
    this.lossName = spec.loss;
    this.decay = spec.decay ?? 0;
    this.optimizerSpec = spec.optimizer ?? DEFAULT_OPTIMIZER;
    const H = this.net.H;
    this.state = { v: H.subarray(this.net.stateV, this.net.stateV + P), m: H.subarray(this.net.stateM, this.net.stateM + P), t: 0 };
    this.heapArrays = { p: 0, g: this.net.grad, m: this.net.stateM, v: this.net.stateV, count: P };
    this.fusedStep = FUSED_STEPS[this.optimizerSpec.name](this.heapArrays);
  }

  get optimizer(): OptimizerSpec { return this.optimizerSpec; }
  /** A new optimizer starts from fresh state (zeros, t = 0), as a new PyTorch optimizer does. */
  set optimizer(spec: OptimizerSpec) {
    this.optimizerSpec = spec;
    this.fusedStep = FUSED_STEPS[spec.name](this.heapArrays);
    this.resetState();
  }

  resetState(): void {
    this.state.v.fill(0);
    this.state.m.fill(0);
    this.state.t = 0;
  }

  snapshot(): TrainerSnapshot {
    return { params: this.params.slice(), v: this.state.v.slice(), m: this.state.m.slice(), t: this.state.t };
  }

  restore(s: TrainerSnapshot): void {
    this.params.set(s.params);
    this.state.v.set(s.v);
    this.state.m.set(s.m);
    this.state.t = s.t;
  }

  private initialise(spec: DenseSpec): void {
    const rand = prng(spec.seed ?? 1);
    for (let l = 1; l < this.sizes.length; l++) {
      const draw = weightSampler(spec.init ?? { kind: 'xavier' }, this.sizes[l - 1], this.sizes[l], rand);
      const off = this.layout.weightOffset[l];
      for (let k = 0; k < this.sizes[l] * this.sizes[l - 1]; k++) this.params[off + k] = draw();
    }
  }

  /** Which kernels run the weight matrices ('wasm' when WebAssembly SIMD runs any of them). */
  get kernels(): 'js' | 'wasm' {
    return this.net.kernels;
  }

  /** Replaces the samples (same input/output widths). */
  setSamples(inputs: Float64Array, targets: Float64Array): void {
    this.inputs = inputs;
    this.targets = targets;
    (this as { sampleCount: number }).sampleCount = Math.floor(inputs.length / this.sizes[0]);
  }

  /** Update groups of one epoch in the current mode, as [start, count] pairs. */
  groups(): [number, number][] {
    const S = this.sampleCount;
    const k = this.groupSize();
    const out: [number, number][] = [];
    for (let s = 0; s < S; s += k) out.push([s, Math.min(k, S - s)]);
    return out;
  }

  private groupSize(): number {
    return this.mode.kind === 'batch' ? Math.max(1, this.sampleCount) : this.mode.kind === 'sample' ? 1 : this.mode.size;
  }

  trainEpochs(epochs: number): number {
    for (let e = 0; e < epochs; e++) this.epoch();
    return this.loss();
  }

  /**
   * One epoch. Returns the sum of the loss of each update group before its update (in batch mode
   * exactly the loss before the epoch); not finite once the values overflowed.
   */
  epoch(): number {
    const S = this.sampleCount;
    const k = this.groupSize();
    // The fused pass updates every parameter on its own: none frozen, none shared.
    const fused = this.frozenCount === 0 && this.tied.length === 0;
    let total = 0;
    for (let s = 0; s < S; s += k) {
      const count = Math.min(k, S - s);
      total += fused && count === 1 ? this.sampleStep(s) : this.update(s, count);
    }
    return total;
  }

  /** Gradient at the current weights over samples [start, start+count), then one update. Returns the group's loss. */
  update(start: number, count: number): number {
    const e = this.gradient(start, count);
    this.apply();
    return e;
  }

  /** Fills `grad` with ∂E/∂p of the group's loss (N = count for the mse conventions); returns that loss. */
  gradient(start: number, count: number): number {
    // −0 is the additive identity: an entry is exactly the sum of its terms (for one sample, δ·x).
    this.grad.fill(-0);
    const c = lossRecord(this.lossName).scale(count);
    let e = 0;
    for (let s = start; s < start + count; s += this.net.chunk) e += this.chunk(s, Math.min(this.net.chunk, start + count - s), c, 'gradient');
    for (const g of this.tied) {
      let sum = 0;
      for (let t = 0; t < g.length; t++) sum += this.grad[g[t]];
      for (let t = 0; t < g.length; t++) this.grad[g[t]] = sum;
    }
    if (this.decay === 0) return e;
    const { decayKernel: k, H, grad, scratch } = this.net;
    return e + (k ? decayInHeap(k, H, scratch, this.layout, this.decay, grad) : addDecay(this.grad, this.params, this.layout, this.decay));
  }

  /** One update of every parameter not frozen: p ← p − η·grad, or the optimizer's rule (its state moves on). */
  apply(): void {
    const t = ++this.state.t;
    const spec = this.optimizerSpec;
    if (spec.name !== 'sgd') {
      const record = optimizerRecord(spec.name);
      const kernels = this.net.optimizerKernels;
      if (this.frozenCount === 0 && kernels && record.kernel) return record.kernel(spec, kernels, this.heapArrays, this.rate, t);
      return record.apply(spec, this.params, this.grad, this.state, this.frozenCount > 0 ? this.frozenMask : undefined, this.rate, t);
    }
    if (this.frozenCount === 0) return this.net.update(this.rate);
    const { params: p, grad: g, rate: r, frozenMask: f } = this;
    for (let i = 0; i < p.length; i++) if (f[i] === 0) p[i] -= r * g[i];
  }

  loss(): number {
    return this.lossOf(0, this.sampleCount, this.sampleCount);
  }

  /** Loss of samples [start, start+count) with the scale of a batch of n. */
  lossOf(start: number, count: number, n: number): number {
    const c = lossRecord(this.lossName).scale(n);
    let e = 0;
    for (let s = start; s < start + count; s += this.net.chunk) e += this.chunk(s, Math.min(this.net.chunk, start + count - s), c, 'loss');
    return e + this.decayTerm();
  }

  /** (λ/2)·Σ w² of the current weights, in WebAssembly where the heap is its memory (bitwise the same). */
  private decayTerm(): number {
    const { decayKernel: k, H, scratch } = this.net;
    return k ? decayInHeap(k, H, scratch, this.layout, this.decay) : decayTerm(this.params, this.layout, this.decay);
  }

  isFrozen(i: number): boolean {
    return this.frozenMask[i] === 1;
  }

  setFrozen(i: number, frozen: boolean): void {
    if ((this.frozenMask[i] === 1) === frozen) return;
    this.frozenMask[i] = frozen ? 1 : 0;
    this.frozenCount += frozen ? 1 : -1;
  }

  /** Samples' inputs and targets as the trainer sees them (network order, row-major). */
  sampleInputs(s: number): Float64Array { return this.inputs.subarray(s * this.sizes[0], (s + 1) * this.sizes[0]); }
  sampleTargets(s: number): Float64Array { const n = this.sizes[this.sizes.length - 1]; return this.targets.subarray(s * n, (s + 1) * n); }

  /**
   * Forward and backward pass of one sample with the loss scaled for a batch of n, every value
   * kept (for traces and `check`). Uses the same kernels as training, so the numbers agree bitwise.
   */
  detail(sample: number, n: number): SampleDetail {
    const loss = lossRecord(this.lossName);
    const c = loss.scale(n);
    const e = this.chunk(sample, 1, c, 'deltas');
    const { H } = this.net;
    const L = this.sizes.length - 1;
    const row = (offset: number, size: number) => (offset < 0 ? new Float64Array(size) : H.slice(offset, offset + size));
    const net = this.sizes.map((size, l) => (l === 0 ? this.sampleInputs(sample).slice() : row(this.net.z[l], size)));
    const out = this.sizes.map((size, l) => (l === 0 ? net[0] : row(this.net.a[l], size)));
    const dE_dnet = this.sizes.map((size, l) => row(this.net.d[l], size));
    const t = this.sampleTargets(sample);
    // Recomputed rather than divided out of ∂E/∂net, which would fail where f' = 0 (ReLU off).
    const dE_dout = this.sizes.map((size, l) => Float64Array.from({ length: size }, (_, j) =>
      l === L ? c * loss.dTerm(out[L][j], t[j]) : l > 0 ? this.downstreamSum(l, j, dE_dnet[l + 1]) : 0));
    return { net, out, dE_dout, dE_dnet, loss: e };
  }

  private downstreamSum(l: number, i: number, dNext: Float64Array): number {
    const W = this.params;
    const nIn = this.sizes[l];
    const off = this.layout.weightOffset[l + 1];
    let sum = 0;
    for (let j = 0; j < this.sizes[l + 1]; j++) sum += dNext[j] * W[off + j * nIn + i];
    return sum;
  }

  /**
   * Forward pass of `count` ≤ chunk samples and their loss c · Σ term; 'deltas' also runs the
   * backward pass, 'gradient' also adds the chunk's gradient to `grad`.
   */
  private chunk(start: number, count: number, c: number, upTo: 'loss' | 'deltas' | 'gradient'): number {
    const net = this.net;
    net.load(this.inputs, start, count);
    net.forward(count);
    const e = net.outputs(this.targets, start, count, lossRecord(this.lossName), c, upTo !== 'loss');
    if (upTo === 'loss') return e;
    net.backward(count);
    if (upTo === 'gradient') net.accumulate(count);
    return e;
  }

  /** One sample, one update, fused (no tied or frozen parameters). Returns the sample's loss (with the decay, as `update`). */
  private sampleStep(s: number): number {
    const t = ++this.state.t;
    const net = this.net;
    const loss = lossRecord(this.lossName);
    net.load(this.inputs, s, 1);
    net.forward(1);
    const e = net.outputs(this.targets, s, 1, loss, loss.scale(1), true);
    if (this.optimizerSpec.name === 'sgd' && this.decay === 0) {
      net.sampleStep(this.rate);
      return e;
    }
    this.fusedStep.begin(this.optimizerSpec, this.rate, this.decay, t);
    // Σ w² of the weights before the update, as `gradient` adds it.
    const squares = net.sampleStepWith(this.fusedStep);
    return this.decay === 0 ? e : e + DECAY.value(this.decay, squares);
  }
}

export function createTrainer(spec: DenseSpec): Trainer {
  return new DenseTrainer(spec);
}
