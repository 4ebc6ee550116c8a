/**
 * Slips of the forward pass and of an update, recomputed the ways a student goes wrong: with values
 * they wrote (and got wrong) carried on, with another neuron's value, the weight of another edge,
 * without the bias, with another rate or up the gradient.
 */
import { activate } from '../math/activations';
import { lossRecord } from '../math/losses';
import { keyOf } from './quantities';
import type { Case, Slip } from './slips';

/** Layers wider than this are not searched for a neighbour's value or another edge's weight. */
const MAX_NEIGHBOURS = 64;
const MAX_NET_SOURCES = 16;

export function forwardSlips(c: Case): Slip[] {
  switch (c.q.kind) {
    case 'net': return [...neighbourSlips(c, 'net', c.q.neuron), ...netSlips(c, c.q.neuron)];
    case 'out': return [...neighbourSlips(c, 'out', c.q.neuron), ...carriedNetSlips(c, c.q.neuron)];
    case 'after': return updateSlips(c, c.q.param);
    case 'E': {
      if (c.q.sample === undefined && c.ctx.trainer.sampleCount !== 1) return [];
      return c.q.neuron !== undefined ? carriedOutSlips(c, c.q.neuron) : lossSumSlips(c);
    }
    default: return [];
  }
}

/** The student's own wrong value of a quantity, when they wrote one. */
function mine(c: Case, key: string): number | undefined {
  const m = c.written.get(key);
  return m && !m.ok ? m.value : undefined;
}

/** The value of a neighbour: out(h2) written for out(h1). */
function neighbourSlips(c: Case, kind: 'net' | 'out', neuron: string): Slip[] {
  const r = c.ctx.model.neurons.get(neuron)!;
  const d = c.ev.sample(c.k);
  const values = kind === 'out' ? d.out[r.layer] : d.net[r.layer];
  return c.ctx.model.layers[r.layer].names.slice(0, MAX_NEIGHBOURS).flatMap((name, i) =>
    name === neuron ? [] : [{ alt: values[i], marks: [], text: `this is ${kind}(${name}) = ${c.f(values[i])}, not ${kind}(${neuron})` }]);
}

/** One update p − η·g: the written value may use another rate, or add the step instead of subtracting it. */
function updateSlips(c: Case, param: string): Slip[] {
  const { model, trainer } = c.ctx;
  // One update p − η·g: another optimizer's slips are its record's (classification-slips.ts).
  if (c.ctx.mode.kind !== 'batch' || trainer.optimizer.name !== 'sgd') return [];
  const p = model.param(param)!;
  const old = trainer.params[p.slots[0]];
  const g = c.ev.batchGradient()[p.slots[0]];
  const eta = c.ctx.rate;
  if (g === 0 || trainer.isFrozen(p.slots[0])) return [];
  const slips: Slip[] = [{ alt: old + eta * g, marks: [], text: `moved up the gradient: ${param}' = ${param} − η·∂E/∂${param}, not + (η·∂E/∂${param} = ${c.f(eta * g)})` }];
  for (const other of [eta / 10, eta * 10, 1, eta / 2, eta * 2]) {
    if (other !== eta) slips.push({ alt: old - other * g, marks: [], text: `uses the rate ${c.f(other)} instead of η = ${c.f(eta)}` });
  }
  return slips;
}

/** out(h1) from the wrong net(h1) the student wrote. */
function carriedNetSlips(c: Case, neuron: string): Slip[] {
  const r = c.ctx.model.neurons.get(neuron)!;
  const net = mine(c, keyOf.net(neuron, c.k));
  if (r.layer === 0 || net === undefined) return [];
  return [{ alt: activate(c.ctx.model.layers[r.layer].activation!, net), marks: [], text: `follows from the wrong net(${neuron}) = ${c.f(net)} you wrote` }];
}

/** E(o1) from the wrong out(o1) the student wrote. */
function carriedOutSlips(c: Case, neuron: string): Slip[] {
  const r = c.ctx.model.neurons.get(neuron)!;
  const o = mine(c, keyOf.out(neuron, c.k));
  if (o === undefined) return [];
  const loss = lossRecord(c.ctx.loss);
  const alt = loss.scale(c.ctx.trainer.sampleCount) * loss.term(o, c.ctx.trainer.sampleTargets(c.k)[r.index]);
  return [{ alt, marks: [], text: `follows from the wrong out(${neuron}) = ${c.f(o)} you wrote` }];
}

/** E from the wrong outs, or the wrong loss terms, the student wrote. */
function lossSumSlips(c: Case): Slip[] {
  const { model, trainer } = c.ctx;
  const loss = lossRecord(c.ctx.loss);
  const scale = loss.scale(trainer.sampleCount);
  const d = c.ev.sample(c.k);
  const L = model.layers.length - 1;
  const t = trainer.sampleTargets(c.k);
  const term = (o: number, i: number) => scale * loss.term(o, t[i]);
  let withOuts = 0;
  let sumTerms = 0;
  const carried: string[] = [];
  const wrongTerms: string[] = [];
  model.outputNames.forEach((name, i) => {
    const o = mine(c, keyOf.out(name, c.k)) ?? d.out[L][i];
    if (o !== d.out[L][i]) carried.push(`out(${name}) = ${c.f(o)}`);
    withOuts += term(o, i);
    // A term the student wrote wrong is carried into the sum; the others count at their exact value.
    const key = `E(${name})`;
    const written = c.written.has(key) ? key : c.written.has(`${key}[${c.k + 1}]`) ? `${key}[${c.k + 1}]` : undefined;
    const w = written ? c.written.get(written)! : undefined;
    if (w && !w.ok) { sumTerms += w.value; wrongTerms.push(`${written} = ${c.f(w.value)}`); } else sumTerms += term(d.out[L][i], i);
  });
  const slips: Slip[] = [];
  if (carried.length) slips.push({ alt: withOuts, marks: [], text: `follows from the wrong ${carried.join(', ')} you wrote` });
  if (wrongTerms.length) slips.push({ alt: sumTerms, marks: [], text: `follows from the wrong loss term${wrongTerms.length > 1 ? 's' : ''} you wrote, ${wrongTerms.join(', ')}` });
  return slips;
}

/** net(h1) with the student's own wrong outs, another edge's weight, or without the bias. */
function netSlips(c: Case, neuron: string): Slip[] {
  const { model, trainer } = c.ctx;
  const r = model.neurons.get(neuron)!;
  if (r.layer === 0 || model.layers[r.layer - 1].names.length > MAX_NET_SOURCES) return [];
  const d = c.ev.sample(c.k);
  const prev = model.layers[r.layer - 1].names;
  const sources = prev.map((name, i) => {
    const wp = model.edgeParam(model.neurons.get(name)!, r);
    return { name, exact: d.out[r.layer - 1][i], own: mine(c, keyOf.out(name, c.k)), param: wp.name, w: trainer.params[wp.slots[0]] };
  });
  // Other weights of the same layer a student may have read by mistake.
  const layerWeights: { name: string; value: number }[] = [];
  for (const t of model.layers[r.layer].names.slice(0, MAX_NET_SOURCES)) for (const sname of prev) {
    const wp = model.edgeParam(model.neurons.get(sname)!, model.neurons.get(t)!);
    layerWeights.push({ name: wp.name, value: trainer.params[wp.slots[0]] });
  }
  const variants: { ws: number[]; text: string }[] = [{ ws: sources.map((x) => x.w), text: '' }];
  sources.forEach((x, i) => {
    for (const lw of layerWeights) {
      if (lw.name === x.param || lw.value === x.w) continue;
      const ws = sources.map((y) => y.w);
      ws[i] = lw.value;
      variants.push({ ws, text: `uses ${lw.name} = ${c.f(lw.value)} for ${x.name} -> ${neuron} instead of ${x.param} = ${c.f(x.w)}` });
    }
  });
  const bias = model.declaredParams.find((p) => p.kind === 'bias' && p.to.includes(neuron));
  const b = bias ? trainer.params[bias.slots[0]] : 0;
  const slips: Slip[] = [];
  const anyOwn = sources.some((x) => x.own !== undefined);
  for (const useOwn of anyOwn ? [false, true] : [false]) {
    const xs = sources.map((x) => (useOwn && x.own !== undefined ? x.own : x.exact));
    const carriedText = useOwn ? `carries your ${sources.filter((x) => x.own !== undefined).map((x) => `out(${x.name}) = ${c.f(x.own!)}`).join(', ')}` : '';
    for (const v of variants) {
      for (const withBias of bias ? [true, false] : [true]) {
        if (!useOwn && !v.text && withBias) continue;
        const z = xs.reduce((sum, x, i) => sum + v.ws[i] * x, 0) + (withBias ? b : 0);
        const parts = [v.text, carriedText, withBias ? '' : `leaves out the bias ${bias!.name} = ${c.f(b)}`].filter(Boolean);
        slips.push({ alt: z, marks: [], text: `net(${neuron}) ${parts.join(' and ')}` });
      }
    }
  }
  return slips;
}
