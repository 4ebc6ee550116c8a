/**
 * Where each parameter lives in the flat parameter array: layer by layer, the weights row by row
 * (target neuron j, then source i), then the biases of the neurons that have one, in neuron order.
 * The network model (semantics/model.ts), the trainer and the trace all index parameters this way.
 */

export interface Layout {
  sizes: number[];
  /** weightOffset[l] for l ≥ 1 (index 0 unused). */
  weightOffset: number[];
  /** biasSlot[l][j]: index of neuron j's bias in `params`, or −1 (index 0 unused). */
  biasSlot: Int32Array[];
  paramCount: number;
}

/** The layout of a network with `sizes` neurons per layer; `hasBias[l − 1][j]` says whether neuron j of layer l has a bias (default: all do). */
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
