/**
 * The slips of classification and of the optimizers, as their concept records list them, made into
 * `check` slips: a wrong loss term (log₁₀ for ln), a wrong ∂E/∂out of an output (log₁₀, out − t
 * taken for it), a wrong ∂E/∂net of an output (a softmax Jacobian without its cross terms, out − t
 * without the softmax), a wrong update (momentum, Adam) or optimizer state, and the decay's slips.
 * A slip of the output layer is carried to whatever the line checks — a hidden neuron's ∂E/∂out, a
 * gradient, w' — by back-propagating the wrong output deltas with the network's own weights.
 * This module knows no loss, activation or optimizer by name.
 */
import { weightSquares } from '../compute/decay';
import { elementwise, layerwise } from '../math/activations';
import { DECAY } from '../math/decay';
import { lossRecord } from '../math/losses';
import { optimizerRecord, type UpdateInput } from '../math/optimizers';
import type { ParamDef } from '../semantics/model';
import type { Factor } from './evaluate';
import type { Candidate, SlipFamily } from './ranking';
import { candidate, type Case } from './slips';

/** Samples × parameters up to which a slip is carried through a whole batch's gradient. */
const MAX_CARRIED = 1e7;

export function conceptSlips(c: Case): Candidate[] {
  return [...lossTermSlips(c), ...outputSlips(c), ...optimizerSlips(c), ...decaySlips(c)];
}

const outputLayer = (c: Case) => c.ctx.model.layers.length - 1;
const outputFactors = (c: Case, role: Factor['role']) => c.flat.filter((fa) => fa.output && fa.role === role);

// ---- the loss term ----

/** E, E[k], E(o), E(o)[k] with a wrong term formula (and the decay, which E has, as it is). */
function lossTermSlips(c: Case): Candidate[] {
  if (c.q.kind !== 'E') return [];
  const { model, trainer } = c.ctx;
  const loss = lossRecord(c.ctx.loss);
  const scale = loss.scale(trainer.sampleCount);
  const L = outputLayer(c);
  const q = c.q;
  const samples = c.sum ? Array.from({ length: trainer.sampleCount }, (_, s) => s) : [c.k];
  const outputs = q.neuron !== undefined ? [model.neurons.get(q.neuron)!.index] : model.outputNames.map((_, k) => k);
  if (samples.length * outputs.length > MAX_CARRIED) return [];
  const decay = q.neuron === undefined && (c.sum || trainer.sampleCount === 1) && trainer.decay > 0 ? DECAY.value(trainer.decay, weightSquares(trainer.params, trainer.layout)) : 0;
  return (loss.termSlips ?? []).map((slip, i) => {
    let alt = decay;
    for (const s of samples) {
      const out = c.ev.sample(s).out[L];
      const t = trainer.sampleTargets(s);
      for (const k of outputs) alt += scale * slip.term(out[k], t[k]);
    }
    return candidate('log-base', `loss-term:${i}`, alt, `${slip.text}: the exact value is ${c.f(c.exact)}`);
  });
}

// ---- the output layer's ∂E/∂out and ∂E/∂net, carried back ----

/** What a slip does to one sample's output layer: its ∂E/∂net, from the exact out, t and ∂E/∂out. */
type OutputDelta = (out: Float64Array, t: Float64Array, g: Float64Array) => Float64Array;

function outputSlips(c: Case): Candidate[] {
  const loss = lossRecord(c.ctx.loss);
  const scale = loss.scale(c.ctx.trainer.sampleCount);
  const act = c.ctx.model.layers[outputLayer(c)].activation!;
  const layer = layerwise(act);
  const slope = elementwise(act);
  /** ∂E/∂net from a ∂E/∂out of the output layer, through the activation as it is. */
  const throughActivation = (out: Float64Array, g: Float64Array, net: Float64Array): Float64Array => {
    const d = Float64Array.from(g);
    if (layer) layer.backward(out, 0, d, d, 0, d.length);
    else for (let j = 0; j < d.length; j++) d[j] *= slope!.derivative(net[j], out[j]);
    return d;
  };
  type OutputSlip = { family: SlipFamily; id: string; text: string; dEdout?: (o: number, t: number) => number; delta?: OutputDelta; marks: Factor[] };
  const slips: OutputSlip[] = [];
  (loss.derivativeSlips ?? []).forEach((s, i) => slips.push({
    family: 'log-base', id: `loss-derivative:${i}`, text: s.text, dEdout: (o, t) => scale * s.dTerm(o, t), marks: outputFactors(c, 'dE/dout'),
  }));
  (layer?.slips ?? []).forEach((s, i) => slips.push({
    family: 'jacobian', id: `jacobian:${i}`, text: s.text, delta: (out, _t, g) => out.map((_, j) => s.dEdnet(out, g, j)),
    marks: [...outputFactors(c, 'dE/dnet'), ...outputFactors(c, 'dout/dnet')],
  }));
  if (loss.canonical && loss.canonical.activation !== act && loss.simplificationSlip) {
    slips.push({
      family: 'simplification', id: 'simplification', text: loss.simplificationSlip, delta: (out, t) => out.map((o, j) => scale * (o - t[j])),
      marks: [...outputFactors(c, 'dE/dout'), ...outputFactors(c, 'dout/dnet')],
    });
  }
  return slips.flatMap((slip) => {
    const alt = carried(c, (s) => {
      const d = c.ev.sample(s);
      const L = outputLayer(c);
      const t = c.ctx.trainer.sampleTargets(s);
      if (slip.delta) return { delta: slip.delta(d.out[L], t, d.dE_dout[L]) };
      const g = d.out[L].map((o, j) => slip.dEdout!(o, t[j]));
      return { dEdout: g, delta: throughActivation(d.out[L], g, d.net[L]) };
    });
    return alt === undefined || Math.abs(alt - c.exact) <= 1e-12 * Math.abs(c.exact) ? [] : [candidate(slip.family, slip.id, alt, `${slip.text}: the exact value is ${c.f(c.exact)}`, slip.marks)];
  });
}

/** The sample's output layer under a slip: its ∂E/∂net, and its ∂E/∂out when the slip changes that. */
type SlipOutputs = (s: number) => { delta: Float64Array; dEdout?: Float64Array };

/** The checked quantity with the output layer as `slip` has it, or undefined when it does not depend on it. */
function carried(c: Case, slip: SlipOutputs): number | undefined {
  const { model } = c.ctx;
  const q = c.q;
  switch (q.kind) {
    case 'dE/dout': case 'dE/dnet': {
      const r = model.neurons.get(q.neuron)!;
      const kind = q.kind;
      const one = (k: number): number | undefined => {
        const own = slip(k);
        if (r.layer === outputLayer(c)) return kind === 'dE/dnet' ? own.delta[r.index] : own.dEdout?.[r.index];
        const back = backprop(c, k, own.delta);
        return kind === 'dE/dnet' ? back.dEdnet[r.layer][r.index] : back.dEdout[r.layer][r.index];
      };
      // The batch rule (quantities.ts): without [k], the sum over the samples.
      if (!c.sum) return one(c.k);
      if (c.ev.sampleCount * c.ctx.trainer.params.length > MAX_CARRIED) return undefined;
      let total = 0;
      for (let k = 0; k < c.ev.sampleCount; k++) { const v = one(k); if (v === undefined) return undefined; total += v; }
      return total;
    }
    case 'dE/dparam': {
      const p = model.param(q.param)!;
      if (!c.sum && c.ev.sampleCount > 1) return contribution(c, p, c.k, slip);
      return batchGradient(c, p, slip);
    }
    case 'after': {
      const p = model.param(q.param)!;
      const g = batchGradient(c, p, slip);
      return g === undefined ? undefined : afterUpdate(c, p, g);
    }
    default: return undefined;
  }
}

/** ∂E/∂out and ∂E/∂net of every layer of sample s, back-propagated from the output layer's ∂E/∂net. */
function backprop(c: Case, s: number, deltaL: Float64Array): { dEdout: Float64Array[]; dEdnet: Float64Array[] } {
  const { model, trainer } = c.ctx;
  const d = c.ev.sample(s);
  const L = outputLayer(c);
  const dEdnet: Float64Array[] = [];
  const dEdout: Float64Array[] = [];
  dEdnet[L] = deltaL;
  for (let l = L - 1; l >= 1; l--) {
    const n = model.layers[l].names.length;
    const next = dEdnet[l + 1];
    const off = trainer.layout.weightOffset[l + 1];
    const f = elementwise(model.layers[l].activation!)!;
    dEdout[l] = new Float64Array(n);
    dEdnet[l] = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < next.length; j++) sum += next[j] * trainer.params[off + j * n + i];
      dEdout[l][i] = sum;
      dEdnet[l][i] = sum * f.derivative(d.net[l][i], d.out[l][i]);
    }
  }
  return { dEdout, dEdnet };
}

/** One sample's ∂E/∂p under the slip: Σ over the neurons p feeds of ∂E/∂net · ∂net/∂p. */
function contribution(c: Case, p: ParamDef, s: number, slip: SlipOutputs): number {
  const { model } = c.ctx;
  const { dEdnet } = backprop(c, s, slip(s).delta);
  const d = c.ev.sample(s);
  let sum = 0;
  for (const name of p.to) {
    const r = model.neurons.get(name)!;
    const from = p.kind === 'weight' ? model.neurons.get(p.from!)! : undefined;
    sum += dEdnet[r.layer][r.index] * (from ? d.out[from.layer][from.index] : 1);
  }
  return sum;
}

/** The batch's ∂E/∂p under the slip (with the decay, which the slip leaves as it is). */
function batchGradient(c: Case, p: ParamDef, slip: SlipOutputs): number | undefined {
  const { trainer } = c.ctx;
  const S = trainer.sampleCount;
  if (S * trainer.params.length > MAX_CARRIED) return undefined;
  let g = 0;
  for (let s = 0; s < S; s++) g += contribution(c, p, s, slip);
  return g + (p.kind === 'weight' ? trainer.decay * trainer.params[p.slots[0]] : 0);
}

// ---- the update ----

/** What the next update (batch mode: one per epoch) makes of p with gradient g and the optimizer's state as it is. */
function afterUpdate(c: Case, p: ParamDef, g: number): number | undefined {
  const { trainer } = c.ctx;
  if (c.ctx.mode.kind !== 'batch' || trainer.isFrozen(p.slots[0])) return undefined;
  const x = updateInput(c, p, g);
  return x.p - optimizerRecord(trainer.optimizer.name).update(trainer.optimizer, x).step;
}

function updateInput(c: Case, p: ParamDef, g: number): UpdateInput {
  const { trainer } = c.ctx;
  const slot = p.slots[0];
  return { p: trainer.params[slot], g, v: trainer.state.v[slot], m: trainer.state.m[slot], t: trainer.state.t + 1, rate: trainer.rate };
}

/**
 * The optimizer's slips in w' and, when the check looks at the step just taken (the trainer then
 * holds the state before it), in v(w5) and m(w5). Batch mode only: one update per epoch.
 */
function optimizerSlips(c: Case): Candidate[] {
  const { trainer, model } = c.ctx;
  const q = c.q;
  if (c.ctx.mode.kind !== 'batch' || !(q.kind === 'after' || (q.kind === 'state' && c.ev.checksStep))) return [];
  const p = model.param(q.param)!;
  if (trainer.isFrozen(p.slots[0])) return [];
  const x = updateInput(c, p, c.ev.batchGradient()[p.slots[0]]);
  const which = q.kind === 'after' ? 'after' : q.slot;
  return optimizerRecord(trainer.optimizer.name).slips.flatMap((s, i) => (s.quantity === which
    ? [candidate('optimizer', `optimizer:${i}`, s.value(x, trainer.optimizer), `${s.text}: the exact value is ${c.f(c.exact)}`)] : []));
}

// ---- the decay ----

function decaySlips(c: Case): Candidate[] {
  const { trainer, model } = c.ctx;
  const lambda = trainer.decay;
  const q = c.q;
  if (lambda === 0) return [];
  const say = (i: number, text: string, alt: number, marks: Factor[] = []): Candidate => candidate('decay', `decay:${i}`, alt, `${text}: the exact value is ${c.f(c.exact)}`, marks);
  // The decay is a term of the batch's E and of its gradients (a sample's E[k] has none).
  const whole = c.sum || trainer.sampleCount === 1;
  if (q.kind === 'E' && q.neuron === undefined && whole) {
    const weights2 = weightSquares(trainer.params, trainer.layout);
    const biases2 = model.declaredParams.filter((b) => b.kind === 'bias').reduce((sum, b) => sum + trainer.params[b.slots[0]] ** 2, 0);
    return DECAY.slips.flatMap((s, i) => (s.on === 'E' ? [say(i, s.text, c.exact + s.add(lambda, { weights2, biases2, p: 0 }))] : []));
  }
  if ((q.kind !== 'dE/dparam' || !whole) && q.kind !== 'after') return [];
  const p = model.param(q.param)!;
  const value = trainer.params[p.slots[0]];
  const g = c.ev.batchGradient()[p.slots[0]];
  const marks = c.flat.filter((fa) => fa.role === 'decay');
  return DECAY.slips.flatMap((s, i) => {
    if (s.on !== p.kind) return [];
    const wrong = g + s.add(lambda, { weights2: 0, biases2: 0, p: value });
    const alt = q.kind === 'after' ? afterUpdate(c, p, wrong) : wrong;
    return alt === undefined ? [] : [say(i, s.text, alt, marks)];
  });
}
