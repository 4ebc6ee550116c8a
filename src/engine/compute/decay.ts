/**
 * The L2 decay in the trainer (math/decay.ts is the concept): E gains (λ/2)·Σ w² over the weights —
 * each layer's weights are one range of the parameters, its biases follow it and are left out — and
 * every weight's gradient gains λ·w.
 *
 * Σ w² has one order of additions everywhere (the trainer in JavaScript and WebAssembly, its fused
 * per-sample step, the trace and `check`): each weight row (a neuron's incoming weights) is summed
 * as `dot(row, row)` sums it — even- and odd-index partial sums, the odd last weight joining the
 * even sum — the rows of a layer are added in order, then the layers in order. Rows, because that
 * is how the fused step meets the weights (four rows at a time, each its own accumulator).
 */
import { DECAY } from '../math/decay';
import { dot } from './kernels';
import type { Layout } from './layout';

/** (λ/2)·Σ w² over every weight (0 when λ = 0). */
export function decayTerm(params: Float64Array, layout: Layout, lambda: number): number {
  return lambda === 0 ? 0 : DECAY.value(lambda, weightSquares(params, layout));
}

/** grad += λ·w for every weight; returns (λ/2)·Σ w² of the weights before. */
export function addDecay(grad: Float64Array, params: Float64Array, layout: Layout, lambda: number): number {
  if (lambda === 0) return 0;
  const { sizes, weightOffset } = layout;
  for (let l = 1; l < sizes.length; l++) {
    const end = weightOffset[l] + sizes[l] * sizes[l - 1];
    for (let i = weightOffset[l]; i < end; i++) grad[i] += lambda * params[i];
  }
  return DECAY.value(lambda, weightSquares(params, layout));
}

/** Σ w² over the weights, in the order above. */
export function weightSquares(params: Float64Array, layout: Layout): number {
  let sum = 0;
  for (let l = 1; l < layout.sizes.length; l++) sum += layerSquares(params, layout, l);
  return sum;
}

/** Σ w² over layer l's weights: each row as `dot(row, row)`, the rows added in order. */
export function layerSquares(params: Float64Array, layout: Layout, l: number): number {
  const nIn = layout.sizes[l - 1];
  let sum = 0;
  for (let j = 0, r = layout.weightOffset[l]; j < layout.sizes[l]; j++, r += nIn) sum += dot(params, r, r, nIn);
  return sum;
}

/** The WebAssembly twins of `layerSquares`, with the gradient's λ·w and without (compute/wasm/module.ts). */
export interface DecayKernel {
  decay(w: number, g: number, nIn: number, n: number, lambda: number, acc: number): void;
  squares(w: number, nIn: number, n: number, acc: number): void;
}

/**
 * `addDecay` (with `g`, the heap offset of the gradient) or `decayTerm` (without) on the network's
 * heap by the WebAssembly kernels: parameters at offset 0, a scratch double at `acc` for a layer's
 * sum. Bitwise the JavaScript functions' numbers.
 */
export function decayInHeap(k: DecayKernel, H: Float64Array, acc: number, layout: Layout, lambda: number, g?: number): number {
  if (lambda === 0) return 0;
  const { sizes, weightOffset } = layout;
  let sum = 0;
  for (let l = 1; l < sizes.length; l++) {
    H[acc] = 0;
    if (g === undefined) k.squares(weightOffset[l], sizes[l - 1], sizes[l], acc);
    else k.decay(weightOffset[l], g + weightOffset[l], sizes[l - 1], sizes[l], lambda, acc);
    sum += H[acc];
  }
  return DECAY.value(lambda, sum);
}
