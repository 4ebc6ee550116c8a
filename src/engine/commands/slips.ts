/**
 * Slips of the backward pass that `check` can name: each known slip predicts a value, and the ones
 * that reproduce what the student wrote are named. Activation slips come from the activation records
 * (`wrongDerivatives`), loss-factor slips from the loss records (`slips`); this module knows neither
 * an activation nor a loss by name.
 */
import type { Quantity } from '../language/syntax';
import { elementwise } from '../math/activations';
import { lossRecord } from '../math/losses';
import type { TraceContext } from '../trace/build';
import { replacing, total, type Evaluator, type Factor } from './evaluate';
import { keyOf, quantityKey } from './quantities';

/** What the student wrote on each line of the block, by quantity key, and whether it was right. */
export type Written = Map<string, { value: number; ok: boolean }>;

/** A wrong check line and everything known around it. */
export interface Case {
  q: Quantity;
  /** 0-based sample of the quantity. */
  k: number;
  /** The value written, as a number and as written. */
  w: number;
  writtenText: string;
  exact: number;
  tolerance: number;
  paths?: Factor[][];
  /** Every factor of `paths`, in order. */
  flat: Factor[];
  written: Written;
  ev: Evaluator;
  ctx: TraceContext;
  f: (x: number) => string;
  /** Within rounding of each other (2 %, or the tolerance). */
  near: (a: number, b: number) => boolean;
  /** A predicted value explains the written one clearly better than the exact value does. */
  explains: (alt: number) => boolean;
}

/** A known slip: the value it predicts, the factors it blames, and what it says. */
export interface Slip { alt: number; marks: Factor[]; text: string }

/**
 * The slips that explain the written value best — every one of them when several predict it equally
 * well (to rounding error): naming one would be a guess the numbers cannot support.
 */
export function bestSlips(slips: Slip[], c: Case): Slip[] {
  const fits = slips.filter((s) => c.near(c.w, s.alt) && c.explains(s.alt));
  if (!fits.length) return [];
  const off = (s: Slip) => Math.abs(c.w - s.alt);
  const least = Math.min(...fits.map(off));
  const tie = least + 1e-9 * Math.max(Math.abs(c.w), Number.MIN_VALUE);
  const texts = new Set<string>();
  return fits.filter((s) => off(s) <= tie && !texts.has(s.text) && texts.add(s.text));
}

export function report(best: Slip[], writtenText: string, mark: (f: Factor) => void): string {
  for (const s of best) s.marks.forEach(mark);
  if (best.length === 1) return best[0].text;
  return `${best.length} slips give ${writtenText} equally well: ${best.map((s, i) => `(${i + 1}) ${s.text}`).join('; ')}`;
}

/** Factors of the product that the student also wrote, on another line, and got wrong. */
export function wrongFactors(c: Case): Factor[] {
  const self = quantityKey(c.q);
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
export function carriedFactorSlips(c: Case): Slip[] {
  const wrong = wrongFactors(c);
  const keys = [...new Set(wrong.map((fa) => fa.key))].slice(0, 6);
  const slips: Slip[] = [];
  for (let m = 1; m < 1 << keys.length; m++) {
    const chosen = new Set(keys.filter((_, i) => m & (1 << i)));
    const fas = wrong.filter((fa) => chosen.has(fa.key));
    const s = fas.length > 1 ? 's' : '';
    slips.push({ alt: withWritten(c, chosen), marks: fas, text: `follows from the wrong factor${s} you wrote, ${describeWritten(c, fas)}; with the exact factor${s} the product is ${c.f(c.exact)}` });
  }
  return slips;
}

/** The slips of a value or a chain-rule product computed from exact inputs. */
export function productSlips(c: Case): Slip[] {
  return [...signSlips(c), ...derivativeSlips(c), ...lossFactorSlips(c), ...(c.paths ? pathSlips(c, c.paths) : [])];
}

function signSlips(c: Case): Slip[] {
  if (c.exact === 0) return [];
  const lossFactor = c.flat.find((fa) => fa.role === 'dE/dout');
  const hint = lossRecord(c.ctx.loss).signHint ?? ' — ∂E/∂out of an output is (out − target) scaled by the loss, not (target − out)';
  const why = c.q.kind === 'dE/dout' || lossFactor || (c.q.kind === 'E' && lossRecord(c.ctx.loss).signHint) ? hint : '';
  return [{ alt: -c.exact, marks: lossFactor ? [lossFactor] : [], text: `sign flipped: the exact value is ${c.f(c.exact)}${why}` }];
}

/** The value of a product (or of the factor alone) with `fa` replaced by `v`. */
const withFactor = (c: Case, fa: Factor, v: number): number => (c.paths ? replacing(c.paths, fa, v) : v);

/** A wrong activation derivative, alone or inside a product, possibly from the student's own wrong out. */
function derivativeSlips(c: Case): Slip[] {
  // A layer-wise activation's Jacobian entry has no elementwise derivative to get wrong (its slips are the record's).
  const derivs = (c.q.kind === 'dout/dnet' ? c.flat.slice(0, 1) : c.flat).filter((fa) => fa.derivative);
  return derivs.flatMap((fa) => [...ownOutSlips(c, fa), ...wrongFormulaSlips(c, fa)]);
}

/** A derivative written through out can follow from the student's own wrong out. */
function ownOutSlips(c: Case, fa: Factor): Slip[] {
  const { act, out, net } = fa.derivative!;
  const record = elementwise(act);
  const own = c.written.get(keyOf.out(fa.neuron, c.k));
  if (!record || !own || own.ok || record.trivialDerivative || record.derivative(net, own.value) === record.derivative(net, out)) return [];
  const value = record.derivative(net, own.value);
  const mine = `out(${fa.neuron}) = ${c.f(own.value)}`;
  return [
    { alt: withFactor(c, fa, value), marks: [fa], text: `follows from the wrong ${mine} you wrote: ${record.derivativeText} = ${c.f(value)}` },
    ...record.wrongDerivatives.map((w) => ({
      alt: withFactor(c, fa, w.value(net, own.value)), marks: [fa],
      text: `wrong activation derivative: ${fa.quantity} of ${act} is ${record.derivativeText}, but ${w.formula} was used, with your ${mine}`,
    })),
  ];
}

function wrongFormulaSlips(c: Case, fa: Factor): Slip[] {
  const { act, out, net } = fa.derivative!;
  const record = elementwise(act);
  if (!record) return [];
  return record.wrongDerivatives.flatMap((w) => {
    const value = w.value(net, out);
    if (Math.abs(value - fa.exact) <= 1e-12) return [];
    return [{
      alt: withFactor(c, fa, value), marks: [fa],
      text: `wrong activation derivative: ${fa.quantity} of ${act} is ${record.derivativeText} = ${c.f(fa.exact)}, but ${w.formula} = ${c.f(value)} was used`,
    }];
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
 * The loss's own slips in an output's ∂E/∂out (the ½ dropped, a sum taken for a mean, …): each one
 * a known multiple of the right factor, as the loss record lists them.
 */
function lossFactorSlips(c: Case): Slip[] {
  const N = c.ctx.trainer.sampleCount;
  const record = lossRecord(c.ctx.loss);
  const own = c.q.kind === 'dE/dout' && !c.paths && c.ctx.model.neurons.get(c.q.neuron)!.layer === c.ctx.model.layers.length - 1;
  const factors = c.flat.filter((fa) => fa.role === 'dE/dout' && fa.output);
  const slips: Slip[] = [];
  for (const slip of record.slips) {
    const times = slip.factor(N);
    if (times === 1) continue;
    if (own) slips.push({ alt: c.exact * times, marks: [], text: `${slip.text}: the exact value is ${c.f(c.exact)}` });
    for (const fa of factors) {
      slips.push({ alt: withFactor(c, fa, fa.exact * times), marks: [fa], text: `${slip.text}: ${fa.quantity} is ${c.f(fa.exact)}, not ${c.f(fa.exact * times)}` });
    }
  }
  return slips;
}

/** Slips in the structure of a product: a factor left out, a term of the sum left out, a wrong source. */
function pathSlips(c: Case, paths: Factor[][]): Slip[] {
  const slips: Slip[] = [];
  for (const fa of c.flat) {
    // The decay's λ·w is a term of the sum, not a factor (its slips are the decay record's).
    if (c.near(fa.exact, 1) || fa.exact === 0 || fa.role === 'decay') continue;
    const alt = replacing(paths, fa, 1);
    slips.push({ alt, marks: [fa], text: `the factor ${fa.quantity} = ${c.f(fa.exact)} seems to be left out: without it the product is ${c.f(alt)}; with it, ${c.f(c.exact)}` });
  }
  if (paths.length > 1) {
    for (const p of paths) {
      if (p[0].role === 'decay') continue;
      const term = p.reduce((m, x) => m * x.exact, 1);
      slips.push({ alt: c.exact - term, marks: p, text: `a term of the sum is missing: the path through ${p[0].neuron} (${c.f(term)}) was left out` });
    }
  }
  // The out of another neuron used for ∂net/∂w.
  for (const fa of c.flat) {
    if (!fa.source) continue;
    for (const o of c.ev.outs(fa.source.layer, c.k)) {
      if (o.name === fa.source.neuron) continue;
      slips.push({ alt: replacing(paths, fa, o.value), marks: [fa], text: `${fa.quantity} is out(${fa.source.neuron}) = ${c.f(fa.exact)}, but out(${o.name}) = ${c.f(o.value)} seems to have been used` });
    }
  }
  return slips;
}
