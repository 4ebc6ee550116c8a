/**
 * What the trainer minimises, through the concept records: the output layer's loss and deltas
 * (any loss with any output activation, elementwise or layer-wise), and the L2 decay over the
 * weights. The hidden layers' kernels stay in trainer.ts; this is the part a new loss or a layer-wise
 * activation changes, written once for every kernel set.
 */
import { layerwise, type Activation, type LayerActivationRecord } from '../math/activations';
import { DECAY } from '../math/decay';
import { lossRecord, type LossName, type LossRecord } from '../math/losses';
import type { Layout } from './trainer';

/** One chunk's output rows: row s of n values at s·n (targets at (tAt + s)·n). */
export interface OutputRows {
  A: Float64Array;
  Z: Float64Array;
  D: Float64Array;
  T: Float64Array;
  tAt: number;
  count: number;
  n: number;
}

/** Multiplies D[k] by f′ of an elementwise activation at (Z[k], A[k]) for k < n. */
export type Slope = (D: Float64Array, Z: Float64Array, A: Float64Array, n: number) => void;

export class Objective {
  readonly loss: LossRecord;
  /** The output layer's layer-wise activation (softmax), if it has one. */
  readonly layer?: LayerActivationRecord;
  /** ∂E/∂net = c·(out − t) (softmax with cross-entropy, sigmoid with bce): computed so, without dividing by out. */
  private readonly canonical: boolean;

  constructor(lossName: LossName, output: Activation) {
    this.loss = lossRecord(lossName);
    this.layer = layerwise(output);
    this.canonical = this.loss.canonical?.activation === output;
  }

  /** out = f(net) of a layer-wise output activation, row by row. */
  activate(Z: Float64Array, A: Float64Array, count: number, n: number): void {
    const f = this.layer!;
    for (let s = 0; s < count; s++) f.values(Z, A, s * n, s * n, n);
  }

  /**
   * c · Σ term(out, t) of the rows, summed per sample first; with `deltas`, D = ∂E/∂net: c·(o − t)
   * for a canonical pair, else c·dTerm times f′ (`slope`) or, layer-wise, through the Jacobian.
   */
  outputs(r: OutputRows, c: number, deltas: boolean, slope: Slope): number {
    const { A, D, T, n, count } = r;
    const loss = this.loss;
    let e = 0;
    for (let s = 0; s < count; s++) {
      const row = s * n;
      const tRow = (r.tAt + s) * n;
      let sum = 0;
      for (let k = 0; k < n; k++) sum += loss.term(A[row + k], T[tRow + k]);
      e += c * sum;
      if (!deltas) continue;
      if (this.canonical) {
        for (let k = 0; k < n; k++) D[row + k] = c * (A[row + k] - T[tRow + k]);
        continue;
      }
      for (let k = 0; k < n; k++) D[row + k] = c * loss.dTerm(A[row + k], T[tRow + k]);
      if (this.layer) this.layer.backward(A, row, D, D, row, n);
    }
    if (deltas && !this.canonical && !this.layer) slope(D, r.Z, A, count * n);
    return e;
  }
}

/** (λ/2)·Σ w² over every weight (biases excluded). */
export function decayTerm(params: Float64Array, layout: Layout, lambda: number): number {
  if (lambda === 0) return 0;
  return DECAY.value(lambda, weightSquares(params, layout));
}

/** Σ w² over the weights, layer by layer. */
export function weightSquares(params: Float64Array, layout: Layout): number {
  let sum = 0;
  forEachWeightRange(layout, (from, to) => { for (let i = from; i < to; i++) sum += params[i] * params[i]; });
  return sum;
}

/** grad += λ·w for every weight. */
export function addDecay(grad: Float64Array, params: Float64Array, layout: Layout, lambda: number): void {
  if (lambda === 0) return;
  forEachWeightRange(layout, (from, to) => { for (let i = from; i < to; i++) grad[i] += lambda * params[i]; });
}

/** The weights of layer l are one range: weightOffset[l] … + sizes[l]·sizes[l−1]; the biases follow. */
function forEachWeightRange(layout: Layout, f: (from: number, to: number) => void): void {
  const { sizes, weightOffset } = layout;
  for (let l = 1; l < sizes.length; l++) f(weightOffset[l], weightOffset[l] + sizes[l] * sizes[l - 1]);
}
