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

// The weights of layer l are weightOffset[l] … + sizes[l]·sizes[l−1] (see layout.ts).

/** Σ w² over the weights, layer by layer. */
export function weightSquares(params: Float64Array, layout: Layout): number {
  const { sizes, weightOffset } = layout;
  let sum = 0;
  for (let l = 1; l < sizes.length; l++) {
    const end = weightOffset[l] + sizes[l] * sizes[l - 1];
    for (let i = weightOffset[l]; i < end; i++) sum += params[i] * params[i];
  }
  return sum;
}

/** grad += λ·w for every weight. */
export function addDecay(grad: Float64Array, params: Float64Array, layout: Layout, lambda: number): void {
  const { sizes, weightOffset } = layout;
  for (let l = 1; l < sizes.length && lambda !== 0; l++) {
    const end = weightOffset[l] + sizes[l] * sizes[l - 1];
    for (let i = weightOffset[l]; i < end; i++) grad[i] += lambda * params[i];
  }
}
