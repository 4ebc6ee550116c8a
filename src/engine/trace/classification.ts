/**
 * The parts of a trace that classification and the optimizers add (build.ts calls these): a
 * layer-wise output's Jacobian terms, the canonical pairs' simplification ∂E/∂net = scale·(out − t),
 * the decay's term of E and of each weight's gradient, and an update row's optimizer state. Every
 * number is the trainer's or the records' own arithmetic.
 */
import { weightSquares } from '../compute/decay';
import type { DenseTrainer, SampleDetail } from '../compute/trainer';
import { layerwise } from '../math/activations';
import { lossRecord } from '../math/losses';
import { optimizerRecord } from '../math/optimizers';
import type { NetworkModel, ParamDef } from '../semantics/model';
import { TRACE_LIMITS } from '../semantics/limits';
import type { JacobianTerm, LossTrace, NeuronGrad, UpdateRow } from './schema';

/**
 * For neuron j of a layer-wise output layer: each k's ∂E/∂out_k · ∂out_k/∂net_j (up to the trace's
 * neurons per layer), whose sum is ∂E/∂net_j.
 */
export function jacobianTerms(model: NetworkModel, d: SampleDetail, l: number, j: number): JacobianTerm[] | undefined {
  const f = layerwise(model.layers[l].activation);
  if (!f) return undefined;
  const names = model.layers[l].names;
  const outs = d.out[l];
  return names.slice(0, TRACE_LIMITS.neuronsPerLayer).map((neuron, k) => {
    const dEo = d.dE_dout[l][k];
    const dod = f.jacobian(outs, k, j);
    return { neuron, out: outs[k], dE_dout: dEo, dout_dnet: dod, product: dEo * dod };
  });
}

/** ∂E/∂net = scale·(out − t) of an output neuron, when the loss and the output activation are the canonical pair. */
export function simplification(model: NetworkModel, loss: LossTrace['name'], out: number, target: number, scale: number): NeuronGrad['simplified'] {
  const act = model.layers[model.layers.length - 1].activation;
  if (lossRecord(loss).canonical?.activation !== act) return undefined;
  return { out, target, scale, value: scale * (out - target) };
}

/** E's decay term over the current weights, when there is a decay. */
export function lossDecay(trainer: DenseTrainer): LossTrace['decay'] {
  if (trainer.decay === 0) return undefined;
  const sumSquares = weightSquares(trainer.params, trainer.layout);
  return { lambda: trainer.decay, sumSquares, value: (trainer.decay / 2) * sumSquares };
}

/** The decay's part λ·w of a weight's gradient (undefined for a bias, or without decay). */
export function gradientDecay(trainer: DenseTrainer, p: ParamDef, value: number): number | undefined {
  return trainer.decay === 0 || p.kind !== 'weight' ? undefined : trainer.decay * value;
}

/** The optimizer's state of every slot before an update, to write its rows after it. */
export function stateBefore(trainer: DenseTrainer, params: ParamDef[]): { v: number; m: number }[] {
  return params.map((p) => ({ v: trainer.state.v[p.slots[0]], m: trainer.state.m[p.slots[0]] }));
}

/**
 * An update row after `trainer.apply()`: the step and state as the optimizer's record computes them
 * for this parameter (the kernel's own arithmetic), `new` as the kernel left it.
 */
export function updateRow(trainer: DenseTrainer, p: ParamDef, old: number, grad: number, before: { v: number; m: number }): UpdateRow {
  const slot = p.slots[0];
  const frozen = trainer.isFrozen(slot);
  const spec = trainer.optimizer;
  const row: UpdateRow = { name: p.name, old, grad, step: 0, new: trainer.params[slot], frozen };
  const record = optimizerRecord(spec.name);
  const r = record.update(spec, { p: old, g: grad, v: before.v, m: before.m, t: trainer.state.t, rate: trainer.rate });
  if (!frozen) row.step = r.step + 0;
  if (record.slots.includes('v')) row.v = { before: before.v, after: trainer.state.v[slot] };
  if (record.slots.includes('m')) row.m = { before: before.m, after: trainer.state.m[slot] };
  if (r.mHat !== undefined && !frozen) { row.mHat = r.mHat; row.vHat = r.vHat; }
  return row;
}
