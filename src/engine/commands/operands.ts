/**
 * What a quantity is computed from, as the numbers a student puts into its arithmetic: a net input
 * from its weights, the outs they carry and its bias; an out from its net input; a loss term from
 * an out and a target; a gradient from its chain-rule factors (a hidden one also from the weights and
 * factors of the neurons it feeds); an update from the weight, η and the gradient. Only for one
 * sample: over a batch a written sum has too many numbers to say which one was meant.
 */
import type { Quantity } from '../language/syntax';
import type { NeuronRef } from '../semantics/model';
import { quantityText } from '../semantics/notation';
import type { TraceContext } from '../trace/build';
import type { Evaluator } from './evaluate';

export interface Operand {
  /** How the outputs name it: `w2`, `out(h1)`, `η`, `target(o1)`. */
  name: string;
  value: number;
  /** The check quantity it is, when it is one (to find the student's own value of it). */
  quantity?: string;
}

/** Neurons of a layer taken into account at most (beyond, a sum is not searched). */
const MAX_WIDTH = 64;

export function operandsOf(q: Quantity, ctx: TraceContext, ev: Evaluator): Operand[] {
  const { model } = ctx;
  const sample = 'sample' in q ? q.sample : undefined;
  const batch = ctx.trainer.sampleCount > 1 && sample === undefined;
  if (ctx.trainer.sampleCount === 0) return [];
  const of = (x: Quantity): Operand => ({ name: quantityText(x), value: ev.evaluate(x).exact, quantity: quantityText(x) });
  const ref = (n: string) => model.neurons.get(n)!;
  const s = sample === undefined ? {} : { sample };
  const target = (n: NeuronRef): Operand => ({ name: `target(${n.name})`, value: ctx.trainer.sampleTargets((sample ?? 1) - 1)[n.index] });
  const isOutput = (n: NeuronRef) => n.layer === model.layers.length - 1;
  /** ∂E/∂out of a hidden neuron gathers from the neurons it feeds: their factors and the weights. */
  const downstream = (n: NeuronRef): Operand[] => {
    const next = model.layers[n.layer + 1]?.names ?? [];
    if (next.length > MAX_WIDTH) return [];
    return next.flatMap((d) => [
      of({ kind: 'dE/dout', neuron: d, ...s }), of({ kind: 'dout/dnet', neuron: d, ...s }), of({ kind: 'dE/dnet', neuron: d, ...s }),
      of({ kind: 'value', param: model.edgeParam(n, ref(d)).name }),
    ]);
  };
  const factors = (n: NeuronRef): Operand[] => [
    of({ kind: 'dE/dout', neuron: n.name, ...s }), of({ kind: 'dout/dnet', neuron: n.name, ...s }), of({ kind: 'dE/dnet', neuron: n.name, ...s }),
    ...(isOutput(n) ? [of({ kind: 'out', neuron: n.name, ...s }), target(n)] : downstream(n)),
  ];
  switch (q.kind) {
    case 'net': {
      const n = ref(q.neuron);
      const before = model.layers[n.layer - 1]?.names ?? [];
      if (before.length > MAX_WIDTH) return [];
      const bias = model.declaredParams.find((p) => p.kind === 'bias' && p.to.includes(q.neuron));
      return [
        ...before.flatMap((src) => [of({ kind: 'value', param: model.edgeParam(ref(src), n).name }), of({ kind: 'out', neuron: src, ...s })]),
        ...(bias ? [of({ kind: 'value', param: bias.name })] : []),
      ];
    }
    case 'out': return [of({ kind: 'net', neuron: q.neuron, ...s })];
    case 'dout/dnet': return q.wrt ? [] : [of({ kind: 'out', neuron: q.neuron, ...s }), of({ kind: 'net', neuron: q.neuron, ...s })];
    case 'dnet/dparam': return [];
    case 'E':
      if (batch) return [];
      return model.outputNames.filter((o) => q.neuron === undefined || o === q.neuron).flatMap((o) => [
        of({ kind: 'out', neuron: o, ...s }), target(ref(o)), ...(q.neuron === undefined ? [of({ kind: 'E', neuron: o, ...s })] : []),
      ]);
    case 'dE/dout': case 'dE/dnet': return batch ? [] : factors(ref(q.neuron));
    case 'dE/dparam': {
      if (batch) return [];
      const p = model.param(q.param)!;
      return p.to.flatMap((n) => [...factors(ref(n)), ...(p.from ? [of({ kind: 'out', neuron: p.from, ...s })] : [])]);
    }
    case 'after':
      if (ctx.trainer.sampleCount > 1) return [];
      return [of({ kind: 'value', param: q.param }), { name: 'η', value: ctx.rate }, of({ kind: 'dE/dparam', param: q.param })];
    case 'value': case 'state': return [];
  }
}
