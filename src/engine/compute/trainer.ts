/**
 * The fast path: a dense feed-forward network compiled to flat Float64Arrays and trained without
 * building any trace. The Session uses it for every update (so `step` and `train 1` run the very same
 * arithmetic and give bitwise-identical weights), for `check` and for the trace detail; the
 * benchmarks drive it directly.
 *
 * Determinism: every net input is one `dot` in a fixed order, every gradient entry is summed over
 * samples in sample order and every back-propagated sum over downstream neurons in neuron order,
 * whatever the chunking. Results therefore do not depend on how samples are grouped in memory.
 */
import { weightSampler, prng } from '../math/init';
import type { Activation, LossName, Mode } from '../trace/schema';
import { LEAKY_SLOPE } from '../math/activations';
import { lossScale } from '../math/losses';

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
  /** Parameter values; when absent they are drawn by `init` (biases start at 0). Layout: see `Trainer.params`. */
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
}

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

/** Where each parameter lives in the flat array. */
export interface Layout {
  sizes: number[];
  /** weightOffset[l] for l ≥ 1 (index 0 unused). */
  weightOffset: number[];
  /** biasSlot[l][j]: index of neuron j's bias in `params`, or −1 (index 0 unused). */
  biasSlot: Int32Array[];
  paramCount: number;
}

export function computeLayout(sizes: number[], hasBias?: boolean[][]): Layout {
  const weightOffset = [0];
  const biasSlot: Int32Array[] = [new Int32Array(0)];
  let p = 0;
  for (let l = 1; l < sizes.length; l++) {
    weightOffset.push(p);
    p += sizes[l] * sizes[l - 1];
    const slots = new Int32Array(sizes[l]).fill(-1);
    for (let j = 0; j < sizes[l]; j++) if (hasBias ? hasBias[l - 1]?.[j] : true) slots[j] = p++;
    biasSlot.push(slots);
  }
  return { sizes: sizes.slice(), weightOffset, biasSlot, paramCount: p };
}

const enum Act { Sigmoid, Tanh, Relu, Leaky, Linear }
const ACT_CODE: Record<Activation, Act> = { sigmoid: Act.Sigmoid, tanh: Act.Tanh, relu: Act.Relu, 'leaky-relu': Act.Leaky, linear: Act.Linear };
// The kernels below switch on a small code instead of calling the records, so that the hot loops
// stay monomorphic; test/engine/compute/trainer.test.ts checks them against the records.
function applyAct(code: Act, z: number): number {
  switch (code) {
    case Act.Sigmoid: return 1 / (1 + Math.exp(-z));
    case Act.Tanh: return Math.tanh(z);
    case Act.Relu: return z > 0 ? z : 0;
    case Act.Leaky: return z > 0 ? z : LEAKY_SLOPE * z;
    default: return z;
  }
}
function derivAct(code: Act, z: number, a: number): number {
  switch (code) {
    case Act.Sigmoid: return a * (1 - a);
    case Act.Tanh: return 1 - a * a;
    case Act.Relu: return z > 0 ? 1 : 0;
    case Act.Leaky: return z > 0 ? 1 : LEAKY_SLOPE;
    default: return 1;
  }
}

/** Per-sample values of one forward and backward pass, layer by layer (index 0 = inputs). */
export interface SampleDetail {
  net: Float64Array[];
  out: Float64Array[];
  /** ∂E/∂out and ∂E/∂net per neuron (index 0 unused). */
  dE_dout: Float64Array[];
  dE_dnet: Float64Array[];
  /** This sample's loss contribution c · Σ_k (t − o)². */
  loss: number;
}

/** Samples processed together; large enough for cache reuse of a weight row, small enough for L2. */
const CHUNK = 32;

export class DenseTrainer implements Trainer {
  readonly params: Float64Array;
  /** Gradient of the latest `gradient()` call (tied groups already summed). */
  readonly grad: Float64Array;
  readonly layout: Layout;
  readonly sampleCount: number;
  rate: number;
  mode: Mode;
  lossName: LossName;
  private readonly sizes: number[];
  private readonly acts: Act[];
  private inputs: Float64Array;
  private targets: Float64Array;
  private readonly tied: Int32Array[];
  private readonly frozenMask: Uint8Array;
  private frozenCount: number;
  // Chunk buffers, per layer: [CHUNK × size] row-major.
  private readonly Z: Float64Array[];
  private readonly A: Float64Array[];
  private readonly D: Float64Array[];
  /** Indices of the samples of a chunk with a non-zero delta (gradient accumulation). */
  private readonly nz = new Int32Array(CHUNK);

  constructor(spec: DenseSpec) {
    const { sizes } = spec;
    if (sizes.length < 2) throw new Error('a network needs an input layer and at least one more layer');
    if (spec.activations.length !== sizes.length - 1) throw new Error(`expected ${sizes.length - 1} activations, got ${spec.activations.length}`);
    this.sizes = sizes.slice();
    this.acts = spec.activations.map((a) => ACT_CODE[a]);
    this.layout = computeLayout(sizes, spec.hasBias);
    const P = this.layout.paramCount;
    const nIn = sizes[0];
    const nOut = sizes[sizes.length - 1];
    this.sampleCount = nIn > 0 ? Math.floor(spec.inputs.length / nIn) : 0;
    if (spec.inputs.length !== this.sampleCount * nIn || spec.targets.length !== this.sampleCount * nOut) {
      throw new Error(`inputs/targets hold ${spec.inputs.length}/${spec.targets.length} numbers, not a whole number of samples of ${nIn} inputs and ${nOut} targets`);
    }
    this.inputs = spec.inputs;
    this.targets = spec.targets;
    if (spec.params) {
      if (spec.params.length !== P) throw new Error(`expected ${P} parameters, got ${spec.params.length}`);
      this.params = spec.params;
    } else {
      this.params = new Float64Array(P);
      const rand = prng(spec.seed ?? 1);
      for (let l = 1; l < sizes.length; l++) {
        const draw = weightSampler(spec.init ?? { kind: 'xavier' }, sizes[l - 1], sizes[l], rand);
        const off = this.layout.weightOffset[l];
        for (let k = 0; k < sizes[l] * sizes[l - 1]; k++) this.params[off + k] = draw();
      }
    }
    this.grad = new Float64Array(P);
    this.tied = (spec.tied ?? []).filter((g) => g.length > 1).map((g) => Int32Array.from(g));
    this.frozenMask = new Uint8Array(P);
    for (const i of spec.frozen ?? []) this.frozenMask[i] = 1;
    this.frozenCount = this.frozenMask.reduce((a, b) => a + b, 0);
    this.rate = spec.rate;
    this.mode = spec.mode;
    this.lossName = spec.loss;
    this.Z = sizes.map((n) => new Float64Array(CHUNK * n));
    this.A = sizes.map((n, l) => (l === 0 ? new Float64Array(0) : new Float64Array(CHUNK * n)));
    this.D = sizes.map((n) => new Float64Array(CHUNK * n));
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
    const k = this.mode.kind === 'batch' ? S : this.mode.kind === 'sample' ? 1 : this.mode.size;
    const out: [number, number][] = [];
    for (let s = 0; s < S; s += k) out.push([s, Math.min(k, S - s)]);
    return out;
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
    if (S === 0) return 0;
    if (this.mode.kind === 'batch') return this.update(0, S);
    const k = this.mode.kind === 'sample' ? 1 : this.mode.size;
    let total = 0;
    const fused = this.frozenCount === 0 && this.tied.length === 0;
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
    this.grad.fill(0);
    const c = lossScale(this.lossName, count);
    let e = 0;
    for (let s = start; s < start + count; s += CHUNK) e += this.chunk(s, Math.min(CHUNK, start + count - s), c, true);
    for (const g of this.tied) {
      let sum = 0;
      for (let t = 0; t < g.length; t++) sum += this.grad[g[t]];
      for (let t = 0; t < g.length; t++) this.grad[g[t]] = sum;
    }
    return e;
  }

  /** p ← p − η·grad for every parameter not frozen. */
  apply(): void {
    const p = this.params;
    const g = this.grad;
    const r = this.rate;
    const P = p.length;
    if (this.frozenCount > 0) {
      const f = this.frozenMask;
      for (let i = 0; i < P; i++) if (f[i] === 0) p[i] -= r * g[i];
    } else {
      for (let i = 0; i < P; i++) p[i] -= r * g[i];
    }
  }

  loss(): number {
    return this.lossOf(0, this.sampleCount, this.sampleCount);
  }

  /** Loss of samples [start, start+count) with the scale of a batch of n. */
  lossOf(start: number, count: number, n: number): number {
    const c = lossScale(this.lossName, n);
    let e = 0;
    for (let s = start; s < start + count; s += CHUNK) e += this.chunk(s, Math.min(CHUNK, start + count - s), c, false);
    return e;
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
    const c = lossScale(this.lossName, n);
    const loss = this.chunk(sample, 1, c, false, true);
    const L = this.sizes.length - 1;
    const net: Float64Array[] = [];
    const out: Float64Array[] = [];
    const dE_dout: Float64Array[] = [];
    const dE_dnet: Float64Array[] = [];
    for (let l = 0; l <= L; l++) {
      const size = this.sizes[l];
      net.push(l === 0 ? this.inputs.slice(sample * size, (sample + 1) * size) : this.Z[l].slice(0, size));
      out.push(l === 0 ? net[0] : this.A[l].slice(0, size));
      dE_dnet.push(l === 0 ? new Float64Array(size) : this.D[l].slice(0, size));
    }
    for (let l = 0; l <= L; l++) {
      const size = this.sizes[l];
      const g = new Float64Array(size);
      // Recomputed rather than divided out of ∂E/∂net, which would fail where f' = 0 (ReLU off).
      if (l === L) for (let k = 0; k < size; k++) g[k] = 2 * c * (out[L][k] - this.targets[sample * size + k]);
      else if (l > 0) for (let j = 0; j < size; j++) g[j] = this.downstreamSum(l, j, dE_dnet[l + 1]);
      dE_dout.push(g);
    }
    return { net, out, dE_dout, dE_dnet, loss };
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
   * Forward (and backward when `backward`) for `count` ≤ CHUNK consecutive samples; adds to `grad`
   * when `backward`. `keepDeltas` computes the deltas without touching `grad` (for `detail`).
   * Returns c · Σ (t − o)² over the chunk.
   */
  private chunk(start: number, count: number, c: number, backward: boolean, keepDeltas = false): number {
    this.forward(start, count);
    const e = this.outputDeltas(start, count, c, backward || keepDeltas);
    if (!backward && !keepDeltas) return e;
    this.backward(count);
    if (backward) this.accumulate(start, count);
    return e;
  }

  private bias(slots: Int32Array, j: number): number {
    const s = slots[j];
    return s >= 0 ? this.params[s] : 0;
  }

  // The kernels below are register-tiled but keep every floating-point operation in the order of the plain
  // loops: each net input is `dot` (even/odd partial sums) plus the bias, each backward sum runs over
  // the downstream neurons in order, each gradient entry over the samples in order.

  /** Z = X·Wᵀ + b and A = f(Z) for `count` samples; 3 or 2 neurons × 2 samples per tile. */
  private forward(start: number, count: number): void {
    const sizes = this.sizes;
    const W = this.params;
    for (let l = 1; l < sizes.length; l++) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const X = l === 1 ? this.inputs : this.A[l - 1];
      const xOff = l === 1 ? start * nIn : 0;
      const Z = this.Z[l];
      const A = this.A[l];
      const wOff = this.layout.weightOffset[l];
      const slots = this.layout.biasSlot[l];
      const act = this.acts[l - 1];
      const even = nIn & ~1;
      let j = 0;
      if (!(nIn & 1)) {
        for (; j + 2 < nOut; j += 3) {
          const r0 = wOff + j * nIn;
          const r1 = r0 + nIn;
          const r2 = r1 + nIn;
          const b0 = this.bias(slots, j), b1 = this.bias(slots, j + 1), b2 = this.bias(slots, j + 2);
          let s = 0;
          for (; s + 1 < count; s += 2) {
            const x0 = xOff + s * nIn;
            const x1 = x0 + nIn;
            let a00 = 0, a00o = 0, a01 = 0, a01o = 0, a10 = 0, a10o = 0, a11 = 0, a11o = 0, a20 = 0, a20o = 0, a21 = 0, a21o = 0;
            for (let i = 0; i < nIn; i += 2) {
              const u0 = X[x0 + i], u0o = X[x0 + i + 1], u1 = X[x1 + i], u1o = X[x1 + i + 1];
              const w0 = W[r0 + i], w0o = W[r0 + i + 1];
              a00 += w0 * u0; a00o += w0o * u0o; a01 += w0 * u1; a01o += w0o * u1o;
              const w1 = W[r1 + i], w1o = W[r1 + i + 1];
              a10 += w1 * u0; a10o += w1o * u0o; a11 += w1 * u1; a11o += w1o * u1o;
              const w2 = W[r2 + i], w2o = W[r2 + i + 1];
              a20 += w2 * u0; a20o += w2o * u0o; a21 += w2 * u1; a21o += w2o * u1o;
            }
            const o0 = s * nOut + j, o1 = o0 + nOut;
            const z00 = a00 + a00o + b0, z01 = a01 + a01o + b0;
            const z10 = a10 + a10o + b1, z11 = a11 + a11o + b1;
            const z20 = a20 + a20o + b2, z21 = a21 + a21o + b2;
            Z[o0] = z00; A[o0] = applyAct(act, z00); Z[o1] = z01; A[o1] = applyAct(act, z01);
            Z[o0 + 1] = z10; A[o0 + 1] = applyAct(act, z10); Z[o1 + 1] = z11; A[o1 + 1] = applyAct(act, z11);
            Z[o0 + 2] = z20; A[o0 + 2] = applyAct(act, z20); Z[o1 + 2] = z21; A[o1 + 2] = applyAct(act, z21);
          }
          for (; s < count; s++) {
            for (let jj = j; jj < j + 3; jj++) {
              const z = dot(W, wOff + jj * nIn, X, xOff + s * nIn, nIn) + this.bias(slots, jj);
              Z[s * nOut + jj] = z;
              A[s * nOut + jj] = applyAct(act, z);
            }
          }
        }
      }
      for (; j + 1 < nOut; j += 2) {
        const r0 = wOff + j * nIn;
        const r1 = r0 + nIn;
        const b0 = this.bias(slots, j);
        const b1 = this.bias(slots, j + 1);
        let s = 0;
        for (; s + 1 < count; s += 2) {
          const x0 = xOff + s * nIn;
          const x1 = x0 + nIn;
          let a00 = 0, a00o = 0, a01 = 0, a01o = 0, a10 = 0, a10o = 0, a11 = 0, a11o = 0;
          for (let i = 0; i < even; i += 2) {
            const w0 = W[r0 + i], w0o = W[r0 + i + 1], w1 = W[r1 + i], w1o = W[r1 + i + 1];
            const u0 = X[x0 + i], u0o = X[x0 + i + 1], u1 = X[x1 + i], u1o = X[x1 + i + 1];
            a00 += w0 * u0; a00o += w0o * u0o;
            a01 += w0 * u1; a01o += w0o * u1o;
            a10 += w1 * u0; a10o += w1o * u0o;
            a11 += w1 * u1; a11o += w1o * u1o;
          }
          if (even < nIn) {
            const i = even;
            a00 += W[r0 + i] * X[x0 + i]; a01 += W[r0 + i] * X[x1 + i];
            a10 += W[r1 + i] * X[x0 + i]; a11 += W[r1 + i] * X[x1 + i];
          }
          const z00 = a00 + a00o + b0, z01 = a01 + a01o + b0, z10 = a10 + a10o + b1, z11 = a11 + a11o + b1;
          Z[s * nOut + j] = z00; A[s * nOut + j] = applyAct(act, z00);
          Z[(s + 1) * nOut + j] = z01; A[(s + 1) * nOut + j] = applyAct(act, z01);
          Z[s * nOut + j + 1] = z10; A[s * nOut + j + 1] = applyAct(act, z10);
          Z[(s + 1) * nOut + j + 1] = z11; A[(s + 1) * nOut + j + 1] = applyAct(act, z11);
        }
        for (; s < count; s++) {
          for (let jj = j; jj < j + 2; jj++) {
            const z = dot(W, wOff + jj * nIn, X, xOff + s * nIn, nIn) + this.bias(slots, jj);
            Z[s * nOut + jj] = z;
            A[s * nOut + jj] = applyAct(act, z);
          }
        }
      }
      for (; j < nOut; j++) {
        const b = this.bias(slots, j);
        for (let s = 0; s < count; s++) {
          const z = dot(W, wOff + j * nIn, X, xOff + s * nIn, nIn) + b;
          Z[s * nOut + j] = z;
          A[s * nOut + j] = applyAct(act, z);
        }
      }
    }
  }

  /** Output-layer deltas 2c·(o − t)·f′ (when `keep`) and the chunk's loss c·Σ(t − o)². */
  private outputDeltas(start: number, count: number, c: number, keep: boolean): number {
    const L = this.sizes.length - 1;
    const nOut = this.sizes[L];
    const AL = this.A[L], ZL = this.Z[L], DL = this.D[L], T = this.targets;
    const act = this.acts[L - 1];
    const c2 = 2 * c;
    let e = 0;
    for (let s = 0; s < count; s++) {
      let sq = 0;
      for (let k = 0; k < nOut; k++) {
        const o = AL[s * nOut + k];
        const t = T[(start + s) * nOut + k];
        const diff = t - o;
        sq += diff * diff;
        if (keep) DL[s * nOut + k] = c2 * (o - t) * derivAct(act, ZL[s * nOut + k], o);
      }
      e += c * sq;
    }
    return e;
  }

  /** Hidden deltas: D[l][s,:] = f′ · Σ_j D[l+1][s,j]·W[j,:] in j order; 4 rows of W × 2 samples per pass. */
  private backward(count: number): void {
    const sizes = this.sizes;
    const W = this.params;
    for (let l = sizes.length - 2; l >= 1; l--) {
      const n = sizes[l];
      const nNext = sizes[l + 1];
      const D = this.D[l];
      const Dn = this.D[l + 1];
      const wOff = this.layout.weightOffset[l + 1];
      D.fill(0, 0, count * n);
      let s = 0;
      for (; s + 1 < count; s += 2) {
        const a = s * n, b = a + n;
        const na = s * nNext, nb = na + nNext;
        let j = 0;
        for (; j + 3 < nNext; j += 4) {
          const a0 = Dn[na + j], a1 = Dn[na + j + 1], a2 = Dn[na + j + 2], a3 = Dn[na + j + 3];
          const b0 = Dn[nb + j], b1 = Dn[nb + j + 1], b2 = Dn[nb + j + 2], b3 = Dn[nb + j + 3];
          const r0 = wOff + j * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
          // Adding a zero delta's ±0 product leaves every sum as the one-at-a-time loop (which skips
          // it) leaves it: sums start at +0 and +0 + −0 = +0, as long as the weights are finite.
          for (let i = 0; i < n; i++) {
            const w0 = W[r0 + i], w1 = W[r1 + i], w2 = W[r2 + i], w3 = W[r3 + i];
            let u = D[a + i];
            let v = D[b + i];
            u += a0 * w0; v += b0 * w0;
            u += a1 * w1; v += b1 * w1;
            u += a2 * w2; v += b2 * w2;
            u += a3 * w3; v += b3 * w3;
            D[a + i] = u;
            D[b + i] = v;
          }
        }
        for (; j < nNext; j++) {
          const r = wOff + j * n;
          const da = Dn[na + j], db = Dn[nb + j];
          if (da !== 0) axpy(D, a, da, W, r, n);
          if (db !== 0) axpy(D, b, db, W, r, n);
        }
      }
      for (; s < count; s++) {
        const dRow = s * n;
        const nRow = s * nNext;
        for (let j = 0; j < nNext; j++) {
          const d = Dn[nRow + j];
          if (d === 0) continue;
          axpy(D, dRow, d, W, wOff + j * n, n);
        }
      }
      const Z = this.Z[l], A = this.A[l];
      const act = this.acts[l - 1];
      for (let k = 0; k < count * n; k++) D[k] *= derivAct(act, Z[k], A[k]);
    }
  }

  /** G[j,:] += Σ_s D[s,j]·X[s,:] over the non-zero deltas, in sample order, up to 8 samples per pass. */
  private accumulate(start: number, count: number): void {
    const sizes = this.sizes;
    const G = this.grad;
    const nz = this.nz;
    for (let l = 1; l < sizes.length; l++) {
      const nIn = sizes[l - 1];
      const n = sizes[l];
      const X = l === 1 ? this.inputs : this.A[l - 1];
      const xOff = l === 1 ? start * nIn : 0;
      const D = this.D[l];
      const wOff = this.layout.weightOffset[l];
      const slots = this.layout.biasSlot[l];
      for (let j = 0; j < n; j++) {
        let m = 0;
        const slot = slots[j];
        let gb = slot >= 0 ? G[slot] : 0;
        for (let s = 0; s < count; s++) {
          const d = D[s * n + j];
          gb += d;
          if (d !== 0) nz[m++] = s;
        }
        if (slot >= 0) G[slot] = gb;
        const row = wOff + j * nIn;
        let t = 0;
        for (; t + 7 < m; t += 8) {
          const s0 = nz[t], s1 = nz[t + 1], s2 = nz[t + 2], s3 = nz[t + 3];
          const s4 = nz[t + 4], s5 = nz[t + 5], s6 = nz[t + 6], s7 = nz[t + 7];
          const d0 = D[s0 * n + j], d1 = D[s1 * n + j], d2 = D[s2 * n + j], d3 = D[s3 * n + j];
          const d4 = D[s4 * n + j], d5 = D[s5 * n + j], d6 = D[s6 * n + j], d7 = D[s7 * n + j];
          const x0 = xOff + s0 * nIn, x1 = xOff + s1 * nIn, x2 = xOff + s2 * nIn, x3 = xOff + s3 * nIn;
          const x4 = xOff + s4 * nIn, x5 = xOff + s5 * nIn, x6 = xOff + s6 * nIn, x7 = xOff + s7 * nIn;
          for (let i = 0; i < nIn; i++) {
            let g = G[row + i];
            g += d0 * X[x0 + i];
            g += d1 * X[x1 + i];
            g += d2 * X[x2 + i];
            g += d3 * X[x3 + i];
            g += d4 * X[x4 + i];
            g += d5 * X[x5 + i];
            g += d6 * X[x6 + i];
            g += d7 * X[x7 + i];
            G[row + i] = g;
          }
        }
        for (; t + 3 < m; t += 4) {
          const s0 = nz[t], s1 = nz[t + 1], s2 = nz[t + 2], s3 = nz[t + 3];
          const d0 = D[s0 * n + j], d1 = D[s1 * n + j], d2 = D[s2 * n + j], d3 = D[s3 * n + j];
          const x0 = xOff + s0 * nIn, x1 = xOff + s1 * nIn, x2 = xOff + s2 * nIn, x3 = xOff + s3 * nIn;
          for (let i = 0; i < nIn; i++) {
            let g = G[row + i];
            g += d0 * X[x0 + i];
            g += d1 * X[x1 + i];
            g += d2 * X[x2 + i];
            g += d3 * X[x3 + i];
            G[row + i] = g;
          }
        }
        for (; t < m; t++) {
          const s = nz[t];
          axpy(G, row, D[s * n + j], X, xOff + s * nIn, nIn);
        }
      }
    }
  }

  /**
   * One sample, one update, without a gradient buffer: per layer, top down, each weight row sends its
   * delta down with the old weights and is updated in the same pass. p − η·(d·x) rounds exactly as
   * the general path's p − η·g with g = 0 + d·x, so the weights are bitwise the same. Only for
   * networks without tied or frozen parameters. Returns the sample's loss.
   */
  private sampleStep(s: number): number {
    const sizes = this.sizes;
    const L = sizes.length - 1;
    const W = this.params;
    const r = this.rate;
    this.forward(s, 1);
    const e = this.outputDeltas(s, 1, lossScale(this.lossName, 1), true);
    for (let l = L; l >= 1; l--) {
      const nIn = sizes[l - 1];
      const n = sizes[l];
      const X = l === 1 ? this.inputs : this.A[l - 1];
      const xOff = l === 1 ? s * nIn : 0;
      const D = this.D[l];
      const wOff = this.layout.weightOffset[l];
      const slots = this.layout.biasSlot[l];
      if (l > 1) {
        const Dp = this.D[l - 1];
        Dp.fill(0, 0, nIn);
        for (let j = 0; j < n; j++) {
          const d = D[j];
          // A ±0 delta: p − η·0 leaves p as it is, and d·w adds nothing.
          if (d === 0) continue;
          const row = wOff + j * nIn;
          for (let i = 0; i < nIn; i++) {
            const w = W[row + i];
            Dp[i] += d * w;
            W[row + i] = w - r * (d * X[xOff + i]);
          }
          if (slots[j] >= 0) W[slots[j]] -= r * d;
        }
        const Z = this.Z[l - 1], A = this.A[l - 1];
        const act = this.acts[l - 2];
        for (let i = 0; i < nIn; i++) Dp[i] *= derivAct(act, Z[i], A[i]);
      } else {
        for (let j = 0; j < n; j++) {
          const d = D[j];
          if (d === 0) continue;
          const row = wOff + j * nIn;
          for (let i = 0; i < nIn; i++) W[row + i] -= r * (d * X[xOff + i]);
          if (slots[j] >= 0) W[slots[j]] -= r * d;
        }
      }
    }
    return e;
  }
}

/** Σ a[ao+i]·b[bo+i] in a fixed order (two interleaved partial sums, then combined). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[ao + i] * b[bo + i];
    s1 += a[ao + i + 1] * b[bo + i + 1];
  }
  if (i < n) s0 += a[ao + i] * b[bo + i];
  return s0 + s1;
}

/** y[yo+i] += alpha·x[xo+i]. */
function axpy(y: Float64Array, yo: number, alpha: number, x: Float64Array, xo: number, n: number): void {
  for (let i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
}

export function createTrainer(spec: DenseSpec): Trainer {
  return new DenseTrainer(spec);
}
