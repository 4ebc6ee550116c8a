/**
 * A dense network compiled for training: one flat Float64Array heap holding the parameters, the
 * gradient and, per layer, the net inputs, outputs and deltas of a chunk of samples; a kernel set
 * per weight matrix (WebAssembly SIMD for the large ones where available, JavaScript otherwise);
 * and the passes over a chunk. Both kernel sets compute bitwise the same numbers (compute/kernels.ts
 * defines the order of operations), so which one runs is a matter of speed only.
 */
import { layerwise, type Activation, type LayerActivationRecord } from '../math/activations';
import type { LossRecord } from '../math/losses';
import type { OptimizerKernels } from '../math/optimizers';
import { layerSquares, type DecayKernel } from './decay';
import type { FusedStep } from './optimizer-steps';
import { activateRow, activationKernel, multiplyByDerivative, type ActivationKernel } from './activation-rows';
import { JsKernels, type MatrixKernels } from './kernels';
import type { Layout } from './layout';
import { wasmKernels, wasmMemory, type WasmKernels } from './wasm/kernels';

/** 'auto': WebAssembly SIMD for weight matrices large enough to gain from it; 'wasm': for all of them; 'js': none. */
export type KernelChoice = 'auto' | 'wasm' | 'js';

/** Below this many weights a WebAssembly call costs more than it saves. */
const WASM_MIN_WEIGHTS = 64;
/** Samples per chunk; fewer when the layers are so wide that the chunk buffers would pass ~100 MB. */
const CHUNK = 32;
const CHUNK_BUFFER_DOUBLES = 4_194_304;

const even = (n: number) => n + (n & 1);

/** H[at .. at + n) = +0; a loop for short rows, where calling `fill` costs more than the stores. */
function zero(H: Float64Array, at: number, n: number): void {
  if (n > 32) H.fill(0, at, at + n);
  else for (let i = at; i < at + n; i++) H[i] = 0;
}

export class Network {
  /** The whole heap; parameters first, so a parameter's index is its heap offset. */
  readonly H: Float64Array;
  readonly chunk: number;
  /** Heap offset of the gradient (paramCount long). */
  readonly grad: number;
  /** Heap offsets of the optimizer's per-parameter state (paramCount long each), where its kernels can reach it. */
  readonly stateV: number;
  readonly stateM: number;
  /** The optimizers' whole-array kernels and the decay's, where WebAssembly runs (otherwise the records' own loops and compute/decay.ts run). */
  readonly optimizerKernels: OptimizerKernels | undefined;
  readonly decayKernel: DecayKernel | undefined;
  /** A double of scratch: the decay kernels' sum of a layer. */
  readonly scratch: number;
  /** Per layer, its Σ w² during a fused step (compute/decay.ts's order: they are added in layer order at the end). */
  private readonly layerSums: Float64Array;
  /** Heap offsets of layer l's chunk rows: net inputs, outputs (a[0] = the inputs) and deltas. */
  readonly z: number[] = [];
  readonly a: number[] = [];
  readonly d: number[] = [];
  /** Heap offset of layer l's biases as one row: its own parameters when they are consecutive, else a copy (+0 where a neuron has none). */
  private readonly bias: number[] = [];
  private readonly gathered: boolean[] = [];
  /** Which kernels run the weight matrices: 'wasm' when any of them is WebAssembly. */
  readonly kernels: 'js' | 'wasm';
  private readonly matrix: MatrixKernels[];
  /** Per layer, the WebAssembly kernels when they run its weights (for the fused steps with an optimizer). */
  private readonly simdLayers: (WasmKernels | undefined)[];
  /** The kernels for whole-array work (the update): WebAssembly whenever it is there. */
  private readonly bulk: MatrixKernels;
  /** Per layer: the elementwise kernel, or (output layer only) the layer-wise record applied row by row. */
  private readonly acts: (ActivationKernel | undefined)[];
  private readonly layerwise: (LayerActivationRecord | undefined)[];
  private readonly outputActivation: Activation;

  constructor(readonly sizes: number[], readonly layout: Layout, activations: Activation[], choice: KernelChoice) {
    const neurons = sizes.reduce((s, n) => s + n, 0);
    this.chunk = Math.max(1, Math.min(CHUNK, Math.floor(CHUNK_BUFFER_DOUBLES / Math.max(1, neurons))));
    let top = even(layout.paramCount);
    this.grad = top;
    top += even(layout.paramCount);
    this.stateV = top;
    top += even(layout.paramCount);
    this.stateM = top;
    top += even(layout.paramCount);
    this.scratch = top;
    top += 2;
    const take = (doubles: number) => { const at = top; top += even(doubles); return at; };
    sizes.forEach((n, l) => {
      const rows = this.chunk * n;
      this.a.push(take(rows));
      this.z.push(l === 0 ? -1 : take(rows));
      this.d.push(l === 0 ? -1 : take(rows));
      const slots = layout.biasSlot[l];
      const own = l > 0 && n > 0 && slots.every((slot, j) => slot === slots[0] + j && slot >= 0);
      this.gathered.push(l > 0 && !own);
      this.bias.push(l === 0 ? -1 : own ? slots[0] : take(n));
    });
    const wants = sizes.map((n, l) => l > 0 && choice !== 'js' && (choice === 'wasm' || n * sizes[l - 1] >= WASM_MIN_WEIGHTS));
    const memory = wants.some(Boolean) ? wasmMemory(top * 8) : undefined;
    const fast = memory && wasmKernels(memory);
    this.H = fast ? new Float64Array(memory.buffer, 0, top) : new Float64Array(top);
    const js = new JsKernels(this.H);
    this.matrix = wants.map((w) => (w && fast ? fast : js));
    this.simdLayers = wants.map((w) => (w && fast ? fast : undefined));
    this.bulk = fast || js;
    this.optimizerKernels = fast || undefined;
    this.decayKernel = fast || undefined;
    this.kernels = fast ? 'wasm' : 'js';
    // Per layer; the input layer's entry is never used.
    this.acts = sizes.map((_, l) => activationKernel(activations[Math.max(0, l - 1)]));
    this.layerwise = sizes.map((_, l) => (l > 0 ? layerwise(activations[l - 1]) : undefined));
    this.outputActivation = activations[activations.length - 1];
    this.layerSums = new Float64Array(sizes.length);
    // The hidden deltas are elementwise (backward, sampleStep): a layer-wise activation is the output's only.
    if (this.layerwise.slice(0, -1).some(Boolean)) throw new Error('a layer-wise activation (softmax) is for the output layer only');
  }

  /** The elementwise kernel of a hidden layer (never layer-wise, see the constructor). */
  private hidden(l: number): ActivationKernel {
    return this.acts[l]!;
  }

  get outputLayer(): number {
    return this.sizes.length - 1;
  }

  /** Copies samples [start, start + count) of `inputs` into the input rows. */
  load(inputs: Float64Array, start: number, count: number): void {
    const n = this.sizes[0];
    const H = this.H, a = this.a[0], from = start * n, length = count * n;
    if (length <= 64) for (let k = 0; k < length; k++) H[a + k] = inputs[from + k];
    else H.set(inputs.subarray(from, from + length), a);
  }

  /** Z = X·Wᵀ + b and A = f(Z), layer by layer, for the `count` loaded samples. */
  forward(count: number): void {
    const { sizes, H } = this;
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l];
      if (this.gathered[l]) this.gatherBiases(l);
      this.matrix[l].forward(this.layout.weightOffset[l], this.bias[l], this.a[l - 1], this.z[l], sizes[l - 1], n, count);
      const rows = this.layerwise[l];
      if (rows) for (let s = 0; s < count; s++) rows.values(H, H, this.z[l] + s * n, this.a[l] + s * n, n);
      else activateRow(this.acts[l]!, H, this.z[l], this.a[l], count * n);
    }
  }

  /** Copies layer l's scattered biases into its bias row; an absent bias adds +0 all the same. */
  private gatherBiases(l: number): void {
    const slots = this.layout.biasSlot[l];
    const b = this.bias[l];
    for (let j = 0; j < slots.length; j++) this.H[b + j] = slots[j] >= 0 ? this.H[slots[j]] : 0;
  }

  /**
   * The loss c · Σ term(o, t) of the loaded samples (targets from sample `start` on), summed per
   * sample first; with `deltas`, also the output deltas ∂E/∂net: c · dTerm(o, t) · f′, through the
   * Jacobian for a layer-wise activation, and c · (o − t) where the loss and the activation are the
   * canonical pair (softmax with cross-entropy, sigmoid with bce: the textbook simplification, which
   * also stays finite where out is 0 or 1).
   */
  outputs(targets: Float64Array, start: number, count: number, loss: LossRecord, c: number, deltas: boolean): number {
    const L = this.outputLayer;
    const n = this.sizes[L];
    const H = this.H, a = this.a[L], d = this.d[L];
    const canonical = deltas && loss.canonical?.activation === this.outputActivation;
    let e = 0;
    for (let s = 0; s < count; s++) {
      let sum = 0;
      for (let k = 0; k < n; k++) {
        const o = H[a + s * n + k];
        const t = targets[(start + s) * n + k];
        sum += loss.term(o, t);
        if (deltas) H[d + s * n + k] = canonical ? c * (o - t) : c * loss.dTerm(o, t);
      }
      e += c * sum;
    }
    if (!deltas || canonical) return e;
    const rows = this.layerwise[L];
    if (rows) for (let s = 0; s < count; s++) rows.backward(H, a + s * n, H, H, d + s * n, n);
    else multiplyByDerivative(this.acts[L]!, H, d, this.z[L], a, count * n);
    return e;
  }

  /** Hidden deltas, top down: D[l] = f′ · (D[l+1]·W[l+1]). */
  backward(count: number): void {
    const { sizes, H } = this;
    for (let l = sizes.length - 2; l >= 1; l--) {
      const n = sizes[l];
      zero(H, this.d[l], count * n);
      this.matrix[l + 1].backward(this.d[l + 1], this.layout.weightOffset[l + 1], this.d[l], n, sizes[l + 1], count);
      multiplyByDerivative(this.hidden(l), H, this.d[l], this.z[l], this.a[l], count * n);
    }
  }

  /** Adds the chunk's weight and bias gradients to the gradient. */
  accumulate(count: number): void {
    const { sizes, H } = this;
    for (let l = 1; l < sizes.length; l++) {
      const n = sizes[l];
      const slots = this.layout.biasSlot[l];
      const d = this.d[l];
      for (let j = 0; j < n; j++) {
        const slot = slots[j];
        if (slot < 0) continue;
        let gb = H[this.grad + slot];
        for (let s = 0; s < count; s++) gb += H[d + s * n + j];
        H[this.grad + slot] = gb;
      }
      this.matrix[l].accumulate(this.grad + this.layout.weightOffset[l], this.a[l - 1], d, sizes[l - 1], n, count);
    }
  }

  /**
   * After `forward(1)` and the output deltas: per layer, top down, each weight row sends its delta
   * down with the old weights and is updated in the same pass, then the biases. Exactly the general
   * update for one sample, whose gradient entries are −0 + δ·x = δ·x.
   */
  sampleStep(rate: number): void {
    const { sizes, H } = this;
    for (let l = this.outputLayer; l >= 1; l--) {
      const nIn = sizes[l - 1];
      const n = sizes[l];
      const dp = l > 1 ? this.d[l - 1] : -1;
      if (dp >= 0) zero(H, dp, nIn);
      this.matrix[l].step(this.layout.weightOffset[l], this.a[l - 1], this.d[l], dp, nIn, n, rate);
      if (dp >= 0) multiplyByDerivative(this.hidden(l - 1), H, dp, this.z[l - 1], this.a[l - 1], nIn);
      if (!this.gathered[l]) this.matrix[l].update(this.bias[l], this.d[l], n, rate);
      else this.layout.biasSlot[l].forEach((slot, j) => { if (slot >= 0) H[slot] -= rate * H[this.d[l] + j]; });
    }
  }

  /**
   * `sampleStep` with an optimizer's fused update of each layer (compute/optimizer-steps.ts) instead
   * of p ← p − η·g. With decay, returns Σ w² of the weights before the update, summed in the pass
   * that updates them (compute/decay.ts's order); 0 without.
   */
  sampleStepWith(step: FusedStep): number {
    const { sizes, H, layerSums, scratch } = this;
    const decays = step.settings.lambda !== 0;
    for (let l = this.outputLayer; l >= 1; l--) {
      const nIn = sizes[l - 1];
      const dp = l > 1 ? this.d[l - 1] : -1;
      if (dp >= 0) zero(H, dp, nIn);
      const simd = this.simdLayers[l];
      if (simd) {
        H[scratch] = 0;
        simd.ruleStep(step.settings, this.layout.weightOffset[l], this.a[l - 1], this.d[l], dp, nIn, sizes[l], this.stateV, this.stateM, scratch);
        layerSums[l] = H[scratch];
        step.biases(H, this.d[l], this.layout.biasSlot[l]);
      } else {
        if (decays) layerSums[l] = layerSquares(H, this.layout, l);
        step.layer(H, this.layout.weightOffset[l], this.a[l - 1], this.d[l], dp, nIn, sizes[l], this.layout.biasSlot[l]);
      }
      if (dp >= 0) multiplyByDerivative(this.hidden(l - 1), H, dp, this.z[l - 1], this.a[l - 1], nIn);
    }
    let sum = 0;
    if (decays) for (let l = 1; l < sizes.length; l++) sum += layerSums[l];
    return sum;
  }

  /** p ← p − rate·g for every parameter (the caller handles frozen ones). */
  update(rate: number): void {
    this.bulk.update(0, this.grad, this.layout.paramCount, rate);
  }
}
