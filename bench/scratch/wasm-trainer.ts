/**
 * PROTOTYPE (bench only): the engine's batch/minibatch training with the forward, delta and
 * gradient loops in WebAssembly SIMD (bench/scratch/wasm-kernels.ts) and everything O(neurons) —
 * biases, activations, loss, the update — in JavaScript, in the engine's order of operations, so the
 * weights come out bitwise identical to src/engine/trainer.ts. Restricted to what the kernels
 * handle: every layer size even, every chunk of samples a multiple of 4, every neuron biased,
 * nothing tied or frozen, no per-sample mode.
 */
// The engine's own activations and loss scale, so that only the kernels differ.
import type { DenseSpec, Trainer } from '../../src/engine/compute/trainer';
import { activate as act, activationDerivative as slope } from '../../src/engine/math/activations';
import { lossScale } from '../../src/engine/math/losses';
import { instantiateKernelsSync, type Kernels } from './wasm-kernels';

const CHUNK = 32;

class WasmTrainer implements Trainer {
  readonly params: Float64Array;
  private readonly grad: Float64Array;
  private readonly k: Kernels;
  private readonly sizes: number[];
  private readonly n: number;
  private readonly batch: number;
  /** Byte addresses in wasm memory. */
  private readonly pPtr: number;
  private readonly gPtr: number;
  private readonly xPtr: number;
  private readonly zPtr: number[] = [];
  private readonly aPtr: number[] = [];
  private readonly dPtr: number[] = [];
  private readonly Z: Float64Array[] = [];
  private readonly A: Float64Array[] = [];
  private readonly D: Float64Array[] = [];
  private readonly wOff: number[] = [0];
  private readonly bOff: number[] = [0];

  constructor(private readonly spec: DenseSpec) {
    const { sizes, mode } = spec;
    if (spec.hasBias || spec.tied || spec.frozen || !spec.params) throw new Error('prototype: plain networks with given params only');
    if (sizes.some((n) => n % 2)) throw new Error('prototype: layer sizes must be even');
    this.sizes = sizes.slice();
    this.n = spec.inputs.length / sizes[0];
    if (mode.kind === 'sample') throw new Error('prototype: batch and minibatch modes only');
    this.batch = mode.kind === 'batch' ? this.n : mode.size;
    const pieces = [this.n % CHUNK, this.batch % CHUNK, (this.n % this.batch) % CHUNK];
    if (pieces.some((m) => m % 4)) throw new Error('prototype: every chunk of samples must be a multiple of 4');
    const P = spec.params.length;
    let bytes = 0;
    const take = (doubles: number) => { const at = bytes; bytes += doubles * 8; return at; };
    this.pPtr = take(P);
    this.gPtr = take(P);
    this.xPtr = take(spec.inputs.length);
    for (const n of sizes) { this.zPtr.push(take(CHUNK * n)); this.aPtr.push(take(CHUNK * n)); this.dPtr.push(take(CHUNK * n)); }
    const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) + 1 });
    this.k = instantiateKernelsSync(memory);
    const buf = memory.buffer;
    this.params = new Float64Array(buf, this.pPtr, P);
    this.params.set(spec.params);
    this.grad = new Float64Array(buf, this.gPtr, P);
    new Float64Array(buf, this.xPtr, spec.inputs.length).set(spec.inputs);
    sizes.forEach((n, l) => {
      this.Z.push(new Float64Array(buf, this.zPtr[l], CHUNK * n));
      this.A.push(new Float64Array(buf, this.aPtr[l], CHUNK * n));
      this.D.push(new Float64Array(buf, this.dPtr[l], CHUNK * n));
    });
    let p = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.wOff.push(p);
      p += sizes[l - 1] * sizes[l];
      this.bOff.push(p);
      p += sizes[l];
    }
  }

  trainEpochs(epochs: number): number {
    const G = this.grad;
    const p = this.params;
    const r = this.spec.rate;
    for (let e = 0; e < epochs; e++) {
      for (let start = 0; start < this.n; start += this.batch) {
        const count = Math.min(this.batch, this.n - start);
        G.fill(0);
        const c = lossScale(this.spec.loss, count);
        for (let s = start; s < start + count; s += CHUNK) {
          const m = Math.min(CHUNK, start + count - s);
          this.forward(s, m);
          this.outputs(s, m, c, true);
          this.backward(m);
          this.accumulate(s, m);
        }
        for (let i = 0; i < p.length; i++) p[i] -= r * G[i];
      }
    }
    return this.loss();
  }

  loss(): number {
    const c = lossScale(this.spec.loss, this.n);
    let e = 0;
    for (let s = 0; s < this.n; s += CHUNK) {
      const m = Math.min(CHUNK, this.n - s);
      this.forward(s, m);
      e += this.outputs(s, m, c, false);
    }
    return e;
  }

  private forward(start: number, count: number): void {
    const { sizes } = this;
    const W = this.params;
    for (let l = 1; l < sizes.length; l++) {
      const nIn = sizes[l - 1];
      const nOut = sizes[l];
      const x = l === 1 ? this.xPtr + start * nIn * 8 : this.aPtr[l - 1];
      this.k.forward(this.pPtr + this.wOff[l] * 8, x, this.zPtr[l], nIn, nOut, count);
      const Z = this.Z[l];
      const A = this.A[l];
      const f = this.spec.activations[l - 1];
      const b = this.bOff[l];
      for (let s = 0; s < count; s++) {
        for (let j = 0; j < nOut; j++) {
          const z = Z[s * nOut + j] + W[b + j];
          Z[s * nOut + j] = z;
          A[s * nOut + j] = act(f, z);
        }
      }
    }
  }

  private outputs(start: number, count: number, c: number, keep: boolean): number {
    const L = this.sizes.length - 1;
    const nOut = this.sizes[L];
    const AL = this.A[L], ZL = this.Z[L], DL = this.D[L], T = this.spec.targets;
    const f = this.spec.activations[L - 1];
    const c2 = 2 * c;
    let e = 0;
    for (let s = 0; s < count; s++) {
      let sq = 0;
      for (let k = 0; k < nOut; k++) {
        const o = AL[s * nOut + k];
        const t = T[(start + s) * nOut + k];
        const diff = t - o;
        sq += diff * diff;
        if (keep) DL[s * nOut + k] = c2 * (o - t) * slope(f, ZL[s * nOut + k], o);
      }
      e += c * sq;
    }
    return e;
  }

  private backward(count: number): void {
    const { sizes } = this;
    for (let l = sizes.length - 2; l >= 1; l--) {
      const n = sizes[l];
      const D = this.D[l];
      D.fill(0, 0, count * n);
      this.k.backward(this.dPtr[l + 1], this.pPtr + this.wOff[l + 1] * 8, this.dPtr[l], n, sizes[l + 1], count);
      const Z = this.Z[l], A = this.A[l];
      const f = this.spec.activations[l - 1];
      for (let q = 0; q < count * n; q++) D[q] *= slope(f, Z[q], A[q]);
    }
  }

  private accumulate(start: number, count: number): void {
    const { sizes } = this;
    const G = this.grad;
    for (let l = 1; l < sizes.length; l++) {
      const nIn = sizes[l - 1];
      const n = sizes[l];
      const D = this.D[l];
      const b = this.bOff[l];
      for (let j = 0; j < n; j++) {
        let gb = G[b + j];
        for (let s = 0; s < count; s++) gb += D[s * n + j];
        G[b + j] = gb;
      }
      const x = l === 1 ? this.xPtr + start * nIn * 8 : this.aPtr[l - 1];
      this.k.accumulate(this.gPtr + this.wOff[l] * 8, x, this.dPtr[l], nIn, n, count);
    }
  }
}

export function createTrainer(spec: DenseSpec): Trainer {
  return new WasmTrainer(spec);
}
