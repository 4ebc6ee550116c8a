/**
 * Builds trace.ts objects from the compiled state. Every number comes from the trainer's own
 * kernels (`DenseTrainer.detail`, `gradient`), so a trace shows exactly the arithmetic that changed
 * the weights. Detail is capped by TRACE_LIMITS; what is left out is said in `limits.notes`.
 */
import { TRACE_LIMITS } from '../semantics/limits';
import type { NetworkModel, ParamDef } from '../semantics/model';
import type { DenseTrainer, SampleDetail } from '../compute/trainer';
import { activationDerivative, layerwise } from '../math/activations';
import { lossRecord, lossScale } from '../math/losses';
import { gradientDecay, jacobianTerms, lossDecay, simplification, stateBefore, updateRow } from './classification';
import {
  TRACE_VERSION, type ChainPath, type DownstreamTerm, type LossName, type LossTrace, type Mode, type NetworkInfo,
  type NeuronGrad, type ParamGrad, type ParamInfo, type SampleForward, type StepTrace, type TraceLimits, type UpdateRow, type UpdateTrace,
} from './schema';

/** What a trace is built from. */
export interface TraceContext {
  model: NetworkModel;
  trainer: DenseTrainer;
  digits: number;
  line: number;
  loss: LossName;
  rate: number;
  mode: Mode;
}

/** Collects what was cut while building one trace. */
export class LimitNotes {
  private readonly notes = new Set<string>();
  samplesShown = 0;
  paramsShown = 0;
  note(text: string): void { this.notes.add(text); }
  build(): TraceLimits {
    return {
      truncated: this.notes.size > 0, samplesShown: this.samplesShown, paramsShown: this.paramsShown,
      maxNeuronsPerLayer: TRACE_LIMITS.neuronsPerLayer, notes: [...this.notes],
    };
  }
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function base(ctx: TraceContext, notes: LimitNotes) {
  return { version: TRACE_VERSION, digits: ctx.digits, line: ctx.line, network: networkInfo(ctx, notes) } as const;
}

export function shownParams(ctx: TraceContext, notes: LimitNotes): ParamDef[] {
  const list = ctx.model.listParams(TRACE_LIMITS.params);
  const total = ctx.model.paramCount;
  if (total > list.length) notes.note(`only the first ${fmt(list.length)} of ${fmt(total)} parameters are listed`);
  notes.paramsShown = list.length;
  return list;
}

export function networkInfo(ctx: TraceContext, notes: LimitNotes): NetworkInfo {
  const { model, trainer } = ctx;
  const cap = TRACE_LIMITS.neuronsPerLayer;
  const layers = model.layers.map((l, index) => {
    if (l.names.length > cap) notes.note(`layers wider than ${cap} neurons show only their first ${cap}`);
    return { index, activation: l.activation, size: l.names.length, neurons: l.names.slice(0, cap) };
  });
  const params: ParamInfo[] = shownParams(ctx, notes).map((p) => paramInfo(p, trainer));
  return {
    layers, params, paramCount: model.paramCount, loss: ctx.loss, rate: ctx.rate, mode: ctx.mode, sampleCount: trainer.sampleCount,
    optimizer: { ...trainer.optimizer }, decay: trainer.decay, ...(trainer.optimizer.name !== 'sgd' ? { updates: trainer.state.t } : {}),
  };
}

export function paramInfo(p: ParamDef, trainer: DenseTrainer): ParamInfo {
  const info: ParamInfo = {
    name: p.name, kind: p.kind, to: p.to.slice(), layer: p.layer, value: trainer.params[p.slots[0]],
    frozen: trainer.isFrozen(p.slots[0]), generated: p.generated,
  };
  if (p.from !== undefined) info.from = p.from;
  // The state an update continues from: a grader carries a student's wrong gradient through it (exercise/carried.ts).
  if (trainer.optimizer.name !== 'sgd') info.state = { v: trainer.state.v[p.slots[0]], m: trainer.state.m[p.slots[0]] };
  return info;
}

/** Indices of the samples (0-based) of [start, start+count) that get detail. */
export function shownSamples(start: number, count: number, notes: LimitNotes): number[] {
  const n = Math.min(count, TRACE_LIMITS.samples);
  if (count > n) notes.note(`per-sample detail is shown for the first ${n} of ${fmt(count)} samples`);
  notes.samplesShown = Math.max(notes.samplesShown, n);
  return Array.from({ length: n }, (_, i) => start + i);
}

export function sampleForward(ctx: TraceContext, s: number, d: SampleDetail): SampleForward {
  const cap = TRACE_LIMITS.neuronsPerLayer;
  const cut = (a: Float64Array) => Array.from(a.subarray(0, cap));
  return {
    sample: s + 1,
    input: cut(ctx.trainer.sampleInputs(s)),
    target: cut(ctx.trainer.sampleTargets(s)),
    layers: d.net.map((net, l) => ({ net: cut(net), out: cut(d.out[l]) })),
  };
}

/** The forward pass of the shown samples and the loss over all of them, at the current weights. */
export function forwardAndLoss(ctx: TraceContext, notes: LimitNotes): { forward: SampleForward[]; loss: LossTrace } {
  const S = ctx.trainer.sampleCount;
  const shown = shownSamples(0, S, notes);
  const details = new Map(shown.map((i) => [i, ctx.trainer.detail(i, S)]));
  return { forward: shown.map((i) => sampleForward(ctx, i, details.get(i)!)), loss: lossTrace(ctx, 0, S, shown, details) };
}

/** The loss over samples [start, start+count) in a batch of n, with terms for the shown samples. */
export function lossTrace(ctx: TraceContext, start: number, count: number, shown: number[], details: Map<number, SampleDetail>): LossTrace {
  const { model, trainer } = ctx;
  const record = lossRecord(ctx.loss);
  const c = record.scale(count);
  const outs = model.outputNames;
  const terms = [];
  const cap = TRACE_LIMITS.neuronsPerLayer;
  for (const s of shown) {
    const d = details.get(s)!;
    const out = d.out[d.out.length - 1];
    const t = trainer.sampleTargets(s);
    for (let k = 0; k < Math.min(outs.length, cap); k++) {
      terms.push({ sample: s + 1, neuron: outs[k], target: t[k], out: out[k], value: c * record.term(out[k], t[k]) });
    }
  }
  const decay = lossDecay(trainer);
  return { name: ctx.loss, scale: c, batchSize: count, terms, ...(decay ? { decay } : {}), total: trainer.lossOf(start, count, count) };
}

/** Per-neuron backward values of one sample (hidden neurons with their downstream terms). */
export function neuronGrads(ctx: TraceContext, s: number, d: SampleDetail, n: number): NeuronGrad[] {
  const { model, trainer } = ctx;
  const cap = TRACE_LIMITS.neuronsPerLayer;
  const L = model.layers.length - 1;
  const out: NeuronGrad[] = [];
  const c = lossScale(ctx.loss, n);
  for (let l = 1; l <= L; l++) {
    const layer = model.layers[l];
    const act = layer.activation!;
    for (let j = 0; j < Math.min(layer.names.length, cap); j++) {
      const g: NeuronGrad = {
        sample: s + 1, neuron: layer.names[j], layer: l, net: d.net[l][j], out: d.out[l][j],
        dE_dout: d.dE_dout[l][j], dout_dnet: activationDerivative(act, d.net[l][j], d.out[l][j]), dE_dnet: d.dE_dnet[l][j],
      };
      if (l === L) {
        const target = trainer.sampleTargets(s)[j];
        g.lossDerivative = { target, out: d.out[l][j], scale: c };
        const jacobian = jacobianTerms(model, d, l, j);
        if (jacobian) g.jacobian = jacobian;
        const simplified = simplification(model, ctx.loss, d.out[l][j], target, c);
        if (simplified) g.simplified = simplified;
      } else {
        const next = model.layers[l + 1];
        const from = model.neurons.get(layer.names[j])!;
        const terms: DownstreamTerm[] = [];
        for (let k = 0; k < Math.min(next.names.length, cap); k++) {
          const to = model.neurons.get(next.names[k])!;
          const w = model.edgeParam(from, to);
          const wv = trainer.params[w.slots[0]];
          const dEo = d.dE_dout[l + 1][k];
          const don = activationDerivative(next.activation!, d.net[l + 1][k], d.out[l + 1][k]);
          // Through a layer-wise activation, ∂E/∂net_k is the Jacobian's sum, not ∂E/∂out_k · ∂out_k/∂net_k.
          const dEn = layerwise(next.activation) ? d.dE_dnet[l + 1][k] : undefined;
          const term: DownstreamTerm = { neuron: next.names[k], dE_dout: dEo, dout_dnet: don, weight: w.name, w: wv, product: (dEn ?? dEo * don) * wv };
          if (dEn !== undefined) term.dE_dnet = dEn;
          terms.push(term);
        }
        g.downstream = terms;
      }
      out.push(g);
    }
  }
  return out;
}

/** Chain-rule paths of parameter p in one sample (one for a weight, one per neuron for a bias). */
export function paramPaths(ctx: TraceContext, p: ParamDef, d: SampleDetail): ChainPath[] {
  const { model } = ctx;
  return p.to.map((name) => {
    const r = model.neurons.get(name)!;
    const act = model.layers[r.layer].activation!;
    const dEo = d.dE_dout[r.layer][r.index];
    const don = activationDerivative(act, d.net[r.layer][r.index], d.out[r.layer][r.index]);
    let dnp = 1;
    if (p.kind === 'weight') {
      const f = model.neurons.get(p.from!)!;
      dnp = d.out[f.layer][f.index];
    }
    if (!layerwise(act)) return { neuron: name, dE_dout: dEo, dout_dnet: don, dnet_dparam: dnp, product: dEo * don * dnp };
    const dEn = d.dE_dnet[r.layer][r.index];
    return { neuron: name, dE_dout: dEo, dout_dnet: don, dnet_dparam: dnp, dE_dnet: dEn, product: dEn * dnp };
  });
}

/** This sample's contribution to ∂E/∂p, as the trainer computes it (∂E/∂net · ∂net/∂p). */
export function sampleContribution(ctx: TraceContext, p: ParamDef, d: SampleDetail): number {
  const { model } = ctx;
  let sum = 0;
  for (const name of p.to) {
    const r = model.neurons.get(name)!;
    const dn = d.dE_dnet[r.layer][r.index];
    if (p.kind === 'weight') {
      const f = model.neurons.get(p.from!)!;
      sum += dn * d.out[f.layer][f.index];
    } else sum += dn;
  }
  return sum;
}

/**
 * One update over samples [start, start+count) at the current weights, written out: forward,
 * loss, backward, gradients, and the update itself (which this performs, through the trainer).
 */
export function tracedUpdate(ctx: TraceContext, start: number, count: number, params: ParamDef[], notes: LimitNotes): UpdateTrace {
  const { trainer } = ctx;
  const shown = shownSamples(start, count, notes);
  const details = new Map<number, SampleDetail>();
  for (const s of shown) details.set(s, trainer.detail(s, count));
  const forward = shown.map((s) => sampleForward(ctx, s, details.get(s)!));
  const loss = lossTrace(ctx, start, count, shown, details);
  const neurons = shown.flatMap((s) => neuronGrads(ctx, s, details.get(s)!, count));
  const old = params.map((p) => trainer.params[p.slots[0]]);
  trainer.gradient(start, count);
  const grads: ParamGrad[] = params.map((p, i) => {
    const g: ParamGrad = {
      name: p.name,
      grad: positiveZero(trainer.grad[p.slots[0]]),
      perSample: shown.map((s) => ({ sample: s + 1, value: sampleContribution(ctx, p, details.get(s)!), paths: paramPaths(ctx, p, details.get(s)!) })),
    };
    const decay = gradientDecay(trainer, p, old[i]);
    if (decay !== undefined) g.decay = decay;
    return g;
  });
  const state = stateBefore(trainer, params);
  trainer.apply();
  const updates: UpdateRow[] = params.map((p, i) => updateRow(trainer, p, old[i], positiveZero(trainer.grad[p.slots[0]]), state[i]));
  return { samples: Array.from({ length: count }, (_, i) => start + i + 1), forward, loss, neurons, grads, updates, t: trainer.state.t };
}

/** One epoch written out (the `step` command, and `train N every K` snapshots). */
export function tracedEpoch(ctx: TraceContext, epochAfter: number): StepTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const params = shownParams(ctx, notes);
  const groups = ctx.trainer.groups();
  const updates: UpdateTrace[] = [];
  groups.forEach(([start, count], i) => {
    if (i < TRACE_LIMITS.updates) updates.push(tracedUpdate(ctx, start, count, params, notes));
    else ctx.trainer.update(start, count);
  });
  if (groups.length > TRACE_LIMITS.updates) notes.note(`the first ${TRACE_LIMITS.updates} of ${fmt(groups.length)} updates of the epoch are written out`);
  return { ...b, kind: 'step', epoch: epochAfter, updates, lossAfter: ctx.trainer.loss(), limits: notes.build() };
}

/**
 * The kernels start a gradient at −0 (so the fused and general updates agree to the sign of a zero);
 * JSON has no −0, so a trace says 0, and the printers and the renderer read the same number.
 */
function positiveZero(x: number): number {
  return x + 0;
}
