/**
 * The quantities of a `check` line against one network: whether it can be checked at all (as a code
 * and arguments, made into words by messages.ts), which samples it is of, and the canonical key that
 * matches a factor of a product with the line where the student wrote that factor.
 *
 * The batch rule: without `[k]`, E, E(o), dE/dp, dE/dout(n) and dE/dnet(n) are of the whole batch
 * (summed over its samples — the derivative of E when that value moves in every sample); the
 * per-sample values net, out, dout/dnet and dnet/dp are sample 1's.
 */
import { unknownName } from '../language/names';
import type { Quantity } from '../language/syntax';
import type { Problem } from '../semantics/diagnostics';
import type { DiagnosticCode } from '../semantics/messages';
import type { NetworkModel } from '../semantics/model';
import { layerwise } from '../math/activations';
import { DEFAULT_OPTIMIZER, OPTIMIZER_RECORDS, type OptimizerSpec } from '../math/optimizers';

/** The 0-based sample a quantity is of: its `[k]`, or sample 1. */
export function sampleIndex(q: Quantity): number {
  return ('sample' in q && q.sample !== undefined ? q.sample : 1) - 1;
}

/** Quantities that sum over the batch when written without `[k]`. */
const SUMMED = new Set<Quantity['kind']>(['E', 'dE/dparam', 'dE/dout', 'dE/dnet']);

/** True when the quantity is a sum over a batch of `sampleCount` > 1 samples (written without `[k]`). */
export function isBatchSum(q: Quantity, sampleCount: number): boolean {
  return sampleCount > 1 && SUMMED.has(q.kind) && !('sample' in q && q.sample !== undefined);
}

/** Which samples a line's value is of, for a batch of more than one: one sample's (`sample`) or their sum. */
export function batchOf(q: Quantity, sampleCount: number): { of: number; sample?: number } | undefined {
  if (sampleCount <= 1 || q.kind === 'after' || q.kind === 'value' || q.kind === 'state') return undefined;
  return isBatchSum(q, sampleCount) ? { of: sampleCount } : { of: sampleCount, sample: sampleIndex(q) + 1 };
}

/** Why a quantity cannot be checked against this network, or undefined when it can. */
export function quantityProblem(q: Quantity, model: NetworkModel, sampleCount: number, optimizer: OptimizerSpec = DEFAULT_OPTIMIZER): Problem | undefined {
  if ('sample' in q && q.sample !== undefined && q.sample > sampleCount) {
    return { code: 'sample-out-of-range', args: { count: sampleCount, sample: q.sample } };
  }
  switch (q.kind) {
    case 'E':
      if (q.neuron === undefined) return undefined;
      return neuronProblem(model, q.neuron, (layer) => (layer === model.layers.length - 1 ? undefined : 'not-an-output'));
    case 'net': case 'out':
      return neuronProblem(model, q.neuron, () => undefined);
    case 'dE/dout': case 'dE/dnet':
      return neuronProblem(model, q.neuron, (layer) => (layer === 0 ? 'input-has-no-activation' : undefined));
    case 'dout/dnet':
      return neuronProblem(model, q.neuron, (layer) => (layer === 0 ? 'input-has-no-activation' : undefined))
        ?? (q.wrt === undefined ? undefined : jacobianProblem(model, q.neuron, q.wrt));
    case 'state':
      return paramProblem(model, q.param) ?? stateProblem(q.slot, q.param, optimizer);
    case 'dnet/dparam':
      return neuronProblem(model, q.neuron, (layer) => (layer === 0 ? 'input-has-no-net' : undefined)) ?? paramProblem(model, q.param);
    case 'dE/dparam': case 'after': case 'value':
      return paramProblem(model, q.param);
  }
}

function neuronProblem(model: NetworkModel, neuron: string, atLayer: (layer: number) => DiagnosticCode | undefined): Problem | undefined {
  const r = model.neurons.get(neuron);
  if (!r) return unknownName('neuron', neuron, model.neurons.keys());
  const code = atLayer(r.layer);
  return code ? { code, args: { neuron } } : undefined;
}

/** dout(o2)/dnet(o1) is an entry of a layer-wise activation's Jacobian when both are in that layer. */
function jacobianProblem(model: NetworkModel, outOf: string, netOf: string): Problem | undefined {
  const a = model.neurons.get(outOf)!;
  const b = model.neurons.get(netOf);
  if (!b) return unknownName('neuron', netOf, model.neurons.keys());
  return b.layer === a.layer && layerwise(model.layers[a.layer].activation) ? undefined : { code: 'not-a-chain-factor', args: { out: outOf, net: netOf } };
}

function stateProblem(slot: 'v' | 'm', name: string, optimizer: OptimizerSpec): Problem | undefined {
  return (OPTIMIZER_RECORDS[optimizer.name].slots as readonly string[]).includes(slot) ? undefined : { code: 'no-optimizer-state', args: { slot, name, optimizer: optimizer.name } };
}

function paramProblem(model: NetworkModel, param: string): Problem | undefined {
  return model.param(param) ? undefined : unknownName('parameter', param, model.paramNames());
}

/** Keys of the per-sample quantities a factor or a carried value is looked up by (k from 0). */
export const keyOf = {
  E: (k: number) => `E[${k + 1}]`,
  Eo: (neuron: string, k: number) => `E(${neuron})[${k + 1}]`,
  net: (neuron: string, k: number) => `net(${neuron})[${k + 1}]`,
  out: (neuron: string, k: number) => `out(${neuron})[${k + 1}]`,
  dEdout: (neuron: string, k: number) => `dE/dout(${neuron})[${k + 1}]`,
  dEdnet: (neuron: string, k: number) => `dE/dnet(${neuron})[${k + 1}]`,
  doutdnet: (neuron: string, k: number, wrt = neuron) => `dout(${neuron})/dnet(${wrt})[${k + 1}]`,
  dnetdparam: (neuron: string, param: string, k: number) => `dnet(${neuron})/d${param}[${k + 1}]`,
  dEdparam: (param: string, k: number) => `dE/d${param}[${k + 1}]`,
};

/**
 * The quantity written canonically, to match it with a factor or another check line: with its
 * sample (`[1]` when there is one sample, where the batch and sample 1 are the same), or without
 * one for a sum over a batch of several.
 */
export function quantityKey(q: Quantity, sampleCount: number): string {
  const k = sampleIndex(q);
  const sum = isBatchSum(q, sampleCount);
  const key = (perSample: string, whole: string) => (sum ? whole : perSample);
  switch (q.kind) {
    case 'E': return q.neuron ? key(keyOf.Eo(q.neuron, k), `E(${q.neuron})`) : key(keyOf.E(k), 'E');
    case 'net': return keyOf.net(q.neuron, k);
    case 'out': return keyOf.out(q.neuron, k);
    case 'dE/dout': return key(keyOf.dEdout(q.neuron, k), `dE/dout(${q.neuron})`);
    case 'dE/dnet': return key(keyOf.dEdnet(q.neuron, k), `dE/dnet(${q.neuron})`);
    case 'dout/dnet': return keyOf.doutdnet(q.neuron, k, q.wrt);
    case 'dnet/dparam': return keyOf.dnetdparam(q.neuron, q.param, k);
    case 'dE/dparam': return key(keyOf.dEdparam(q.param, k), `dE/d${q.param}`);
    case 'after': return `${q.param}'`;
    case 'state': return `${q.slot}(${q.param})`;
    case 'value': return q.param;
  }
}
