/**
 * Slips inside the sum of a hidden neuron, ∂E/∂out(h) = Σ_j ∂E/∂net(j) · w(h → j), wherever that sum
 * is used: in ∂E/∂out(h) itself, in ∂E/∂net(h), in the gradient of a weight into h, and one layer
 * further down. A term left out, a term's sign flipped, or the wrong downstream weight in a term
 * (w6 where w7 belongs) changes ∂E/∂out(h) by Δ, and the quantity by Δ times what it multiplies
 * ∂E/∂out(h) with, so each candidate costs a few multiplications. A wrong derivative of the loss in
 * every output, which moves every sum at once, is recomputed with a backward pass of its own.
 */
import { lossRecord } from '../math/losses';
import type { NeuronRef } from '../semantics/model';
import type { Factor } from './evaluate';
import type { Candidate } from './ranking';
import { candidate, type Case } from './slips';

/** Sums wider than this are not searched term by term; layers of more edges, not for a swapped weight. */
const MAX_FANOUT = 16;
const MAX_LAYER_WEIGHTS = 64;
/** One layer further down only for narrow layers: the candidates multiply. */
const MAX_DEEP_FANOUT = 8;
/** The backward pass of a what-if costs about one pass over the parameters. */
const MAX_WHATIF_PARAMS = 20_000;

/** A hidden neuron whose sum the quantity uses, and by how much the quantity moves per unit of its ∂E/∂out. */
interface Site { neuron: NeuronRef; coef: number; via?: string; mark: Factor[] }

export function hiddenSlips(c: Case): Candidate[] {
  const slips = sites(c).flatMap((s) => siteSlips(c, s));
  return [...slips, ...lossDerivativeWhatIf(c)];
}

/** The neurons the quantity reaches through ∂E/∂out: itself, or those a parameter feeds. */
function anchors(c: Case): { neuron: NeuronRef; coef: number }[] {
  const { q, ev } = c;
  const d = ev.sample(c.k);
  const deriv = (r: NeuronRef) => ev.derivFactor(r.name, c.k).exact;
  switch (q.kind) {
    case 'dE/dout': return [{ neuron: ev.ref(q.neuron), coef: 1 }];
    case 'dE/dnet': { const r = ev.ref(q.neuron); return [{ neuron: r, coef: deriv(r) }]; }
    case 'dE/dparam': {
      const p = ev.param(q.param);
      const src = p.kind === 'weight' ? ev.ref(p.from!) : undefined;
      return p.to.slice(0, MAX_FANOUT).map((n) => { const r = ev.ref(n); return { neuron: r, coef: deriv(r) * (src ? d.out[src.layer][src.index] : 1) }; });
    }
    default: return [];
  }
}

function sites(c: Case): Site[] {
  const L = c.ctx.model.layers.length - 1;
  const out: Site[] = [];
  for (const a of anchors(c)) {
    if (a.neuron.layer >= L) continue;
    out.push({ neuron: a.neuron, coef: a.coef, mark: c.flat.filter((fa) => fa.role === 'dE/dout' && fa.neuron === a.neuron.name) });
    const next = c.ctx.model.layers[a.neuron.layer + 1].names;
    if (a.neuron.layer + 1 >= L || next.length > MAX_DEEP_FANOUT) continue;
    for (const name of next) {
      const j = c.ev.ref(name);
      const coef = a.coef * c.ev.derivFactor(name, c.k).exact * c.ev.weight(a.neuron, j);
      out.push({ neuron: j, coef, via: `∂E/∂out(${name}), which ∂E/∂out(${a.neuron.name}) uses`, mark: c.flat.filter((fa) => fa.role === 'dE/dout' && fa.neuron === a.neuron.name) });
    }
  }
  return out;
}

/** Term left out, term's sign flipped, another weight in a term: each of the sum at `s`. */
function siteSlips(c: Case, s: Site): Candidate[] {
  const { model } = c.ctx;
  const h = s.neuron;
  const next = model.layers[h.layer + 1].names;
  if (next.length > MAX_FANOUT) return [];
  const dnet = c.ev.sample(c.k).dE_dnet[h.layer + 1];
  const sum = `∂E/∂out(${h.name}) = Σ ∂E/∂net · w`;
  const where = s.via ? `, inside ${s.via}` : '';
  const weights = layerWeights(c, h.layer);
  const slips: Candidate[] = [];
  const at = (delta: number) => c.exact + s.coef * delta;
  let whole = 0;
  next.forEach((name, j) => { whole += dnet[j] * c.ev.weight(h, c.ev.ref(name)); });
  next.forEach((name, j) => {
    const to = c.ev.ref(name);
    const w = model.edgeParam(h, to);
    const wv = c.ev.weight(h, to);
    const term = dnet[j] * wv;
    const marks = [...s.mark, ...termMarks(c, h.name, name)];
    const id = `${h.name}:${name}`;
    slips.push(candidate('term-left-out', `term:${id}`, at(-term),
      `a term of the sum is missing: in ${sum}${where}, the term through ${name} (${c.f(term)}) was left out`, marks));
    if (next.length > 2) {
      slips.push(candidate('term-left-out', `only:${id}`, at(term - whole),
        `terms of the sum are missing: in ${sum}${where}, only the term through ${name} (${c.f(term)}) was kept`, marks));
    }
    slips.push(candidate('term-sign', `term-sign:${id}`, at(-2 * term),
      `in ${sum}${where}, the sign of the term through ${name} (${c.f(term)}) is flipped`, marks));
    for (const other of weights) {
      if (other.name === w.name || other.value === wv) continue;
      slips.push(candidate('downstream-weight', `weight:${id}:${other.name}`, at(dnet[j] * (other.value - wv)),
        `the wrong weight in a hidden sum: in ${sum}${where}, the term through ${name} uses ${other.name} = ${c.f(other.value)} where ${w.name} = ${c.f(wv)} (${h.name} -> ${name}) belongs`,
        [...s.mark, ...termMarks(c, h.name, name, true)]));
    }
  });
  return slips;
}

/** The weights of the edges from layer l to l + 1, when there are few enough to try each one. */
function layerWeights(c: Case, l: number): { name: string; value: number }[] {
  const { model } = c.ctx;
  const from = model.layers[l].names;
  const to = model.layers[l + 1].names;
  if (from.length * to.length > MAX_LAYER_WEIGHTS) return [];
  return to.flatMap((t) => from.map((f) => {
    const a = c.ev.ref(f);
    const b = c.ev.ref(t);
    return { name: model.edgeParam(a, b).name, value: c.ev.weight(a, b) };
  }));
}

/** In ∂E/∂out(h)'s own paths: the path through `to`, or only its weight. */
function termMarks(c: Case, h: string, to: string, weightOnly = false): Factor[] {
  if (c.q.kind !== 'dE/dout' || c.q.neuron !== h || !c.paths) return [];
  const path = c.paths.find((p) => p[0].neuron === to) ?? [];
  return weightOnly ? path.filter((fa) => fa.role === 'weight') : path;
}

/** (−t − out) for (out − t) in every output, carried down to a hidden quantity by a backward pass of its own. */
function lossDerivativeWhatIf(c: Case): Candidate[] {
  const record = lossRecord(c.ctx.loss);
  const anchor = anchors(c);
  const L = c.ctx.model.layers.length - 1;
  // A product with an output's ∂E/∂out among its factors has this slip from slips.ts.
  if (!anchor.length || anchor.some((a) => a.neuron.layer >= L) || c.flat.some((fa) => fa.output && fa.role === 'dE/dout')) return [];
  if (c.ctx.model.paramCount > MAX_WHATIF_PARAMS) return [];
  const d = c.ev.sample(c.k);
  const targets = c.ctx.trainer.sampleTargets(c.k);
  return (record.wrongDerivatives ?? []).map((wd) => {
    const g = Float64Array.from(d.out[L], (o, i) => wd.value(o, targets[i], c.ctx.trainer.sampleCount));
    const alt = valueOf(c, backwardFrom(c, g, Math.min(...anchor.map((a) => a.neuron.layer))));
    const o = c.ctx.model.outputNames[0];
    return candidate('loss-derivative', `loss-derivative:${wd.formula}`, alt,
      `∂E/∂out of an output under ${record.name} is ${wd.right}, but ${wd.formula} was used (for ${o}: ${c.f(g[0])} instead of ${c.f(d.dE_dout[L][0])}); carried down, it gives ${c.f(alt)}`,
      c.flat.filter((fa) => fa.role === 'dE/dout'));
  });
}

interface Backward { dout: Float64Array[]; dnet: Float64Array[] }

/** ∂E/∂out and ∂E/∂net of sample k's layers from `down` up, when the outputs' ∂E/∂out are `g`. */
function backwardFrom(c: Case, g: Float64Array, down: number): Backward {
  const { model } = c.ctx;
  const b: Backward = { dout: [], dnet: [] };
  b.dout[model.layers.length - 1] = g;
  for (let l = model.layers.length - 1; l >= down; l--) {
    const names = model.layers[l].names;
    b.dnet[l] = Float64Array.from(names, (name, j) => b.dout[l][j] * c.ev.derivFactor(name, c.k).exact);
    if (l === down) break;
    const below = model.layers[l - 1].names.map((n) => c.ev.ref(n));
    b.dout[l - 1] = Float64Array.from(below, (r) => names.reduce((s, name, j) => s + b.dnet[l][j] * c.ev.weight(r, c.ev.ref(name)), 0));
  }
  return b;
}

/** The quantity of the case, from a backward pass. */
function valueOf(c: Case, b: Backward): number {
  const { q, ev } = c;
  const d = ev.sample(c.k);
  switch (q.kind) {
    case 'dE/dout': { const r = ev.ref(q.neuron); return b.dout[r.layer][r.index]; }
    case 'dE/dnet': { const r = ev.ref(q.neuron); return b.dnet[r.layer][r.index]; }
    case 'dE/dparam': {
      const p = ev.param(q.param);
      const src = p.kind === 'weight' ? ev.ref(p.from!) : undefined;
      return p.to.reduce((s, n) => { const r = ev.ref(n); return s + b.dnet[r.layer][r.index] * (src ? d.out[src.layer][src.index] : 1); }, 0);
    }
    default: return NaN;
  }
}
