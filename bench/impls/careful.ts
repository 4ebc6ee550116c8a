/**
 * A careful hand-written float64 trainer, the peer the engine has to match: written for speed and
 * independently of the engine's kernels (its sums run in its own order, so it agrees with the
 * reference to rounding, not bitwise). Plain Float64Arrays per layer, and the usual tricks:
 * - per-sample SGD: 4-way register blocking of the matrix–vector loops (four output rows share each
 *   input load), the delta sent down and the weight update fused into one pass per layer, η·δ taken
 *   once per row, activations and their slopes on whole rows;
 * - batch and minibatch: chunks of samples, the forward pass 4 rows × 2 samples per tile, the deltas
 *   4 rows × 2 samples, the weight gradients 4 rows sharing each input load, one update per batch.
 */
import type { Activation } from '../../src/engine/math/activations';
import { lossScale } from '../reference';
import { sampleCount, type Workload } from '../workloads';
import type { Implementation, Prepared } from './types';

const CHUNK = 32;

function activate(f: Activation, z: Float64Array, a: Float64Array, n: number): void {
  switch (f) {
    case 'sigmoid': for (let k = 0; k < n; k++) a[k] = 1 / (1 + Math.exp(-z[k])); break;
    case 'tanh': for (let k = 0; k < n; k++) a[k] = Math.tanh(z[k]); break;
    case 'relu': for (let k = 0; k < n; k++) a[k] = z[k] > 0 ? z[k] : 0; break;
    case 'leaky-relu': for (let k = 0; k < n; k++) a[k] = z[k] > 0 ? z[k] : 0.01 * z[k]; break;
    case 'linear': for (let k = 0; k < n; k++) a[k] = z[k]; break;
  }
}

/** d *= f′ over a whole row (f′ from out, or from net for the piecewise-linear ones). */
function slope(f: Activation, z: Float64Array, a: Float64Array, d: Float64Array, n: number): void {
  switch (f) {
    case 'sigmoid': for (let k = 0; k < n; k++) d[k] *= a[k] * (1 - a[k]); break;
    case 'tanh': for (let k = 0; k < n; k++) d[k] *= 1 - a[k] * a[k]; break;
    case 'relu': for (let k = 0; k < n; k++) if (!(z[k] > 0)) d[k] = 0; break;
    case 'leaky-relu': for (let k = 0; k < n; k++) if (!(z[k] > 0)) d[k] *= 0.01; break;
    case 'linear': break;
  }
}

/** z[s·nOut + j] = b[j] + Σ_i W[j·nIn + i]·x[s·nIn + i] for `count` samples. */
function affine(W: Float64Array, b: Float64Array, x: Float64Array, xo: number, z: Float64Array, nIn: number, nOut: number, count: number): void {
  let s = 0;
  for (; s + 1 < count; s += 2) {
    const x0 = xo + s * nIn, x1 = x0 + nIn, z0 = s * nOut, z1 = z0 + nOut;
    let j = 0;
    for (; j + 3 < nOut; j += 4) {
      const r0 = j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
      let p0 = b[j], p1 = b[j + 1], p2 = b[j + 2], p3 = b[j + 3];
      let q0 = p0, q1 = p1, q2 = p2, q3 = p3;
      for (let i = 0; i < nIn; i++) {
        const u = x[x0 + i], v = x[x1 + i];
        const w0 = W[r0 + i], w1 = W[r1 + i], w2 = W[r2 + i], w3 = W[r3 + i];
        p0 += w0 * u; p1 += w1 * u; p2 += w2 * u; p3 += w3 * u;
        q0 += w0 * v; q1 += w1 * v; q2 += w2 * v; q3 += w3 * v;
      }
      z[z0 + j] = p0; z[z0 + j + 1] = p1; z[z0 + j + 2] = p2; z[z0 + j + 3] = p3;
      z[z1 + j] = q0; z[z1 + j + 1] = q1; z[z1 + j + 2] = q2; z[z1 + j + 3] = q3;
    }
    for (; j < nOut; j++) {
      let p = b[j], q = b[j];
      for (let i = 0; i < nIn; i++) { p += W[j * nIn + i] * x[x0 + i]; q += W[j * nIn + i] * x[x1 + i]; }
      z[z0 + j] = p; z[z1 + j] = q;
    }
  }
  if (s < count) affineOne(W, b, x, xo + s * nIn, z, s * nOut, nIn, nOut);
}

/** One sample: four rows share each input load. */
function affineOne(W: Float64Array, b: Float64Array, x: Float64Array, xo: number, z: Float64Array, zo: number, nIn: number, nOut: number): void {
  let j = 0;
  for (; j + 3 < nOut; j += 4) {
    const r0 = j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
    let p0 = b[j], p1 = b[j + 1], p2 = b[j + 2], p3 = b[j + 3];
    for (let i = 0; i < nIn; i++) {
      const u = x[xo + i];
      p0 += W[r0 + i] * u; p1 += W[r1 + i] * u; p2 += W[r2 + i] * u; p3 += W[r3 + i] * u;
    }
    z[zo + j] = p0; z[zo + j + 1] = p1; z[zo + j + 2] = p2; z[zo + j + 3] = p3;
  }
  for (; j < nOut; j++) {
    let p = b[j];
    for (let i = 0; i < nIn; i++) p += W[j * nIn + i] * x[xo + i];
    z[zo + j] = p;
  }
}

/** Per-sample SGD pass over one layer: down[i] = Σ_j d[j]·W[j, i] (old W) and W −= η·d·xᵀ, b −= η·d. */
function fusedLayer(W: Float64Array, b: Float64Array, x: Float64Array, xo: number, d: Float64Array, down: Float64Array | null, nIn: number, n: number, rate: number): void {
  if (down) down.fill(0, 0, nIn);
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const e0 = rate * d[j], e1 = rate * d[j + 1], e2 = rate * d[j + 2], e3 = rate * d[j + 3];
    const r0 = j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
    if (down) {
      const d0 = d[j], d1 = d[j + 1], d2 = d[j + 2], d3 = d[j + 3];
      for (let i = 0; i < nIn; i++) {
        const u = x[xo + i];
        const w0 = W[r0 + i], w1 = W[r1 + i], w2 = W[r2 + i], w3 = W[r3 + i];
        down[i] += d0 * w0 + d1 * w1 + d2 * w2 + d3 * w3;
        W[r0 + i] = w0 - e0 * u; W[r1 + i] = w1 - e1 * u; W[r2 + i] = w2 - e2 * u; W[r3 + i] = w3 - e3 * u;
      }
    } else {
      for (let i = 0; i < nIn; i++) {
        const u = x[xo + i];
        W[r0 + i] -= e0 * u; W[r1 + i] -= e1 * u; W[r2 + i] -= e2 * u; W[r3 + i] -= e3 * u;
      }
    }
    b[j] -= e0; b[j + 1] -= e1; b[j + 2] -= e2; b[j + 3] -= e3;
  }
  for (; j < n; j++) {
    const dj = d[j], e = rate * dj, r = j * nIn;
    for (let i = 0; i < nIn; i++) {
      const w = W[r + i];
      if (down) down[i] += dj * w;
      W[r + i] = w - e * x[xo + i];
    }
    b[j] -= e;
  }
}

/** down[s, :] = Σ_j d[s, j]·W[j, :] for `count` samples, 4 rows × 2 samples per tile. */
function deltasDown(W: Float64Array, d: Float64Array, down: Float64Array, nIn: number, n: number, count: number): void {
  down.fill(0, 0, count * nIn);
  let s = 0;
  for (; s + 1 < count; s += 2) {
    const a = s * nIn, c = a + nIn, da = s * n, dc = da + n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const r0 = j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
      const p0 = d[da + j], p1 = d[da + j + 1], p2 = d[da + j + 2], p3 = d[da + j + 3];
      const q0 = d[dc + j], q1 = d[dc + j + 1], q2 = d[dc + j + 2], q3 = d[dc + j + 3];
      for (let i = 0; i < nIn; i++) {
        const w0 = W[r0 + i], w1 = W[r1 + i], w2 = W[r2 + i], w3 = W[r3 + i];
        down[a + i] += p0 * w0 + p1 * w1 + p2 * w2 + p3 * w3;
        down[c + i] += q0 * w0 + q1 * w1 + q2 * w2 + q3 * w3;
      }
    }
    for (; j < n; j++) {
      const p = d[da + j], q = d[dc + j], r = j * nIn;
      for (let i = 0; i < nIn; i++) { down[a + i] += p * W[r + i]; down[c + i] += q * W[r + i]; }
    }
  }
  for (; s < count; s++) {
    for (let j = 0; j < n; j++) {
      const p = d[s * n + j], r = j * nIn;
      for (let i = 0; i < nIn; i++) down[s * nIn + i] += p * W[r + i];
    }
  }
}

/** G[j, :] += Σ_s d[s, j]·x[s, :] and gb[j] += Σ_s d[s, j]; four rows share each input load. */
function gradients(G: Float64Array, gb: Float64Array, x: Float64Array, xo: number, d: Float64Array, nIn: number, n: number, count: number): void {
  for (let s = 0; s < count; s++) {
    const xs = xo + s * nIn, ds = s * n;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const d0 = d[ds + j], d1 = d[ds + j + 1], d2 = d[ds + j + 2], d3 = d[ds + j + 3];
      const r0 = j * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
      for (let i = 0; i < nIn; i++) {
        const u = x[xs + i];
        G[r0 + i] += d0 * u; G[r1 + i] += d1 * u; G[r2 + i] += d2 * u; G[r3 + i] += d3 * u;
      }
      gb[j] += d0; gb[j + 1] += d1; gb[j + 2] += d2; gb[j + 3] += d3;
    }
    for (; j < n; j++) {
      const dj = d[ds + j], r = j * nIn;
      for (let i = 0; i < nIn; i++) G[r + i] += dj * x[xs + i];
      gb[j] += dj;
    }
  }
}

class Careful implements Prepared {
  private readonly W: Float64Array[] = [];
  private readonly b: Float64Array[] = [];
  private readonly G: Float64Array[] = [];
  private readonly gb: Float64Array[] = [];
  private readonly z: Float64Array[] = [];
  private readonly a: Float64Array[] = [];
  private readonly d: Float64Array[] = [];
  private readonly L: number;
  private readonly n: number;
  /** ∂E/∂o per (o − t) for one sample, looked up once (a call into another module per sample would cost under tsx). */
  private readonly sampleScale: number;

  constructor(private readonly w: Workload) {
    const { sizes } = w;
    this.L = sizes.length - 1;
    this.n = sampleCount(w);
    this.sampleScale = lossScale(w.loss, 1).grad;
    for (let l = 0; l <= this.L; l++) {
      const size = sizes[l];
      const weights = l === 0 ? 0 : size * sizes[l - 1];
      this.W.push(new Float64Array(weights)); this.G.push(new Float64Array(weights));
      this.b.push(new Float64Array(size)); this.gb.push(new Float64Array(size));
      this.z.push(new Float64Array(CHUNK * size)); this.a.push(new Float64Array(CHUNK * size)); this.d.push(new Float64Array(CHUNK * size));
    }
    this.reset();
  }

  reset(): void {
    let o = 0;
    for (let l = 1; l <= this.L; l++) {
      this.W[l].set(this.w.params.subarray(o, o + this.W[l].length)); o += this.W[l].length;
      this.b[l].set(this.w.params.subarray(o, o + this.b[l].length)); o += this.b[l].length;
    }
  }

  params(): Float64Array {
    const out = new Float64Array(this.w.params.length);
    let o = 0;
    for (let l = 1; l <= this.L; l++) { out.set(this.W[l], o); o += this.W[l].length; out.set(this.b[l], o); o += this.b[l].length; }
    return out;
  }

  run(epochs: number): void {
    const { mode } = this.w;
    const batch = mode.kind === 'batch' ? this.n : mode.kind === 'sample' ? 1 : mode.size;
    for (let e = 0; e < epochs; e++) {
      for (let s = 0; s < this.n; s += batch) {
        if (batch === 1) this.sgd(s);
        else this.batch(s, Math.min(batch, this.n - s));
      }
    }
  }

  dispose(): void {}

  /** Forward for `count` samples from `start`; the first layer reads the workload's inputs in place. */
  private forward(start: number, count: number): void {
    const { sizes, activations, inputs } = this.w;
    for (let l = 1; l <= this.L; l++) {
      const x = l === 1 ? inputs : this.a[l - 1];
      const xo = l === 1 ? start * sizes[0] : 0;
      if (count === 1) affineOne(this.W[l], this.b[l], x, xo, this.z[l], 0, sizes[l - 1], sizes[l]);
      else affine(this.W[l], this.b[l], x, xo, this.z[l], sizes[l - 1], sizes[l], count);
      activate(activations[l - 1], this.z[l], this.a[l], count * sizes[l]);
    }
  }

  private sgd(s: number): void {
    const { sizes, activations, inputs, rate } = this.w;
    this.forward(s, 1);
    this.outputDeltas(s, 1, 1);
    for (let l = this.L; l >= 1; l--) {
      const below = l > 1 ? this.d[l - 1] : null;
      const x = l > 1 ? this.a[l - 1] : inputs;
      fusedLayer(this.W[l], this.b[l], x, l > 1 ? 0 : s * sizes[0], this.d[l], below, sizes[l - 1], sizes[l], rate);
      if (below) slope(activations[l - 2], this.z[l - 1], this.a[l - 1], below, sizes[l - 1]);
    }
  }

  private batch(start: number, count: number): void {
    const { sizes, activations, inputs, rate } = this.w;
    for (let l = 1; l <= this.L; l++) { this.G[l].fill(0); this.gb[l].fill(0); }
    for (let c0 = start; c0 < start + count; c0 += CHUNK) {
      const m = Math.min(CHUNK, start + count - c0);
      this.forward(c0, m);
      this.outputDeltas(c0, m, count);
      for (let l = this.L; l >= 1; l--) {
        if (l > 1) {
          deltasDown(this.W[l], this.d[l], this.d[l - 1], sizes[l - 1], sizes[l], m);
          slope(activations[l - 2], this.z[l - 1], this.a[l - 1], this.d[l - 1], m * sizes[l - 1]);
        }
        const x = l > 1 ? this.a[l - 1] : inputs;
        gradients(this.G[l], this.gb[l], x, l > 1 ? 0 : c0 * sizes[0], this.d[l], sizes[l - 1], sizes[l], m);
      }
    }
    for (let l = 1; l <= this.L; l++) {
      const W = this.W[l], G = this.G[l], b = this.b[l], gb = this.gb[l];
      for (let k = 0; k < W.length; k++) W[k] -= rate * G[k];
      for (let k = 0; k < b.length; k++) b[k] -= rate * gb[k];
    }
  }

  /** Output deltas scale·(o − t)·f′ for `count` samples, with the loss scale of a batch of `batchSize`. */
  private outputDeltas(start: number, count: number, batchSize: number): void {
    const K = this.w.sizes[this.L];
    const g = batchSize === 1 ? this.sampleScale : lossScale(this.w.loss, batchSize).grad;
    const o = this.a[this.L], d = this.d[this.L], t = this.w.targets;
    for (let k = 0; k < count * K; k++) d[k] = g * (o[k] - t[start * K + k]);
    slope(this.w.activations[this.L - 1], this.z[this.L], o, d, count * K);
  }
}

export function carefulImplementation(): Implementation {
  return {
    name: 'careful JS',
    precision: 'float64',
    unsupported: () => null,
    prepare: (w: Workload) => Promise.resolve(new Careful(w)),
  };
}
