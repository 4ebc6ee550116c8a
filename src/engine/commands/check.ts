/**
 * `check`: compares a student's numbers with the exact ones at the current weights (without changing
 * them), and for a wrong line explains the likeliest slip — a flipped sign, a factor left out, a wrong
 * activation derivative, a rounded value carried on, or a factor the student also checked and got wrong.
 */
import type { CheckItem, Quantity } from '../language/syntax';
import type { NetworkModel, ParamDef } from '../semantics/model';
import { unknownNameMessage } from '../language/names';
import { formatNumber, withinTolerance } from '../language/numbers';
import { base, LimitNotes, type TraceContext } from '../trace/build';
import type { SampleDetail } from '../compute/trainer';
import { activate, activationDerivative, ACTIVATION_RECORDS } from '../math/activations';
import { lossScale } from '../math/losses';
import type { Activation, CheckFactor, CheckLine, CheckTrace } from '../trace/schema';

/** Why a quantity cannot be checked against this network, or undefined when it can. */
export function quantityError(q: Quantity, model: NetworkModel, sampleCount: number): string | undefined {
  const neuron = (name: string) => model.neurons.get(name);
  const needNeuron = (name: string) => (neuron(name) ? undefined : unknownNameMessage('neuron', name, model.neurons.keys()));
  const needParam = (name: string) => (model.param(name) ? undefined : unknownNameMessage('parameter', name, model.paramNames()));
  if ('sample' in q && q.sample !== undefined && q.sample > sampleCount) {
    return `there ${sampleCount === 1 ? 'is 1 sample' : `are ${sampleCount} samples`}; [${q.sample}] is out of range`;
  }
  switch (q.kind) {
    case 'E': {
      if (q.neuron === undefined) return undefined;
      const e = needNeuron(q.neuron);
      if (e) return e;
      return neuron(q.neuron)!.layer === model.layers.length - 1 ? undefined : `E(${q.neuron}): ${q.neuron} is not an output neuron (E(NAME) is one output's loss term)`;
    }
    case 'net': case 'out':
      return needNeuron(q.neuron);
    case 'dE/dout': case 'dE/dnet': case 'dout/dnet': {
      const e = needNeuron(q.neuron);
      if (e) return e;
      return neuron(q.neuron)!.layer === 0 ? `${q.neuron} is an input: it has no activation to differentiate` : undefined;
    }
    case 'dnet/dparam': {
      const e = needNeuron(q.neuron) ?? needParam(q.param);
      if (e) return e;
      return neuron(q.neuron)!.layer === 0 ? `${q.neuron} is an input: it has no net input` : undefined;
    }
    case 'dE/dparam': case 'after': case 'value':
      return needParam(q.param);
  }
}

/** The quantity written canonically with its sample, to match a factor with another check line. */
export function quantityKey(q: Quantity): string {
  const k = 'sample' in q && q.sample !== undefined ? q.sample : 1;
  switch (q.kind) {
    case 'E': return q.neuron ? `E(${q.neuron})` + ('sample' in q && q.sample ? `[${k}]` : '') : 'E' + (q.sample ? `[${k}]` : '');
    case 'net': case 'out': return `${q.kind}(${q.neuron})[${k}]`;
    case 'dE/dout': case 'dE/dnet': return `${q.kind}(${q.neuron})[${k}]`;
    case 'dout/dnet': return `dout(${q.neuron})/dnet(${q.neuron})[${k}]`;
    case 'dnet/dparam': return `dnet(${q.neuron})/d${q.param}[${k}]`;
    case 'dE/dparam': return q.sample ? `dE/d${q.param}[${k}]` : `dE/d${q.param}`;
    case 'after': return `${q.param}'`;
    case 'value': return q.param;
  }
}

interface Factor { label: string; quantity: string; key: string; exact: number; derivative?: { act: Activation; out: number; net: number }; source?: { neuron: string; layer: number } }
interface Evaluated { exact: number; paths?: Factor[][] }

class Evaluator {
  private readonly details = new Map<number, SampleDetail>();
  private after?: Float64Array;
  private batchGrad?: Float64Array;
  constructor(private readonly ctx: TraceContext) {}

  private detail(s: number): SampleDetail {
    let d = this.details.get(s);
    if (!d) { d = this.ctx.trainer.detail(s, this.ctx.trainer.sampleCount); this.details.set(s, d); }
    return d;
  }

  evaluate(q: Quantity): Evaluated {
    const { model, trainer } = this.ctx;
    const S = trainer.sampleCount;
    const k = ('sample' in q && q.sample !== undefined ? q.sample : 1) - 1;
    const ref = (name: string) => model.neurons.get(name)!;
    switch (q.kind) {
      case 'E': {
        if (q.neuron === undefined) return { exact: q.sample !== undefined ? this.detail(k).loss : trainer.loss() };
        const r = ref(q.neuron);
        const c = lossScale(this.ctx.loss, S);
        const term = (s: number) => { const diff = trainer.sampleTargets(s)[r.index] - this.detail(s).out[r.layer][r.index]; return c * diff * diff; };
        if (q.sample !== undefined) return { exact: term(k) };
        let sum = 0;
        for (let s = 0; s < S; s++) sum += term(s);
        return { exact: sum };
      }
      case 'net': { const r = ref(q.neuron); return { exact: this.detail(k).net[r.layer][r.index] }; }
      case 'out': { const r = ref(q.neuron); return { exact: this.detail(k).out[r.layer][r.index] }; }
      case 'dout/dnet': { const f = this.derivFactor(q.neuron, k); return { exact: f.exact, paths: [[f]] }; }
      case 'dE/dnet': {
        const r = ref(q.neuron);
        return { exact: this.detail(k).dE_dnet[r.layer][r.index], paths: [[this.doutFactor(q.neuron, k), this.derivFactor(q.neuron, k)]] };
      }
      case 'dE/dout': {
        const r = ref(q.neuron);
        const d = this.detail(k);
        const exact = d.dE_dout[r.layer][r.index];
        if (r.layer === model.layers.length - 1) return { exact };
        const next = model.layers[r.layer + 1].names;
        const paths = next.slice(0, 64).map((name) => {
          const w = model.edgeParam(r, ref(name));
          return [this.doutFactor(name, k), this.derivFactor(name, k),
            { label: w.name, quantity: w.name, key: w.name, exact: trainer.params[w.slots[0]] }];
        });
        return next.length <= 64 ? { exact, paths } : { exact };
      }
      case 'dnet/dparam': { const f = this.dnetFactor(q.neuron, model.param(q.param)!, k); return { exact: f.exact }; }
      case 'dE/dparam': {
        const p = model.param(q.param)!;
        const singleSample = q.sample !== undefined || S === 1;
        const paths = singleSample ? p.to.map((n) => [this.doutFactor(n, k), this.derivFactor(n, k), this.dnetFactor(n, p, k)]) : undefined;
        if (q.sample !== undefined) {
          const d = this.detail(k);
          let sum = 0;
          for (const n of p.to) { const r = ref(n); sum += d.dE_dnet[r.layer][r.index] * (p.kind === 'weight' ? d.out[ref(p.from!).layer][ref(p.from!).index] : 1); }
          return { exact: sum, paths };
        }
        return { exact: this.batchGradient()[p.slots[0]], paths };
      }
      case 'after': {
        if (!this.after) {
          const saved = trainer.params.slice();
          trainer.epoch();
          this.after = trainer.params.slice();
          trainer.params.set(saved);
        }
        return { exact: this.after[model.param(q.param)!.slots[0]] };
      }
      case 'value':
        return { exact: trainer.params[model.param(q.param)!.slots[0]] };
    }
  }

  private doutFactor(neuron: string, k: number): Factor {
    const r = this.ctx.model.neurons.get(neuron)!;
    return { label: `∂E/∂out(${neuron})`, quantity: `dE/dout(${neuron})`, key: `dE/dout(${neuron})[${k + 1}]`, exact: this.detail(k).dE_dout[r.layer][r.index] };
  }
  private derivFactor(neuron: string, k: number): Factor {
    const r = this.ctx.model.neurons.get(neuron)!;
    const d = this.detail(k);
    const act = this.ctx.model.layers[r.layer].activation!;
    const net = d.net[r.layer][r.index];
    const out = d.out[r.layer][r.index];
    return {
      label: `∂out(${neuron})/∂net(${neuron})`, quantity: `dout(${neuron})/dnet(${neuron})`, key: `dout(${neuron})/dnet(${neuron})[${k + 1}]`,
      exact: activationDerivative(act, net, out), derivative: { act, out, net },
    };
  }
  private dnetFactor(neuron: string, p: ParamDef, k: number): Factor {
    const { model } = this.ctx;
    const d = this.detail(k);
    let exact = 0;
    let source: Factor['source'];
    if (p.to.includes(neuron)) {
      if (p.kind === 'bias') exact = 1;
      else { const f = model.neurons.get(p.from!)!; exact = d.out[f.layer][f.index]; source = { neuron: p.from!, layer: f.layer }; }
    }
    return { label: `∂net(${neuron})/∂${p.name}`, quantity: `dnet(${neuron})/d${p.name}`, key: `dnet(${neuron})/d${p.name}[${k + 1}]`, exact, source };
  }

  /** ∂E/∂p of the whole batch for every parameter (tied ones summed). */
  batchGradient(): Float64Array {
    if (!this.batchGrad) { this.ctx.trainer.gradient(0, this.ctx.trainer.sampleCount); this.batchGrad = this.ctx.trainer.grad.slice(); }
    return this.batchGrad;
  }

  sample(k: number): SampleDetail {
    return this.detail(k);
  }

  /** out of every neuron of a layer for sample k (for "used the wrong neuron's out"). */
  outs(layer: number, k: number): { name: string; value: number }[] {
    const d = this.detail(k);
    return this.ctx.model.layers[layer].names.slice(0, 64).map((name, i) => ({ name, value: d.out[layer][i] }));
  }
}

/** A known slip: the value it predicts, the factors it blames, and what it says. */
interface Slip { alt: number; marks: Factor[]; text: string }

/**
 * The slips that explain the written value best — every one of them when several predict it equally
 * well (to rounding error): naming one would be a guess the numbers cannot support.
 */
function bestSlips(slips: Slip[], w: number, near: (a: number, b: number) => boolean, explains: (alt: number) => boolean): Slip[] {
  const fits = slips.filter((s) => near(w, s.alt) && explains(s.alt));
  if (!fits.length) return [];
  const off = (s: Slip) => Math.abs(w - s.alt);
  const least = Math.min(...fits.map(off));
  const tie = least + 1e-9 * Math.max(Math.abs(w), Number.MIN_VALUE);
  const texts = new Set<string>();
  return fits.filter((s) => off(s) <= tie && !texts.has(s.text) && texts.add(s.text));
}

function report(best: Slip[], writtenText: string, mark: (f: Factor) => void): string {
  for (const s of best) s.marks.forEach(mark);
  if (best.length === 1) return best[0].text;
  return `${best.length} slips give ${writtenText} equally well: ${best.map((s, i) => `(${i + 1}) ${s.text}`).join('; ')}`;
}

const total = (paths: Factor[][], value: (f: Factor) => number) => paths.reduce((s, p) => s + p.reduce((m, f) => m * value(f), 1), 0);

/**
 * Forward values recomputed the ways a student goes wrong: with values they wrote (and got wrong)
 * carried on, with the weight of another edge, or without the bias.
 */
function forwardSlips(
  q: Quantity, written: Map<string, { value: number; ok: boolean }>, ev: Evaluator, ctx: TraceContext, f: (x: number) => string,
): Slip[] {
  const out: Slip[] = [];
  const { model, trainer } = ctx;
  const k = ('sample' in q && q.sample !== undefined ? q.sample : 1) - 1;
  const mine = (key: string) => { const m = written.get(key); return m && !m.ok ? m.value : undefined; };
  const c = lossScale(ctx.loss, trainer.sampleCount);
  if (q.kind === 'out' || q.kind === 'net') {
    // The value of a neighbour: out(h2) written for out(h1).
    const r = model.neurons.get(q.neuron)!;
    const d = ev.sample(k);
    const values = q.kind === 'out' ? d.out[r.layer] : d.net[r.layer];
    model.layers[r.layer].names.slice(0, 64).forEach((name, i) => {
      if (name !== q.neuron) out.push({ alt: values[i], marks: [], text: `this is ${q.kind}(${name}) = ${f(values[i])}, not ${q.kind}(${q.neuron})` });
    });
  }
  if (q.kind === 'after' && ctx.mode.kind === 'batch') {
    // One update p − η·g: the written value may use another rate, or add the step instead of subtracting it.
    const p = model.param(q.param)!;
    const old = trainer.params[p.slots[0]];
    const g = ev.batchGradient()[p.slots[0]];
    const eta = ctx.rate;
    if (g !== 0 && !trainer.isFrozen(p.slots[0])) {
      out.push({ alt: old + eta * g, marks: [], text: `moved up the gradient: ${q.param}' = ${q.param} − η·∂E/∂${q.param}, not + (η·∂E/∂${q.param} = ${f(eta * g)})` });
      for (const other of [eta / 10, eta * 10, 1, eta / 2, eta * 2]) {
        if (other !== eta) out.push({ alt: old - other * g, marks: [], text: `uses the rate ${f(other)} instead of η = ${f(eta)}` });
      }
    }
  }
  if (q.kind === 'out') {
    const r = model.neurons.get(q.neuron)!;
    const net = mine(`net(${q.neuron})[${k + 1}]`);
    if (r.layer > 0 && net !== undefined) {
      out.push({ alt: activate(model.layers[r.layer].activation!, net), marks: [], text: `follows from the wrong net(${q.neuron}) = ${f(net)} you wrote` });
    }
  }
  if (q.kind === 'E' && q.neuron !== undefined && (q.sample !== undefined || trainer.sampleCount === 1)) {
    const r = model.neurons.get(q.neuron)!;
    const o = mine(`out(${q.neuron})[${k + 1}]`);
    if (o !== undefined) { const d = trainer.sampleTargets(k)[r.index] - o; out.push({ alt: c * d * d, marks: [], text: `follows from the wrong out(${q.neuron}) = ${f(o)} you wrote` }); }
  }
  if (q.kind === 'E' && q.neuron === undefined && (q.sample !== undefined || trainer.sampleCount === 1)) {
    const d = ev.sample(k);
    const L = model.layers.length - 1;
    let withOuts = 0;
    const carried: string[] = [];
    let sumTerms = 0;
    const wrongTerms: string[] = [];
    model.outputNames.forEach((name, i) => {
      const o = mine(`out(${name})[${k + 1}]`) ?? d.out[L][i];
      if (o !== d.out[L][i]) carried.push(`out(${name}) = ${f(o)}`);
      const diff = trainer.sampleTargets(k)[i] - o;
      withOuts += c * diff * diff;
      // A term the student wrote wrong is carried into the sum; the others count at their exact value.
      const key = `E(${name})`;
      const term = written.has(key) ? key : written.has(`${key}[${k + 1}]`) ? `${key}[${k + 1}]` : undefined;
      const w = term ? written.get(term)! : undefined;
      if (w && !w.ok) { sumTerms += w.value; wrongTerms.push(`${term} = ${f(w.value)}`); } else {
        const exactDiff = trainer.sampleTargets(k)[i] - d.out[L][i];
        sumTerms += c * exactDiff * exactDiff;
      }
    });
    if (carried.length) out.push({ alt: withOuts, marks: [], text: `follows from the wrong ${carried.join(', ')} you wrote` });
    if (wrongTerms.length) out.push({ alt: sumTerms, marks: [], text: `follows from the wrong loss term${wrongTerms.length > 1 ? 's' : ''} you wrote, ${wrongTerms.join(', ')}` });
  }
  if (q.kind === 'net') {
    const r = model.neurons.get(q.neuron)!;
    if (r.layer === 0 || model.layers[r.layer - 1].names.length > 16) return out;
    const d = ev.sample(k);
    const prev = model.layers[r.layer - 1].names;
    const sources = prev.map((name, i) => {
      const wp = model.edgeParam(model.neurons.get(name)!, r);
      const own = mine(`out(${name})[${k + 1}]`);
      return { name, exact: d.out[r.layer - 1][i], own, param: wp.name, w: trainer.params[wp.slots[0]] };
    });
    // Other weights of the same layer a student may have read by mistake.
    const layerWeights: { name: string; value: number }[] = [];
    for (const t of model.layers[r.layer].names.slice(0, 16)) for (const sname of prev) {
      const wp = model.edgeParam(model.neurons.get(sname)!, model.neurons.get(t)!);
      layerWeights.push({ name: wp.name, value: trainer.params[wp.slots[0]] });
    }
    const bias = model.declaredParams.find((p) => p.kind === 'bias' && p.to.includes(q.neuron));
    const b = bias ? trainer.params[bias.slots[0]] : 0;
    const anyOwn = sources.some((x) => x.own !== undefined);
    for (const useOwn of anyOwn ? [false, true] : [false]) {
      const xs = sources.map((x) => (useOwn && x.own !== undefined ? x.own : x.exact));
      const carriedText = useOwn ? `carries your ${sources.filter((x) => x.own !== undefined).map((x) => `out(${x.name}) = ${f(x.own!)}`).join(', ')}` : '';
      const variants: { ws: number[]; text: string }[] = [{ ws: sources.map((x) => x.w), text: '' }];
      sources.forEach((x, i) => {
        for (const lw of layerWeights) {
          if (lw.name === x.param || lw.value === x.w) continue;
          const ws = sources.map((y) => y.w);
          ws[i] = lw.value;
          variants.push({ ws, text: `uses ${lw.name} = ${f(lw.value)} for ${x.name} -> ${q.neuron} instead of ${x.param} = ${f(x.w)}` });
        }
      });
      for (const v of variants) {
        for (const withBias of bias ? [true, false] : [true]) {
          if (!useOwn && !v.text && withBias) continue;
          let z = 0;
          xs.forEach((x, i) => { z += v.ws[i] * x; });
          if (withBias) z += b;
          const parts = [v.text, carriedText, withBias ? '' : `leaves out the bias ${bias!.name} = ${f(b)}`].filter(Boolean);
          out.push({ alt: z, marks: [], text: `net(${q.neuron}) ${parts.join(' and ')}` });
        }
      }
    }
  }
  return out;
}

/** " — out/(1−out)² instead of out(1 − out)" when a written derivative factor is a known wrong formula. */
function derivativeSlip(fa: Factor, value: number, near: (a: number, b: number) => boolean): string {
  if (!fa.derivative) return '';
  const { act, out } = fa.derivative;
  const record = ACTIVATION_RECORDS[act];
  const hit = record.wrongDerivatives.find((w) => { const v = w.value(fa.derivative!.net, out); return Math.abs(v - fa.exact) > 1e-12 && near(value, v); });
  return hit ? ` — ${hit.formula} instead of ${record.derivativeText}` : '';
}


export function runCheck(ctx: TraceContext, items: CheckItem[], within: number | undefined): CheckTrace {
  const notes = new LimitNotes();
  const b = base(ctx, notes);
  const ev = new Evaluator(ctx);
  const dg = ctx.digits;
  const f = (x: number) => formatNumber(x, dg);
  // First pass: every line's exact value and verdict, so a later line can refer to an earlier one.
  const first = items.map((item) => {
    const e = ev.evaluate(item.parsed);
    const tolerance = within ?? item.value.halfUnit;
    return { item, e, tolerance, ok: withinTolerance(item.value.value, e.exact, tolerance), key: quantityKey(item.parsed) };
  });
  const written = new Map(first.map((x) => [x.key, { value: x.item.value.value, ok: x.ok }]));
  const lines: CheckLine[] = first.map(({ item, e, tolerance, ok }) => {
    const w = item.value.value;
    const line: CheckLine = { line: item.line, quantity: item.quantity, writtenText: item.value.text, written: w, exact: e.exact, tolerance, ok };
    const flat = e.paths?.flat() ?? [];
    const factors: CheckFactor[] = flat.map((fa) => {
      const cf: CheckFactor = { label: fa.label, quantity: fa.quantity, exact: fa.exact, suspect: false };
      const mine = written.get(fa.key);
      if (mine) { cf.written = mine.value; cf.ok = mine.ok; }
      return cf;
    });
    const mark = (fa: Factor) => { const i = flat.indexOf(fa); if (i >= 0) factors[i].suspect = true; };
    if (!ok) line.diagnosis = diagnose(item.parsed, w, item.value.text, e, tolerance, flat, written, mark, ev, ctx, f);
    if (factors.length > 1 || (factors.length === 1 && item.parsed.kind !== 'dout/dnet')) line.factors = factors;
    return line;
  });
  const failed = lines.filter((l) => !l.ok).length;
  return { ...b, kind: 'check', lines, passed: lines.length - failed, failed, limits: notes.build() };
}

function diagnose(
  q: Quantity, w: number, writtenText: string, e: Evaluated, tol: number, flat: Factor[],
  written: Map<string, { value: number; ok: boolean }>, mark: (f: Factor) => void,
  ev: Evaluator, ctx: TraceContext, f: (x: number) => string,
): string {
  // Students round every intermediate value to two or three digits, so a slip is recognised within 2%
  // — of the step for w' (0.25 − 0.00025 is not "within 2%" of 0.25 − 0.000025: the step is what was computed).
  const origin = q.kind === 'after' ? ctx.trainer.params[ctx.model.param(q.param)!.slots[0]] : 0;
  const near = (a: number, b: number) => Math.abs(a - b) <= Math.max(tol * 1.01, 0.02 * Math.abs(b - origin), 1e-12);
  const exact = e.exact;
  // A slip must explain the written value clearly better than the exact value itself does.
  const explains = (alt: number) => Math.abs(w - alt) < 0.5 * Math.abs(w - exact);
  const paths = e.paths;

  // Factors the student also checked and got wrong, carried into this product: whichever of them,
  // substituted as written, reproduce the product (a later line may use a corrected factor).
  const self = quantityKey(q);
  const wrong = paths ? flat.filter((fa) => fa.key !== self && written.get(fa.key)?.ok === false) : [];
  const describe = (fas: Factor[]) => fas.map((fa) => `${fa.quantity} = ${f(written.get(fa.key)!.value)} (exact ${f(fa.exact)})${derivativeSlip(fa, written.get(fa.key)!.value, near)}`).join(', ');
  const wrongKeys = [...new Set(wrong.map((fa) => fa.key))].slice(0, 6);
  const withWritten = (keys: Set<string>) => total(paths ?? [], (fa) => (keys.has(fa.key) ? written.get(fa.key)!.value : fa.exact));
  const carried: Slip[] = [];
  for (let m = 1; m < 1 << wrongKeys.length; m++) {
    const keys = new Set(wrongKeys.filter((_, i) => m & (1 << i)));
    const fas = wrong.filter((fa) => keys.has(fa.key));
    carried.push({ alt: withWritten(keys), marks: fas, text: `follows from the wrong factor${fas.length > 1 ? 's' : ''} you wrote, ${describe(fas)}; with the exact factor${fas.length > 1 ? 's' : ''} the product is ${f(exact)}` });
  }
  const fromWritten = bestSlips(carried, w, near, explains);
  if (fromWritten.length) return report(fromWritten, writtenText, mark);
  // Each known slip predicts a value; the one closest to what was written (if close enough) wins.
  const slips: Slip[] = [];
  if (exact !== 0) {
    const lossFactor = flat.find((fa) => fa.quantity.startsWith('dE/dout('));
    slips.push({
      alt: -exact, marks: lossFactor ? [lossFactor] : [],
      text: `sign flipped: the exact value is ${f(exact)}${q.kind === 'dE/dout' || lossFactor ? ' — ∂E/∂out of an output is (out − target) scaled by the loss, not (target − out)' : ''}`,
    });
  }
  // A wrong activation derivative, alone or inside a product.
  const derivs = q.kind === 'dout/dnet' ? flat.slice(0, 1) : flat.filter((fa) => fa.derivative);
  for (const fa of derivs) {
    const { act, out, net } = fa.derivative!;
    const record = ACTIVATION_RECORDS[act];
    const neuron = /^dout\((.*)\)\/dnet/.exec(fa.quantity)![1];
    const kk = ('sample' in q && q.sample !== undefined ? q.sample : 1);
    const own = written.get(`out(${neuron})[${kk}]`);
    // A derivative written through out can follow from the student's own wrong out.
    if (own && !own.ok && !record.trivialDerivative && record.derivative(net, own.value) !== record.derivative(net, out)) {
      const value = record.derivative(net, own.value);
      slips.push({ alt: paths ? total(paths, (x) => (x === fa ? value : x.exact)) : value, marks: [fa], text: `follows from the wrong out(${neuron}) = ${f(own.value)} you wrote: ${record.derivativeText} = ${f(value)}` });
      for (const w of record.wrongDerivatives) {
        const v2 = w.value(net, own.value);
        slips.push({ alt: paths ? total(paths, (x) => (x === fa ? v2 : x.exact)) : v2, marks: [fa], text: `wrong activation derivative: ${fa.quantity} of ${act} is ${record.derivativeText}, but ${w.formula} was used, with your out(${neuron}) = ${f(own.value)}` });
      }
    }
    for (const w of record.wrongDerivatives) {
      const value = w.value(net, out);
      if (Math.abs(value - fa.exact) <= 1e-12) continue;
      slips.push({
        alt: paths ? total(paths, (x) => (x === fa ? value : x.exact)) : value, marks: [fa],
        text: `wrong activation derivative: ${fa.quantity} of ${act} is ${record.derivativeText} = ${f(fa.exact)}, but ${w.formula} = ${f(value)} was used`,
      });
    }
  }
  if (paths) {
    for (const fa of flat) {
      if (near(fa.exact, 1) || fa.exact === 0) continue;
      const alt = total(paths, (x) => (x === fa ? 1 : x.exact));
      slips.push({ alt, marks: [fa], text: `the factor ${fa.quantity} = ${f(fa.exact)} seems to be left out: without it the product is ${f(alt)}; with it, ${f(exact)}` });
    }
    if (paths.length > 1) {
      for (const p of paths) {
        const term = p.reduce((m, x) => m * x.exact, 1);
        const through = p[0].quantity.replace(/^dE\/dout\((.*)\)$/, '$1');
        slips.push({ alt: exact - term, marks: p, text: `a term of the sum is missing: the path through ${through} (${f(term)}) was left out` });
      }
    }
    // The out of another neuron used for ∂net/∂w.
    const k = ('sample' in q && q.sample !== undefined ? q.sample : 1) - 1;
    for (const fa of flat) {
      if (!fa.source) continue;
      for (const o of ev.outs(fa.source.layer, k)) {
        if (o.name === fa.source.neuron) continue;
        slips.push({ alt: total(paths, (x) => (x === fa ? o.value : x.exact)), marks: [fa], text: `${fa.quantity} is out(${fa.source.neuron}) = ${f(fa.exact)}, but out(${o.name}) = ${f(o.value)} seems to have been used` });
      }
    }
  }
  slips.push(...forwardSlips(q, written, ev, ctx, f));
  const best = bestSlips(slips, w, near, explains);
  if (best.length) return report(best, writtenText, mark);
  if (q.kind === 'E') {
    if (near(w, 2 * exact)) return `twice the exact value: the factor in front of Σ(t − o)² (${f(lossScale(ctx.loss, ctx.trainer.sampleCount))} for ${ctx.loss}) seems to be left out`;
    if (near(w, exact / 2)) return `half the exact value: ${ctx.loss} has no extra ½ here`;
  }
  const diff = Math.abs(w - exact);
  const unit = 2 * tol;
  if (Math.abs(w - Math.trunc(exact / unit) * unit) <= unit * 1e-6 && Math.abs(exact) >= unit) {
    return `cut off instead of rounded: ${f(exact)} rounds to ${f(Math.round(exact / unit) * unit)} at the digit you wrote`;
  }
  // Rounding carried through a product compounds; a single value rounded to three digits is off by ≤ 0.5%.
  if (diff <= (paths && flat.length > 1 ? 0.02 : 0.006) * Math.abs(exact - origin)) {
    return `close but not within tolerance (off by ${f(diff)}, allowed ${f(tol)}): a rounded intermediate value was probably carried on — keep more digits until the end`;
  }
  const copied = digitSlip(writtenText, exact);
  if (copied) return copied;
  // Rounded or cut off after the shift, so within a few percent rather than half a unit.
  const ratio = w / exact;
  if (exact !== 0 && (Math.abs(ratio - 10) <= 0.3 || Math.abs(ratio - 0.1) <= 0.003)) {
    return `${ratio > 1 ? 'ten times' : 'a tenth of'} the exact value ${f(exact)}: the decimal point seems to have slipped by one place`;
  }
  if (wrong.length) {
    // Not marked as the slip: substituted as written, these factors do not give the written value.
    const given = withWritten(new Set(wrong.map((fa) => fa.key)));
    return `the factors as written do not explain ${writtenText}: they give ${f(given)}, the exact ones ${f(exact)}. Wrong among them: ${describe(wrong)}`;
  }
  if (paths && flat.length > 1) {
    return `no single slip explains ${f(w)}; the exact value is ${f(exact)} — compare each factor below with yours`;
  }
  return `the exact value is ${f(exact)}`;
}

/**
 * The written value is the exact one, rounded to the digits written, with one digit changed, two
 * neighbouring digits swapped, or one digit left out: a copying slip rather than a computing one.
 */
function digitSlip(writtenText: string, exact: number): string | undefined {
  const m = /^([+-]?)(\d*)[.,]?(\d*)$/.exec(writtenText.replace('\u2212', '-'));
  if (!m || (m[1] === '-') !== (exact < 0)) return undefined;
  const decimals = m[3].length;
  const digitsOf = (x: string) => x.replace('.', '').replace(/^0+(?=\d)/, '');
  const mine = digitsOf(`${m[2]}.${m[3]}`);
  const right = digitsOf(Math.abs(exact).toFixed(decimals));
  if (mine.length < 3) return undefined;
  // A digit left out: of the integer part (0.105905967 for 1.105905967), or of the decimals (then the
  // exact value has one more decimal than was written).
  const longer = digitsOf(Math.abs(exact).toFixed(Math.min(100, decimals + 1)));
  const leftOut = right.slice(1) === mine ? right : [...longer].some((_, i) => longer.slice(0, i) + longer.slice(i + 1) === mine) ? longer : undefined;
  if (leftOut) return `a digit seems to be left out: the exact value is ${m[1]}${Math.abs(exact).toFixed(leftOut === right ? decimals : Math.min(100, decimals + 1))}`;
  if (mine.length !== right.length) return undefined;
  const at: number[] = [];
  for (let i = 0; i < mine.length; i++) if (mine[i] !== right[i]) at.push(i);
  const shown = `${m[1]}${Math.abs(exact).toFixed(decimals)}`;
  if (at.length === 1) return `one digit differs from the exact value rounded to your digits, ${shown}: ${mine[at[0]]} where it has ${right[at[0]]} — a slip in copying?`;
  if (at.length === 2 && at[1] === at[0] + 1 && mine[at[0]] === right[at[1]] && mine[at[1]] === right[at[0]]) {
    return `two neighbouring digits are swapped: the exact value rounded to your digits is ${shown}`;
  }
  return undefined;
}
