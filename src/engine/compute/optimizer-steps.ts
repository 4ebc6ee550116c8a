/**
 * One sample's fused pass for gradient descent with decay, momentum and Adam, as compute/kernels.ts
 * has one for plain gradient descent: over a layer, each weight row sends its delta down with the
 * old weights (when dp ≥ 0), and every weight, then every bias, is updated from its gradient
 * δ·x (+ λ·w) by the optimizer's own scalar functions (math/optimizers.ts). The general update for
 * one sample computes the same numbers — its gradient entries are −0 + δ·x (+ λ·w), which is
 * δ·x (+ λ·w) — so both agree bitwise, to the sign of a zero. It reads and writes the state where the network's heap keeps it. The three loops are
 * alike but written out: sharing one through a per-weight callback would box its numbers in V8.
 */
import type { RuleSettings } from './wasm/kernels';
import { adamStep, correction, firstMoment, secondMoment, velocity, type OptimizerName, type OptimizerSpec } from '../math/optimizers';

/** One update's fused pass: its settings (η, λ, the optimizer's spec and, for Adam, the corrections for this t) and loops. */
export interface FusedStep {
  /** Prepares update `t` (from 1). */
  begin(spec: OptimizerSpec, rate: number, lambda: number, t: number): void;
  /** One layer of n rows of nIn weights at heap offset w, its biases at `slots` (−1: none). */
  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void;
  /** The biases alone (after the weights ran in WebAssembly): the gradient of bias j is d[j]. */
  biases(H: Float64Array, d: number, slots: Int32Array): void;
  /** The settings `begin` made, which the weights' WebAssembly twin (compute/wasm/module.ts `ruleStep`) takes too. */
  readonly settings: RuleSettings;
}

/**
 * One settings object per step, rewritten by each `begin` (a fresh one per sample would cost as
 * much as a 2-3-3 network's whole step); momentum's β is its beta1.
 */
abstract class Settings {
  readonly settings: RuleSettings = { rule: 'decay', rate: 0, lambda: 0, beta1: 0, beta2: 0, eps: 0, c1: 1, c2: 1 };

  protected set(rule: RuleSettings['rule'], rate: number, lambda: number): RuleSettings {
    const s = this.settings;
    s.rule = rule;
    s.rate = rate;
    s.lambda = lambda;
    return s;
  }
}

/** Gradient descent with decay (without decay, the sgd step of compute/kernels.ts runs): p ← p − η·(δ·x + λ·w). */
export class DecayStep extends Settings implements FusedStep {
  begin(_spec: OptimizerSpec, rate: number, lambda: number): void {
    this.set('decay', rate, lambda);
  }

  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void {
    const { rate, lambda } = this.settings;
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
    const { rate } = this.settings;
    for (let j = 0; j < slots.length; j++) if (slots[j] >= 0) H[slots[j]] -= rate * H[d + j];
  }
}

export class MomentumStep extends Settings implements FusedStep {
  /** V: the heap offset of the velocities (parameter k's at V + k). */
  constructor(private readonly V: number) { super(); }

  begin(spec: OptimizerSpec, rate: number, lambda: number): void {
    this.set(lambda === 0 ? 'momentum' : 'momentum-decay', rate, lambda).beta1 = spec.name === 'momentum' ? spec.beta : 0;
  }

  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void {
    const { V } = this;
    const { beta1: beta, rate, lambda } = this.settings;
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
    const { V } = this;
    const { beta1: beta, rate } = this.settings;
    for (let j = 0; j < slots.length; j++) {
      const b = slots[j];
      if (b < 0) continue;
      const v = velocity(beta, H[V + b], H[d + j]);
      H[V + b] = v;
      H[b] -= rate * v;
    }
  }
}

export class AdamStep extends Settings implements FusedStep {
  /** M, V: the heap offsets of the first and second moments. */
  constructor(private readonly M: number, private readonly V: number) { super(); }

  begin(spec: OptimizerSpec, rate: number, lambda: number, t: number): void {
    if (spec.name !== 'adam') return;
    const s = this.set(lambda === 0 ? 'adam' : 'adam-decay', rate, lambda);
    s.beta1 = spec.beta1;
    s.beta2 = spec.beta2;
    s.eps = spec.eps;
    s.c1 = correction(spec.beta1, t);
    s.c2 = correction(spec.beta2, t);
  }

  layer(H: Float64Array, w: number, x: number, d: number, dp: number, nIn: number, n: number, slots: Int32Array): void {
    const { M, V } = this;
    const { lambda, beta1, beta2, c1, c2, rate, eps } = this.settings;
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
    const { beta1, beta2, c1, c2, rate, eps } = this.settings;
    const m = firstMoment(beta1, H[this.M + k], g);
    const v = secondMoment(beta2, H[this.V + k], g);
    H[this.M + k] = m;
    H[this.V + k] = v;
    H[k] -= adamStep(rate, m / c1, v / c2, eps);
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
