/**
 * One sample's fused pass for momentum and Adam, as compute/kernels.ts has one for gradient descent:
 * over a layer, each weight row sends its delta down with the old weights (when dp ≥ 0), and every
 * weight, then every bias, is updated from its gradient δ·x (+ λ·w) by the optimizer's own scalar
 * functions (math/optimizers.ts). The general update for one sample computes the same numbers — its
 * gradient entries are −0 + δ·x (+ λ·w), which is δ·x (+ λ·w) — so both agree bitwise, to the sign
 * of a zero. It reads and writes the state where the network's heap keeps it. The three loops are
 * alike but written out: sharing one through a per-weight callback would box its numbers in V8.
 */
import type { StepRule } from './wasm/module';
import { adamStep, correction, firstMoment, secondMoment, velocity, type OptimizerName, type OptimizerSpec } from '../math/optimizers';

/** The settings of one update: η, λ, the optimizer's spec and (Adam) its corrections for this t. */
export interface FusedStep {
  /** Prepares update `t` (from 1). */
  begin(spec: OptimizerSpec, rate: number, lambda: number, t: number): void;
  /** One layer of n rows of nIn weights at heap offset w, its biases at `slots` (−1: none). */
  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void;
  /** The biases alone (after the weights ran in WebAssembly): the gradient of bias j is d[j]. */
  biases(H: Float64Array, d: number, slots: Int32Array): void;
  /** The same pass for the weights as a WebAssembly kernel (compute/wasm/module.ts `ruleStep`), when there is one. */
  readonly simd?: SimdRule;
}

/** The settings of the WebAssembly twin of a step's weight loop. */
export interface SimdRule { rule: StepRule; rate: number; lambda: number; beta: number }

/** Gradient descent with decay (without decay, the sgd step of compute/kernels.ts runs): p ← p − η·(δ·x + λ·w). */
export class DecayStep implements FusedStep {
  private rate = 0;
  private lambda = 0;
  simd: SimdRule = { rule: 'decay', rate: 0, lambda: 0, beta: 0 };

  begin(_spec: OptimizerSpec, rate: number, lambda: number): void {
    this.rate = rate;
    this.lambda = lambda;
    this.simd = { rule: 'decay', rate, lambda, beta: 0 };
  }

  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void {
    const { rate, lambda } = this;
    for (let j = 0; j < n; j++) {
      const dj = H[d + j], r = w + j * nIn;
      for (let i = 0; i < nIn; i++) {
        const wi = H[r + i];
        if (dp >= 0) H[dp + i] += dj * wi;
        const gx = dj * H[x + i];
        H[r + i] = wi - rate * (lambda === 0 ? gx : gx + lambda * wi);
      }
    }
    this.biases(H, d, slots);
  }

  biases(H: Float64Array, d: number, slots: Int32Array): void {
    for (let j = 0; j < slots.length; j++) if (slots[j] >= 0) H[slots[j]] -= this.rate * H[d + j];
  }
}

export class MomentumStep implements FusedStep {
  private beta = 0;
  private rate = 0;
  private lambda = 0;

  /** V: the heap offset of the velocities (parameter k's at V + k). */
  constructor(private readonly V: number) {}

  simd: SimdRule = { rule: 'momentum', rate: 0, lambda: 0, beta: 0 };

  begin(spec: OptimizerSpec, rate: number, lambda: number): void {
    this.beta = spec.name === 'momentum' ? spec.beta : 0;
    this.rate = rate;
    this.lambda = lambda;
    this.simd = { rule: lambda === 0 ? 'momentum' : 'momentum-decay', rate, lambda, beta: this.beta };
  }

  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void {
    const { V, beta, rate, lambda } = this;
    for (let j = 0; j < n; j++) {
      const dj = H[d + j], r = w + j * nIn;
      for (let i = 0; i < nIn; i++) {
        const wi = H[r + i];
        if (dp >= 0) H[dp + i] += dj * wi;
        const gx = dj * H[x + i];
        const v = velocity(beta, H[V + r + i], lambda === 0 ? gx : gx + lambda * wi);
        H[V + r + i] = v;
        H[r + i] = wi - rate * v;
      }
    }
    this.biases(H, d, slots);
  }

  biases(H: Float64Array, d: number, slots: Int32Array): void {
    const { V, beta, rate } = this;
    for (let j = 0; j < slots.length; j++) {
      const b = slots[j];
      if (b < 0) continue;
      const v = velocity(beta, H[V + b], H[d + j]);
      H[V + b] = v;
      H[b] -= rate * v;
    }
  }
}

export class AdamStep implements FusedStep {
  private beta1 = 0;
  private beta2 = 0;
  private eps = 0;
  private c1 = 1;
  private c2 = 1;
  private rate = 0;
  private lambda = 0;

  /** M, V: the heap offsets of the first and second moments. */
  constructor(private readonly M: number, private readonly V: number) {}

  begin(spec: OptimizerSpec, rate: number, lambda: number, t: number): void {
    if (spec.name !== 'adam') return;
    ({ beta1: this.beta1, beta2: this.beta2, eps: this.eps } = spec);
    this.c1 = correction(spec.beta1, t);
    this.c2 = correction(spec.beta2, t);
    this.rate = rate;
    this.lambda = lambda;
  }

  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void {
    const { lambda, M, V, beta1, beta2, c1, c2, rate, eps } = this;
    for (let j = 0; j < n; j++) {
      const dj = H[d + j], r = w + j * nIn;
      // `update`, written out: a call per weight would box its arguments.
      for (let i = 0; i < nIn; i++) {
        const k = r + i, wi = H[k];
        if (dp >= 0) H[dp + i] += dj * wi;
        const gx = dj * H[x + i];
        const g = lambda === 0 ? gx : gx + lambda * wi;
        const m = firstMoment(beta1, H[M + k], g);
        const v = secondMoment(beta2, H[V + k], g);
        H[M + k] = m;
        H[V + k] = v;
        H[k] = wi - adamStep(rate, m / c1, v / c2, eps);
      }
    }
    this.biases(H, d, slots);
  }

  biases(H: Float64Array, d: number, slots: Int32Array): void {
    for (let j = 0; j < slots.length; j++) if (slots[j] >= 0) this.update(H, slots[j], H[d + j]);
  }

  /** Parameter k from gradient g: the Adam record's `apply` for one element. */
  private update(H: Float64Array, k: number, g: number): void {
    const m = firstMoment(this.beta1, H[this.M + k], g);
    const v = secondMoment(this.beta2, H[this.V + k], g);
    H[this.M + k] = m;
    H[this.V + k] = v;
    H[k] -= adamStep(this.rate, m / this.c1, v / this.c2, this.eps);
  }
}

/** Where a fused step finds the optimizer's state in the heap. */
export interface StateOffsets { v: number; m: number }

/** Every optimizer's fused step (a new optimizer must add its own: the type asks for every name). */
export const FUSED_STEPS = {
  sgd: () => new DecayStep(),
  momentum: (at: StateOffsets) => new MomentumStep(at.v),
  adam: (at: StateOffsets) => new AdamStep(at.m, at.v),
} as const satisfies { [N in OptimizerName]: (at: StateOffsets) => FusedStep };
