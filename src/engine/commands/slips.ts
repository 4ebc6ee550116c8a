/**
 * Slips of the backward pass that `check` can name, each a candidate (ranking.ts) predicting a
 * value: a flipped sign, a wrong activation derivative, the loss factor of a gradient, a factor left
 * out, another neuron's out, the target or a weight written for a factor, and the student's own wrong
 * factors carried on. Activation slips come from the activation records (`wrongDerivatives`),
 * loss-factor slips from the loss records (`slips`, `wrongDerivatives`); this module knows neither
 * an activation nor a loss by name. Slips inside the sums of hidden neurons are in hidden-slips.ts.
 */
import type { Quantity } from '../language/syntax';
import { elementwise } from '../math/activations';
import { lossRecord } from '../math/losses';
import type { TraceContext } from '../trace/build';
import { replacing, total, type Evaluator, type Factor } from './evaluate';
import { keyOf, quantityKey } from './quantities';
import type { Candidate, Fit, SlipFamily } from './ranking';

/** What the student wrote on each line of the block, by quantity key, and whether it was right. */
export type Written = Map<string, { value: number; ok: boolean }>;

/** A wrong check line and everything known around it. */
export interface Case extends Fit {
  q: Quantity;
  /** 0-based sample of the quantity (0 for a sum over the batch). */
  k: number;
  /** True when the line is a sum over a batch of several samples (see quantities.ts). */
  sum: boolean;
  writtenText: string;
  /** One unit of the last digit written (0.001 for 0.359). */
  unit: number;
  paths?: Factor[][];
  /** Every factor of `paths`, in order. */
  flat: Factor[];
  written: Written;
  ev: Evaluator;
  ctx: TraceContext;
  f: (x: number) => string;
}

export const candidate = (family: SlipFamily, id: string, alt: number, text: string, marks: Factor[] = []): Candidate => ({ family, id, alt, text, marks });

/** Quantities that are gradients of E: linear in every output's ∂E/∂out. */
export const isGradient = (q: Quantity): boolean => q.kind === 'dE/dout' || q.kind === 'dE/dnet' || q.kind === 'dE/dparam';

export const isOutput = (c: Pick<Case, 'ctx'>, neuron: string): boolean => c.ctx.model.neurons.get(neuron)!.layer === c.ctx.model.layers.length - 1;

/** Factors of the product that the student also wrote, on another line, and got wrong. */
export function wrongFactors(c: Case): Factor[] {
  const self = quantityKey(c.q, c.ev.sampleCount);
  return c.paths ? c.flat.filter((fa) => fa.key !== self && c.written.get(fa.key)?.ok === false) : [];
}

/** The product with the student's own values for the factors whose keys are in `keys`. */
export function withWritten(c: Case, keys: Set<string>): number {
  return total(c.paths ?? [], (fa) => (keys.has(fa.key) ? c.written.get(fa.key)!.value : fa.exact));
}

/** "dout(o1)/dnet(o1) = 12.154 (exact 0.186816) — out/(1−out)² instead of out(1 − out)", … */
export function describeWritten(c: Case, fas: Factor[]): string {
  return fas.map((fa) => {
    const mine = c.written.get(fa.key)!.value;
    return `${fa.quantity} = ${c.f(mine)} (exact ${c.f(fa.exact)})${derivativeSlip(fa, mine, c.near)}`;
  }).join(', ');
}

/**
 * Factors the student also checked and got wrong, carried into this product: whichever of them,
 * substituted as written, reproduce the product (a later line may use a corrected factor).
 */
export function carriedFactorSlips(c: Case): Candidate[] {
  const wrong = wrongFactors(c);
  const keys = [...new Set(wrong.map((fa) => fa.key))].slice(0, 6);
  const slips: Candidate[] = [];
  for (let m = 1; m < 1 << keys.length; m++) {
    const chosen = new Set(keys.filter((_, i) => m & (1 << i)));
    const fas = wrong.filter((fa) => chosen.has(fa.key));
    const s = fas.length > 1 ? 's' : '';
    slips.push(candidate('carried', `carried:${[...chosen].join(',')}`, withWritten(c, chosen),
      `follows from the wrong factor${s} you wrote, ${describeWritten(c, fas)}; with the exact factor${s} the product is ${c.f(c.exact)}`, fas));
  }
  return slips;
}

/** The slips of a gradient or a factor of one sample, computed from exact inputs. */
export function productSlips(c: Case): Candidate[] {
  return [
    ...signSlips(c), ...derivativeSlips(c), ...lossFactorSlips(c), ...lossDerivativeSlips(c),
    ...(c.paths ? pathSlips(c, c.paths) : []), ...ownFactorSlips(c),
  ];
}

/** A sign flipped: of the whole value, most often in ∂E/∂out of an output ((t − out) for (out − t)). */
export function signSlips(c: Case): Candidate[] {
  if (c.exact === 0 || c.q.kind === 'after' || c.q.kind === 'value') return [];
  const lossFactor = c.flat.find((fa) => fa.role === 'dE/dout');
  const hint = lossRecord(c.ctx.loss).signHint ?? ' — ∂E/∂out of an output is (out − target) scaled by the loss, not (target − out)';
  const why = c.q.kind === 'dE/dout' || lossFactor || (c.q.kind === 'E' && lossRecord(c.ctx.loss).signHint) ? hint : '';
  return [candidate('sign', 'sign', -c.exact, `sign flipped: the exact value is ${c.f(c.exact)}${why}`, lossFactor ? [lossFactor] : [])];
}

/** The value of a product (or of the factor alone) with `fa` replaced by `v`. */
const withFactor = (c: Case, fa: Factor, v: number): number => (c.paths ? replacing(c.paths, fa, v) : v);

/** A wrong activation derivative, alone or inside a product, possibly from the student's own wrong out. */
function derivativeSlips(c: Case): Candidate[] {
  // A layer-wise activation's Jacobian entry has no elementwise derivative to get wrong (its slips are the record's).
  const derivs = (c.q.kind === 'dout/dnet' ? c.flat.slice(0, 1) : c.flat).filter((fa) => fa.derivative);
  return derivs.flatMap((fa) => [...ownOutSlips(c, fa), ...wrongFormulaSlips(c, fa)]);
}

/** A derivative written through out can follow from the student's own wrong out. */
function ownOutSlips(c: Case, fa: Factor): Candidate[] {
  const { act, out, net } = fa.derivative!;
  const record = elementwise(act);
  const own = c.written.get(keyOf.out(fa.neuron, c.k));
  if (!record || !own || own.ok || record.trivialDerivative || record.derivative(net, own.value) === record.derivative(net, out)) return [];
  const value = record.derivative(net, own.value);
  const mine = `out(${fa.neuron}) = ${c.f(own.value)}`;
  return [
    candidate('carried', `own-out:${fa.key}`, withFactor(c, fa, value), `follows from the wrong ${mine} you wrote: ${record.derivativeText} = ${c.f(value)}`, [fa]),
    ...record.wrongDerivatives.map((w) => candidate('activation-derivative', `own-out:${fa.key}:${w.formula}`, withFactor(c, fa, w.value(net, own.value)),
      `wrong activation derivative: ${fa.quantity} of ${act} is ${record.derivativeText}, but ${w.formula} was used, with your ${mine}`, [fa])),
  ];
}

function wrongFormulaSlips(c: Case, fa: Factor): Candidate[] {
  const { act, out, net } = fa.derivative!;
  const record = elementwise(act);
  if (!record) return [];
  return record.wrongDerivatives.flatMap((w) => {
    const value = w.value(net, out);
    if (Math.abs(value - fa.exact) <= 1e-12) return [];
    return [candidate('activation-derivative', `derivative:${fa.neuron}:${w.formula}`, withFactor(c, fa, value),
      `wrong activation derivative: ${fa.quantity} of ${act} is ${record.derivativeText} = ${c.f(fa.exact)}, but ${w.formula} = ${c.f(value)} was used`, [fa])];
  });
}

/** " — out/(1−out)² instead of out(1 − out)" when a written derivative factor is a known wrong formula. */
export function derivativeSlip(fa: Factor, value: number, near: (a: number, b: number) => boolean): string {
  if (!fa.derivative) return '';
  const { act, out, net } = fa.derivative;
  const record = elementwise(act);
  if (!record) return '';
  const hit = record.wrongDerivatives.find((w) => { const v = w.value(net, out); return Math.abs(v - fa.exact) > 1e-12 && near(value, v); });
  return hit ? ` — ${hit.formula} instead of ${record.derivativeText}` : '';
}

/**
 * The loss's own slips in the loss factor (the ½ dropped, a sum taken for a mean, …): each a known
 * multiple of every output's ∂E/∂out, so of every gradient too, as the loss record lists them.
 */
export function lossFactorSlips(c: Case): Candidate[] {
  if (!isGradient(c.q)) return [];
  const N = c.ctx.trainer.sampleCount;
  const factor = c.flat.find((fa) => fa.role === 'dE/dout' && fa.output);
  return lossRecord(c.ctx.loss).slips.flatMap((slip, i) => {
    const times = slip.factor(N);
    if (times === 1) return [];
    const alt = c.exact * times;
    const text = factor
      ? `${slip.text}: ${factor.quantity} is ${c.f(factor.exact)}, not ${c.f(factor.exact * times)}`
      : `${slip.text}: the exact value is ${c.f(c.exact)}, not ${c.f(alt)}`;
    return [candidate('loss-factor', `loss-factor:${i}`, alt, text, factor ? [factor] : [])];
  });
}

/** A wrong derivative of the loss ((−t − out) for (out − t)) in every output's ∂E/∂out, alone or in a product. */
function lossDerivativeSlips(c: Case): Candidate[] {
  const record = lossRecord(c.ctx.loss);
  const own = c.q.kind === 'dE/dout' && !c.paths && isOutput(c, c.q.neuron) ? [c.ev.doutFactor(c.q.neuron, c.k)] : [];
  const factors = own.length ? own : c.flat.filter((fa) => fa.role === 'dE/dout' && fa.output);
  if (!factors.length) return [];
  const d = c.ev.sample(c.k);
  const targets = c.ctx.trainer.sampleTargets(c.k);
  return (record.wrongDerivatives ?? []).map((wd) => {
    const wrong = (fa: Factor) => { const r = c.ev.ref(fa.neuron); return wd.value(d.out[r.layer][r.index], targets[r.index], c.ctx.trainer.sampleCount); };
    const alt = own.length ? wrong(own[0]) : total(c.paths!, (fa) => (factors.includes(fa) ? wrong(fa) : fa.exact));
    const fa = factors[0];
    return candidate('loss-derivative', `loss-derivative:${wd.formula}`, alt,
      `∂E/∂out(${fa.neuron}) of ${record.name} is ${wd.right} = ${c.f(fa.exact)}, but ${wd.formula} = ${c.f(wrong(fa))} was used`, own.length ? [] : factors);
  });
}

/** Slips in the structure of a product: a factor left out, a bias's path left out, another neuron's out. */
function pathSlips(c: Case, paths: Factor[][]): Candidate[] {
  const slips: Candidate[] = [];
  for (const fa of c.flat) {
    // The decay's λ·w is a term of the sum, not a factor (its slips are the decay record's).
    if (c.near(fa.exact, 1) || fa.exact === 0 || fa.role === 'decay') continue;
    const alt = replacing(paths, fa, 1);
    slips.push(candidate('factor-left-out', `left-out:${fa.quantity}:${paths.findIndex((p) => p.includes(fa))}`, alt,
      `the factor ${fa.quantity} = ${c.f(fa.exact)} seems to be left out: without it the product is ${c.f(alt)}; with it, ${c.f(c.exact)}`, [fa]));
  }
  // A shared bias adds one path per neuron it feeds (a hidden neuron's own sum is hidden-slips.ts's).
  if (paths.length > 1 && c.q.kind === 'dE/dparam') {
    for (const p of paths) {
      if (p[0].role === 'decay') continue;
      const term = p.reduce((m, x) => m * x.exact, 1);
      slips.push(candidate('term-left-out', `term:${p[0].neuron}`, c.exact - term, `a term of the sum is missing: the path through ${p[0].neuron} (${c.f(term)}) was left out`, p));
    }
  }
  for (const fa of c.flat) {
    if (!fa.source) continue;
    for (const o of c.ev.outs(fa.source.layer, c.k)) {
      if (o.name === fa.source.neuron) continue;
      slips.push(candidate('source-out', `source-out:${fa.key}:${o.name}`, replacing(paths, fa, o.value),
        `${fa.quantity} is out(${fa.source.neuron}) = ${c.f(fa.exact)}, but out(${o.name}) = ${c.f(o.value)} seems to have been used`, [fa]));
    }
  }
  return slips;
}

/** A factor written on its own line as something else: ∂E/∂out as the target, ∂net/∂w as another out or as the weight. */
function ownFactorSlips(c: Case): Candidate[] {
  const { q } = c;
  if (q.kind === 'dE/dout' && !c.paths && isOutput(c, q.neuron)) {
    const targets = c.ctx.trainer.sampleTargets(c.k);
    return c.ctx.model.outputNames.slice(0, 64).map((name, i) => candidate('target', `target:${name}`, targets[i], name === q.neuron
      ? `the target of ${name}, ${c.f(targets[i])}, was written for ∂E/∂out(${name}); ∂E/∂out(${name}) is ${c.f(c.exact)}`
      : `the target of ${name}, ${c.f(targets[i])}, was written for ∂E/∂out(${q.neuron}) = ${c.f(c.exact)}`));
  }
  if (q.kind !== 'dnet/dparam') return [];
  const p = c.ev.param(q.param);
  if (p.kind !== 'weight') return [];
  const from = c.ev.ref(p.from!);
  const feeds = p.to[0] === q.neuron;
  const right = feeds ? `∂net(${q.neuron})/∂${p.name} is out(${p.from})` : `${p.name} feeds ${p.to[0]}, not ${q.neuron}: ∂net(${q.neuron})/∂${p.name} is 0`;
  const slips = c.ev.outs(from.layer, c.k).filter((o) => !feeds || o.name !== p.from).map((o) =>
    candidate('source-out', `dnet-out:${o.name}`, o.value, `out(${o.name}) = ${c.f(o.value)} was written, but ${right}`));
  const w = c.ctx.trainer.params[p.slots[0]];
  if (feeds) slips.push(candidate('weight-for-out', 'dnet-weight', w, `the weight ${p.name} = ${c.f(w)} is ∂net(${q.neuron})/∂out(${p.from}); ${right} = ${c.f(c.exact)}`));
  const own = c.written.get(keyOf.out(p.from!, c.k));
  if (feeds && own && !own.ok) slips.push(candidate('carried', 'dnet-own-out', own.value, `follows from the wrong out(${p.from}) = ${c.f(own.value)} you wrote: ${right}`));
  return slips;
}
