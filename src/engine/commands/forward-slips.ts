/**
 * Slips of the forward pass and of an update, recomputed the ways a student goes wrong: with values
 * they wrote (and got wrong) carried on, with another neuron's value, the weight of another edge,
 * without the bias (in `net`, or in the `net` behind an `out`), with another rate or up the gradient.
 */
import { activate } from '../math/activations';
import { lossRecord } from '../math/losses';
import { keyOf } from './quantities';
import type { Candidate } from './ranking';
import { candidate, type Case } from './slips';

/** Layers wider than this are not searched for a neighbour's value or another edge's weight. */
const MAX_NEIGHBOURS = 64;
const MAX_NET_SOURCES = 16;
/** A loss summed over more samples than this is not recomputed from the student's values. */
const MAX_LOSS_SAMPLES = 64;

export function forwardSlips(c: Case): Candidate[] {
  switch (c.q.kind) {
    case 'net': return [...neighbourSlips(c, 'net', c.q.neuron), ...netSlips(c, c.q.neuron)];
    case 'out': return [...neighbourSlips(c, 'out', c.q.neuron), ...carriedNetSlips(c, c.q.neuron), ...outWithoutBias(c, c.q.neuron)];
    case 'after': return updateSlips(c, c.q.param);
    case 'E': return c.q.neuron !== undefined ? carriedOutSlips(c, c.q.neuron) : lossSumSlips(c);
    default: return [];
  }
}

/** The student's own wrong value of a quantity, when they wrote one. */
function mine(c: Case, key: string): number | undefined {
  const m = c.written.get(key);
  return m && !m.ok ? m.value : undefined;
}

/** The samples a loss line sums over: its own, or every one of the batch. */
function lossSamples(c: Case): number[] {
  const n = c.sum ? c.ev.sampleCount : 1;
  return n > MAX_LOSS_SAMPLES ? [] : Array.from({ length: n }, (_, i) => (c.sum ? i : c.k));
}

/** The value of a neighbour: out(h2) written for out(h1). */
function neighbourSlips(c: Case, kind: 'net' | 'out', neuron: string): Candidate[] {
  const r = c.ev.ref(neuron);
  const d = c.ev.sample(c.k);
  const values = kind === 'out' ? d.out[r.layer] : d.net[r.layer];
  return c.ctx.model.layers[r.layer].names.slice(0, MAX_NEIGHBOURS).flatMap((name, i) =>
    name === neuron ? [] : [candidate('neighbour', `neighbour:${name}`, values[i], `this is ${kind}(${name}) = ${c.f(values[i])}, not ${kind}(${neuron})`)]);
}

/** One update p − η·g: another rate, the step added instead of subtracted, or the student's own wrong gradient. */
function updateSlips(c: Case, param: string): Candidate[] {
  const { model, trainer } = c.ctx;
  // One update p − η·g: another optimizer's slips are its record's (classification-slips.ts).
  if (c.ctx.mode.kind !== 'batch' || c.ctx.trainer.optimizer.name !== 'sgd') return [];
  const p = model.param(param)!;
  const old = trainer.params[p.slots[0]];
  const g = c.ev.batchGradient()[p.slots[0]];
  const eta = c.ctx.rate;
  if (g === 0 || trainer.isFrozen(p.slots[0])) return [];
  const slips = [candidate('update-sign', 'update-sign', old + eta * g, `moved up the gradient: ${param}' = ${param} − η·∂E/∂${param}, not + (η·∂E/∂${param} = ${c.f(eta * g)})`)];
  for (const other of [eta / 10, eta * 10, 1, eta / 2, eta * 2]) {
    if (other !== eta) slips.push(candidate('rate', `rate:${other}`, old - other * g, `uses the rate ${c.f(other)} instead of η = ${c.f(eta)}`));
  }
  const own = mine(c, c.ev.sampleCount > 1 ? `dE/d${param}` : keyOf.dEdparam(param, 0));
  if (own !== undefined) slips.push(candidate('carried', 'carried-gradient', old - eta * own, `follows from the wrong dE/d${param} = ${c.f(own)} you wrote: ${param} − η·${c.f(own)} = ${c.f(old - eta * own)}`));
  return slips;
}

/** out(h1) from the wrong net(h1) the student wrote. */
function carriedNetSlips(c: Case, neuron: string): Candidate[] {
  const r = c.ev.ref(neuron);
  const net = mine(c, keyOf.net(neuron, c.k));
  if (r.layer === 0 || net === undefined) return [];
  return [candidate('carried', 'carried-net', activate(c.ctx.model.layers[r.layer].activation!, net), `follows from the wrong net(${neuron}) = ${c.f(net)} you wrote`)];
}

/** out(h1) of a net without its bias: the bias forgotten, though only out is written. */
function outWithoutBias(c: Case, neuron: string): Candidate[] {
  const r = c.ev.ref(neuron);
  const bias = c.ctx.model.declaredParams.find((p) => p.kind === 'bias' && p.to.includes(neuron));
  if (r.layer === 0 || !bias) return [];
  const b = c.ctx.trainer.params[bias.slots[0]];
  const net = c.ev.sample(c.k).net[r.layer][r.index] - b;
  const alt = activate(c.ctx.model.layers[r.layer].activation!, net);
  return b === 0 ? [] : [candidate('bias-left-out', 'out-without-bias', alt,
    `net(${neuron}) seems to leave out the bias ${bias.name} = ${c.f(b)}: without it net(${neuron}) = ${c.f(net)} and out(${neuron}) = ${c.f(alt)}`)];
}

/** E(o1) from the wrong out(o1) the student wrote (in each sample of a sum). */
function carriedOutSlips(c: Case, neuron: string): Candidate[] {
  const r = c.ev.ref(neuron);
  const loss = lossRecord(c.ctx.loss);
  const scale = loss.scale(c.ev.sampleCount);
  const carried: string[] = [];
  const alt = lossSamples(c).reduce((sum, s) => {
    const own = mine(c, keyOf.out(neuron, s));
    if (own !== undefined) carried.push(`out(${neuron})${c.sum ? `[${s + 1}]` : ''} = ${c.f(own)}`);
    return sum + scale * loss.term(own ?? c.ev.sample(s).out[r.layer][r.index], c.ctx.trainer.sampleTargets(s)[r.index]);
  }, 0);
  return carried.length ? [candidate('carried', 'carried-out', alt, `follows from the wrong ${carried.join(', ')} you wrote`)] : [];
}

/** E from the wrong outs, or the wrong loss terms, the student wrote. */
function lossSumSlips(c: Case): Candidate[] {
  const { model, trainer } = c.ctx;
  const loss = lossRecord(c.ctx.loss);
  const scale = loss.scale(trainer.sampleCount);
  const L = model.layers.length - 1;
  const tag = (s: number) => (c.sum ? `[${s + 1}]` : '');
  let withOuts = 0;
  let withTerms = 0;
  const carried: string[] = [];
  const wrongTerms: string[] = [];
  const wholeTerm = (name: string) => (c.sum ? c.written.get(`E(${name})`) : undefined);
  for (const s of lossSamples(c)) {
    const d = c.ev.sample(s);
    const t = trainer.sampleTargets(s);
    const term = (o: number, i: number) => scale * loss.term(o, t[i]);
    const total = mine(c, keyOf.E(s));
    if (c.sum && total !== undefined) wrongTerms.push(`E[${s + 1}] = ${c.f(total)}`);
    let sampleTerms = 0;
    model.outputNames.forEach((name, i) => {
      const o = mine(c, keyOf.out(name, s)) ?? d.out[L][i];
      if (o !== d.out[L][i]) carried.push(`out(${name})${tag(s)} = ${c.f(o)}`);
      withOuts += term(o, i);
      // A term the student wrote wrong is carried into the sum; the others count at their exact value.
      const whole = wholeTerm(name);
      if (whole) return;
      const own = mine(c, keyOf.Eo(name, s));
      if (own !== undefined) wrongTerms.push(`E(${name})${tag(s)} = ${c.f(own)}`);
      sampleTerms += own ?? term(d.out[L][i], i);
    });
    withTerms += total ?? sampleTerms;
  }
  for (const name of c.sum ? model.outputNames : []) {
    const whole = wholeTerm(name);
    if (!whole) continue;
    if (!whole.ok) wrongTerms.push(`E(${name}) = ${c.f(whole.value)}`);
    withTerms += whole.value;
  }
  const slips: Candidate[] = [];
  if (carried.length) slips.push(candidate('carried', 'carried-outs', withOuts, `follows from the wrong ${carried.join(', ')} you wrote`));
  if (wrongTerms.length) slips.push(candidate('carried', 'carried-terms', withTerms, `follows from the wrong loss term${wrongTerms.length > 1 ? 's' : ''} you wrote, ${wrongTerms.join(', ')}`));
  return slips;
}

/** net(h1) with the student's own wrong outs, another edge's weight, or without the bias. */
function netSlips(c: Case, neuron: string): Candidate[] {
  const { model, trainer } = c.ctx;
  const r = c.ev.ref(neuron);
  if (r.layer === 0 || model.layers[r.layer - 1].names.length > MAX_NET_SOURCES) return [];
  const d = c.ev.sample(c.k);
  const prev = model.layers[r.layer - 1].names;
  const sources = prev.map((name, i) => {
    const wp = model.edgeParam(c.ev.ref(name), r);
    return { name, exact: d.out[r.layer - 1][i], own: mine(c, keyOf.out(name, c.k)), param: wp.name, w: trainer.params[wp.slots[0]] };
  });
  // Other weights of the same layer a student may have read by mistake.
  const layerWeights: { name: string; value: number }[] = [];
  for (const t of model.layers[r.layer].names.slice(0, MAX_NET_SOURCES)) for (const sname of prev) {
    const wp = model.edgeParam(c.ev.ref(sname), c.ev.ref(t));
    layerWeights.push({ name: wp.name, value: trainer.params[wp.slots[0]] });
  }
  const variants: { ws: number[]; text: string; id: string }[] = [{ ws: sources.map((x) => x.w), text: '', id: '' }];
  sources.forEach((x, i) => {
    for (const lw of layerWeights) {
      if (lw.name === x.param || lw.value === x.w) continue;
      const ws = sources.map((y) => y.w);
      ws[i] = lw.value;
      variants.push({ ws, text: `uses ${lw.name} = ${c.f(lw.value)} for ${x.name} -> ${neuron} instead of ${x.param} = ${c.f(x.w)}`, id: `${x.param}=${lw.name}` });
    }
  });
  const bias = model.declaredParams.find((p) => p.kind === 'bias' && p.to.includes(neuron));
  const b = bias ? trainer.params[bias.slots[0]] : 0;
  const slips: Candidate[] = [];
  const anyOwn = sources.some((x) => x.own !== undefined);
  for (const useOwn of anyOwn ? [false, true] : [false]) {
    const xs = sources.map((x) => (useOwn && x.own !== undefined ? x.own : x.exact));
    const carriedText = useOwn ? `carries your ${sources.filter((x) => x.own !== undefined).map((x) => `out(${x.name}) = ${c.f(x.own!)}`).join(', ')}` : '';
    for (const v of variants) {
      for (const withBias of bias && b !== 0 ? [true, false] : [true]) {
        if (!useOwn && !v.text && withBias) continue;
        const z = xs.reduce((sum, x, i) => sum + v.ws[i] * x, 0) + (withBias ? b : 0);
        const parts = [v.text, carriedText, withBias ? '' : `leaves out the bias ${bias!.name} = ${c.f(b)}`].filter(Boolean);
        // Two slips at once are less likely than one; carrying the student's own values is no slip of this line.
        const own = (v.text ? 1 : 0) + (withBias ? 0 : 1);
        const family = own === 0 ? 'carried' : own === 2 || useOwn ? 'two-slips' : v.text ? 'edge-weight' : 'bias-left-out';
        slips.push(candidate(family, `net:${v.id}:${useOwn}:${withBias}`, z, `net(${neuron}) ${parts.join(' and ')}`));
      }
    }
  }
  return slips;
}
