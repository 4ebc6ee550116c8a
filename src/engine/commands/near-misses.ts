/**
 * Candidates for a wrong value that are not slips of the computation: the loss's scale in E itself
 * (the ½ left out, a sum taken for a mean), the decimal point moved, digits cut off instead of
 * rounded, a copying slip (a digit added, left out, changed, or two swapped), and rounding along the
 * way — named only when a chain of rounded intermediate values gives the written value.
 */
import { activationDerivative, activate } from '../math/activations';
import { lossDerivative, lossRecord, lossScale } from '../math/losses';
import { total } from './evaluate';
import type { Candidate, SlipFamily } from './ranking';
import { candidate, type Case } from './slips';

/** Significant digits a student is taken to round intermediate values to. */
const ROUNDED_DIGITS = [2, 3, 4];
/** A sum over a batch is recomputed from rounded per-sample values for at most this many samples. */
const MAX_ROUNDED_SAMPLES = 16;

export function nearMissSlips(c: Case): Candidate[] {
  return [...lossScaleSlips(c), ...decimalShift(c), ...cutOff(c), ...copySlips(c), ...roundedChains(c)];
}

/** The value `w'` is measured from: a slip of an update is judged by the step, not by the weight. */
export function originOf(c: Pick<Case, 'q' | 'ctx'>): number {
  return c.q.kind === 'after' ? c.ctx.trainer.params[c.ctx.model.param(c.q.param)!.slots[0]] : 0;
}

/** The loss record's slips as they show in E: ×2 for the ½ left out, ×N for a sum taken for a mean, … */
function lossScaleSlips(c: Case): Candidate[] {
  if (c.q.kind !== 'E') return [];
  const N = c.ev.sampleCount;
  return lossRecord(c.ctx.loss).slips.flatMap((s, i) => {
    const times = s.factor(N);
    return s.lossText && times !== 1 ? [candidate('loss-scale', `loss-scale:${i}`, c.exact * times, `${s.lossText}: the exact value is ${c.f(c.exact)}, not ${c.f(c.exact * times)}`)] : [];
  });
}

/** Ten times or a tenth of the exact value, rounded or cut off at the digits written. */
function decimalShift(c: Case): Candidate[] {
  if (c.exact === 0 || writtenDigits(c) < 2) return [];
  return [10, 0.1].flatMap((times) => {
    const shifted = c.exact * times;
    const text = `${times > 1 ? 'ten times' : 'a tenth of'} the exact value ${c.f(c.exact)}: the decimal point seems to have slipped by one place`;
    const cut = Math.trunc(shifted / c.unit) * c.unit;
    return [candidate('decimal-point', `decimal:${times}`, shifted, text), ...(cut !== shifted ? [candidate('decimal-point', `decimal-cut:${times}`, cut, text)] : [])];
  });
}

function cutOff(c: Case): Candidate[] {
  const unit = c.unit;
  if (writtenDigits(c) < 2) return [];
  const cut = Math.trunc(c.exact / unit) * unit;
  if (!(Math.abs(c.exact) >= unit) || Math.abs(cut - Math.round(c.exact / unit) * unit) < unit / 2) return [];
  return [candidate('cut-off', 'cut-off', cut, `cut off instead of rounded: ${c.f(c.exact)} rounds to ${c.f(Math.round(c.exact / unit) * unit)} at the digit you wrote`)];
}

/** Significant digits written: a single digit is too little to tell a copying slip by. */
function writtenDigits(c: Case): number {
  return c.w === 0 ? 0 : Math.floor(Math.log10(Math.abs(c.w) / c.unit) + 1e-9) + 1;
}

function copySlips(c: Case): Candidate[] {
  return digitSlips(c.writtenText, c.exact).map((s) => candidate(s.family, s.family, c.w, s.text));
}

/**
 * The written value is the exact one, at the digits written, with one digit added, left out or
 * changed, or two neighbouring digits swapped: a copying slip rather than a computing one. A digit is
 * added or left out in place — every other digit keeps its position around the decimal point — and
 * a last digit left out is a value cut off, not a copying slip.
 */
export function digitSlips(writtenText: string, exact: number): { family: SlipFamily; text: string }[] {
  const m = /^([+-]?)(\d*)[.,]?(\d*)$/.exec(writtenText.replace('\u2212', '-'));
  if (!m || (m[1] === '-') !== (exact < 0)) return [];
  const decimals = m[3].length;
  const fixed = (d: number) => Math.abs(exact).toFixed(Math.min(100, Math.max(0, d)));
  const mine = canonical(`${m[2]}${decimals ? `.${m[3]}` : ''}`);
  const digits = mine.replace('.', '').replace(/^0+/, '');
  if (digits.length < 3) return [];
  const shown = (d: number) => `${m[1]}${fixed(d)}`;
  const out: { family: SlipFamily; text: string }[] = [];
  // Left out: the integer part's digit (0.105905967 for 1.105905967), or one of one more decimals.
  const dropped = [decimals, decimals + 1].find((d) => withoutOne(fixed(d), false).has(mine));
  if (dropped !== undefined) out.push({ family: 'digit-dropped', text: `a digit seems to be left out: the exact value is ${shown(dropped)}` });
  // Added: a digit the exact value does not have (0.6922 for 0.692, 11.25 for 1.25).
  const fewer = withoutOne(mine, true);
  const added = fewer.has(canonical(fixed(decimals))) ? decimals
    : decimals > 0 && fixed(decimals) === `${fixed(decimals - 1)}${decimals === 1 ? '.' : ''}0` && fewer.has(canonical(fixed(decimals - 1))) ? decimals - 1 : undefined;
  if (added !== undefined) out.push({ family: 'digit-added', text: `a digit seems to be added: the exact value is ${shown(added)}` });
  const right = canonical(fixed(decimals));
  if (mine.length !== right.length) return out;
  const at: number[] = [];
  for (let i = 0; i < mine.length; i++) if (mine[i] !== right[i]) at.push(i);
  // The last digit off by one is as likely a rounding along the way as a copying slip.
  const lastByOne = at.length === 1 && at[0] === mine.length - 1 && Math.abs(Number(mine[at[0]]) - Number(right[at[0]])) === 1;
  if (at.length === 1 && !lastByOne) out.push({ family: 'digit-changed', text: `one digit differs from the exact value rounded to your digits, ${shown(decimals)}: ${mine[at[0]]} where it has ${right[at[0]]} — a slip in copying?` });
  if (at.length === 2 && at[1] === at[0] + 1 && mine[at[0]] === right[at[1]] && mine[at[1]] === right[at[0]]) {
    out.push({ family: 'digits-swapped', text: `two neighbouring digits are swapped: the exact value rounded to your digits is ${shown(decimals)}` });
  }
  return out;
}

/** A number's text without leading zeros in its integer part: `.5` and `00.5` are `0.5`. */
function canonical(text: string): string {
  const [int, dec] = text.split('.');
  const whole = int.replace(/^0+(?=\d)/, '') || '0';
  return dec ? `${whole}.${dec}` : whole;
}

/** Every text one digit shorter, the decimal point kept in place (the last digit too when `last`). */
function withoutOne(text: string, last: boolean): Set<string> {
  const out = new Set<string>();
  const lastDigit = text.search(/\d(?!.*\d)/);
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '.' || (!last && i === lastDigit)) continue;
    out.add(canonical(text.slice(0, i) + text.slice(i + 1)));
  }
  return out;
}

const roundTo = (x: number, d: number): number => (x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(d)));

/** The line's value computed from intermediate values each rounded to d significant digits. */
function roundedChains(c: Case): Candidate[] {
  return ROUNDED_DIGITS.flatMap((d) => {
    const r = roundedValue(c, d);
    return r ? [candidate('rounding', `rounding:${d}`, r.value,
      `rounding along the way: with ${r.what} rounded to ${d} significant digits, this is ${c.f(r.value)} — keep more digits until the end (the exact value is ${c.f(c.exact)})`)] : [];
  });
}

function roundedValue(c: Case, d: number): { value: number; what: string } | undefined {
  const { q, ev, ctx } = c;
  const rd = (x: number) => roundTo(x, d);
  if (c.sum && q.kind !== 'E') {
    if (ev.sampleCount > MAX_ROUNDED_SAMPLES) return undefined;
    let value = 0;
    for (let s = 0; s < ev.sampleCount; s++) value += rd(ev.ofSample(q, s).exact);
    return { value, what: "each sample's value" };
  }
  const dt = ev.sample(c.k);
  switch (q.kind) {
    case 'net': {
      const r = ev.ref(q.neuron);
      const prev = ctx.model.layers[r.layer - 1]?.names ?? [];
      if (r.layer === 0 || prev.length > 64) return undefined;
      const value = dt.net[r.layer][r.index] + prev.reduce((s, name, i) => s + ev.weight(ev.ref(name), r) * (rd(dt.out[r.layer - 1][i]) - dt.out[r.layer - 1][i]), 0);
      return { value, what: `the outs of layer ${r.layer - 1}` };
    }
    case 'out': {
      const r = ev.ref(q.neuron);
      if (r.layer === 0) return undefined;
      return { value: activate(ctx.model.layers[r.layer].activation!, rd(dt.net[r.layer][r.index])), what: `net(${q.neuron}) = ${c.f(dt.net[r.layer][r.index])}` };
    }
    case 'E': return roundedLoss(c, rd);
    case 'after': {
      const p = ev.param(q.param);
      // p − η·g: an optimizer with state rounds through its own rule (not carried here).
      if (ctx.trainer.optimizer.name !== 'sgd') return undefined;
      return { value: ctx.trainer.params[p.slots[0]] - ctx.rate * rd(ev.batchGradient()[p.slots[0]]), what: `∂E/∂${q.param}` };
    }
    case 'dE/dout':
      if (!c.paths) {
        const r = ev.ref(q.neuron);
        return { value: lossDerivative(ctx.loss, rd(dt.out[r.layer][r.index]), ctx.trainer.sampleTargets(c.k)[r.index], ev.sampleCount), what: `out(${q.neuron})` };
      }
      break;
    case 'dout/dnet': {
      const fa = c.flat[0];
      // An entry of a layer-wise Jacobian is computed from the whole layer's outs, not carried here.
      if (!fa.derivative) return undefined;
      const { act, net, out } = fa.derivative;
      return { value: activationDerivative(act, rd(net), rd(out)), what: `out(${fa.neuron})` };
    }
    default:
  }
  if (!c.paths || c.flat.length < 2) return undefined;
  return { value: total(c.paths, (fa) => rd(fa.exact)), what: 'each factor' };
}

/** E from rounded outs, or as a sum of rounded terms. */
function roundedLoss(c: Case, rd: (x: number) => number): { value: number; what: string } | undefined {
  const { ev, ctx } = c;
  const N = ev.sampleCount;
  const samples = c.sum ? N : 1;
  if (samples > MAX_ROUNDED_SAMPLES) return undefined;
  const scale = lossScale(ctx.loss, N);
  const L = ctx.model.layers.length - 1;
  const outputs = c.q.kind === 'E' && c.q.neuron !== undefined ? [ev.ref(c.q.neuron).index] : ctx.model.outputNames.map((_, i) => i);
  let value = 0;
  for (let s = 0; s < samples; s++) {
    const k = c.sum ? s : c.k;
    const t = ctx.trainer.sampleTargets(k);
    for (const i of outputs) { const diff = t[i] - rd(ev.sample(k).out[L][i]); value += scale * diff * diff; }
  }
  return { value, what: 'the outputs' };
}
