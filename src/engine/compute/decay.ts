/**
 * The L2 decay in the trainer (math/decay.ts is the concept): E gains (λ/2)·Σ w² over the weights —
 * each layer's weights are one range of the parameters, its biases follow it and are left out — and
 * every weight's gradient gains λ·w.
 */
import { DECAY } from '../math/decay';
import type { Layout } from './layout';

/** (λ/2)·Σ w² over every weight (0 when λ = 0). */
export function decayTerm(params: Float64Array, layout: Layout, lambda: number): number {
  return lambda === 0 ? 0 : DECAY.value(lambda, weightSquares(params, layout));
}

/** grad += λ·w for every weight; returns (λ/2)·Σ w² of the weights before, in one pass (the order of `weightSquares`). */
export function addDecay(grad: Float64Array, params: Float64Array, layout: Layout, lambda: number): number {
  return lambda === 0 ? 0 : DECAY.value(lambda, weightSquares(params, layout, grad, lambda));
}

/** The WebAssembly twins of `weightSquares` over one layer, with a gradient and without (compute/wasm/module.ts). */
export interface DecayKernel {
  decay(p: number, g: number, count: number, lambda: number, acc: number): void;
  squares(p: number, count: number, acc: number): void;
}

/**
 * `addDecay` (with `g`, the heap offset of the gradient) or `decayTerm` (without) on the network's
 * heap by the WebAssembly kernels: parameters at offset 0, four scratch doubles at `acc` for the
 * partial sums. Bitwise the JavaScript functions' numbers.
 */
export function decayInHeap(k: DecayKernel, H: Float64Array, acc: number, layout: Layout, lambda: number, g?: number): number {
  if (lambda === 0) return 0;
  const { sizes, weightOffset } = layout;
  H.fill(0, acc, acc + 4);
  for (let l = 1; l < sizes.length; l++) {
    const count = sizes[l] * sizes[l - 1];
    if (g === undefined) k.squares(weightOffset[l], count, acc);
    else k.decay(weightOffset[l], g + weightOffset[l], count, lambda, acc);
  }
  return DECAY.value(lambda, H[acc] + H[acc + 1] + H[acc + 2] + H[acc + 3]);
}

// The weights of layer l are weightOffset[l] … + sizes[l]·sizes[l−1] (see layout.ts).

/**
 * Σ w² over the weights: four partial sums by index mod 4 across every layer's weights in order
 * (four, so that the sum is not held up by each addition's latency), added at the end. With `grad`,
 * also grad += λ·w for each weight read: every caller gets the very same sum.
 */
export function weightSquares(params: Float64Array, layout: Layout, grad?: Float64Array, lambda = 0): number {
  const { sizes, weightOffset } = layout;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let l = 1; l < sizes.length; l++) {
    const start = weightOffset[l];
    const end = start + sizes[l] * sizes[l - 1];
    let i = start;
    for (; i + 3 < end; i += 4) {
      const a = params[i], b = params[i + 1], c = params[i + 2], d = params[i + 3];
      s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d;
      if (grad) { grad[i] += lambda * a; grad[i + 1] += lambda * b; grad[i + 2] += lambda * c; grad[i + 3] += lambda * d; }
    }
    for (; i < end; i++) {
      const a = params[i];
      s0 += a * a;
      if (grad) grad[i] += lambda * a;
    }
  }
  return s0 + s1 + s2 + s3;
}
