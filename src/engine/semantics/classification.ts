/**
 * What the classification losses ask of a network and its samples, checked before anything runs:
 * outputs that stay in (0, 1), since the loss takes their logarithms, and targets that are
 * probabilities — each in [0, 1], and for cross-entropy a distribution summing to 1 per sample.
 * What each loss asks is data of its record (`unitOutputs`, `targets`).
 */
import { ACTIVATION_NAMES, ACTIVATION_RECORDS } from '../math/activations';
import { lossRecord, type LossName } from '../math/losses';
import type { Problem } from './diagnostics';
import type { NetworkModel } from './model';
import type { BoundSamples } from './samples';

/** How far the targets of a sample may sum from 1 (they are read from decimal text). */
const SUM_TOLERANCE = 1e-9;

/** The loss cannot take this network's outputs: their activation can leave (0, 1). */
export function outputProblem(loss: LossName, model: NetworkModel): Problem | undefined {
  if (!lossRecord(loss).unitOutputs) return undefined;
  const activation = model.layers[model.layers.length - 1].activation!;
  if (ACTIVATION_RECORDS[activation].unitRange) return undefined;
  const choices = ACTIVATION_NAMES.filter((a) => ACTIVATION_RECORDS[a].unitRange).join(' or ');
  return { code: 'loss-needs-unit-outputs', args: { loss, activation, choices } };
}

/** The first sample whose targets the loss cannot read as probabilities, and what is wrong (0-based sample). */
export function targetProblem(loss: LossName, model: NetworkModel, bound: BoundSamples): { sample: number; problem: Problem } | undefined {
  const kind = lossRecord(loss).targets;
  if (!kind) return undefined;
  const outs = model.outputNames;
  const n = outs.length;
  for (let s = 0; s < bound.count; s++) {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const t = bound.targets[s * n + k];
      if (!(t >= 0 && t <= 1)) return { sample: s, problem: { code: 'target-outside-unit', args: { loss, sample: s + 1, target: outs[k], value: t } } };
      sum += t;
    }
    if (kind === 'distribution' && Math.abs(sum - 1) > SUM_TOLERANCE) return { sample: s, problem: { code: 'targets-not-distribution', args: { loss, sample: s + 1, sum } } };
  }
  return undefined;
}
