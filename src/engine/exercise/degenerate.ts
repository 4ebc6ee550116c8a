/**
 * Numbers that make a poor exercise, drawn again (see draw.ts): a unit exactly on the kink of its
 * activation (a relu at net = 0, where the derivative is a convention), a unit whose out is beyond
 * its saturation (a sigmoid above 0.999 or below 0.001: every gradient through it all but vanishes),
 * and a blank derivative that would be 0 written to the notebook's `digits` decimal places
 * (|value| < ½·10^−digits), which leaves nothing to compute. Which activations have a kink or
 * saturate is in their records (math/activations.ts).
 */
import type { Quantity } from '../language/syntax';
import { ACTIVATION_RECORDS } from '../math/activations';
import { Carried, type ExerciseNet } from './carried';

export type Degeneracy =
  | { reason: 'kink'; neuron: string; sample: number }
  | { reason: 'saturated'; neuron: string; sample: number }
  | { reason: 'gradient-zero'; quantity: string }
  | { reason: 'identical'; other: string };

/** A net input this close to the kink counts as on it: hand-friendly numbers land there exactly,
 *  and floating point may leave a trace of rounding. */
const ON_KINK = 1e-12;

/** The first unit of `net` (every sample) on a kink or saturated, at the weights of the check. */
export function degenerateUnit(net: ExerciseNet): Degeneracy | undefined {
  const carried = new Carried(net);
  const { layers } = net.network;
  for (let l = 1; l < layers.length; l++) {
    const bad = ACTIVATION_RECORDS[layers[l].activation!].degenerate;
    if (!bad) continue;
    for (const neuron of layers[l].neurons) {
      for (let sample = 1; sample <= net.inputs.length; sample++) {
        const z = carried.value({ kind: 'net', neuron, sample })!.value;
        const a = carried.value({ kind: 'out', neuron, sample })!.value;
        if (bad.kink !== undefined && Math.abs(z - bad.kink) <= ON_KINK) return { reason: 'kink', neuron, sample };
        if (bad.saturated && (a > bad.saturated.above || a < bad.saturated.below)) return { reason: 'saturated', neuron, sample };
      }
    }
  }
  return undefined;
}

const DERIVATIVES = new Set<Quantity['kind']>(['dE/dout', 'dE/dnet', 'dout/dnet', 'dnet/dparam', 'dE/dparam']);

/** A blank derivative that rounds to 0 at `digits` decimal places. */
export function zeroGradient(blank: { quantity: string; parsed: Quantity; exact: number; digits: number }): Degeneracy | undefined {
  if (!DERIVATIVES.has(blank.parsed.kind)) return undefined;
  return Math.abs(blank.exact) < 0.5 * 10 ** -blank.digits ? { reason: 'gradient-zero', quantity: blank.quantity } : undefined;
}
