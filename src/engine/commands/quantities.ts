/**
 * The quantities of a `check` line against one network: whether it can be checked at all (as a code
 * and arguments, made into words by messages.ts), and the canonical key that matches a factor of a
 * product with the line where the student wrote that factor.
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
  net: (neuron: string, k: number) => `net(${neuron})[${k + 1}]`,
  out: (neuron: string, k: number) => `out(${neuron})[${k + 1}]`,
  dEdout: (neuron: string, k: number) => `dE/dout(${neuron})[${k + 1}]`,
  dEdnet: (neuron: string, k: number) => `dE/dnet(${neuron})[${k + 1}]`,
  doutdnet: (neuron: string, k: number, wrt = neuron) => `dout(${neuron})/dnet(${wrt})[${k + 1}]`,
  dnetdparam: (neuron: string, param: string, k: number) => `dnet(${neuron})/d${param}[${k + 1}]`,
};

/** The quantity written canonically with its sample, to match a factor with another check line. */
export function quantityKey(q: Quantity): string {
  const k = sampleIndex(q);
  const batch = (key: string) => key + ('sample' in q && q.sample ? `[${k + 1}]` : '');
  switch (q.kind) {
    case 'E': return batch(q.neuron ? `E(${q.neuron})` : 'E');
    case 'net': return keyOf.net(q.neuron, k);
    case 'out': return keyOf.out(q.neuron, k);
    case 'dE/dout': return keyOf.dEdout(q.neuron, k);
    case 'dE/dnet': return keyOf.dEdnet(q.neuron, k);
    case 'dout/dnet': return keyOf.doutdnet(q.neuron, k, q.wrt);
    case 'dnet/dparam': return keyOf.dnetdparam(q.neuron, q.param, k);
    case 'dE/dparam': return batch(`dE/d${q.param}`);
    case 'after': return `${q.param}'`;
    case 'state': return `${q.slot}(${q.param})`;
    case 'value': return q.param;
  }
}
