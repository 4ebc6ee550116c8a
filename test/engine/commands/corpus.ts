/**
 * The single-slip corpus: for each network (sigmoid, tanh, relu) × loss (all four) × batch (1 or 2
 * samples), one notebook per slip of docs/language.md and issue 8, each a `check` with exactly one
 * wrong line — the value the slip gives, computed from reference.ts by the slip's own formula — plus
 * controls: a notebook of right values only, and wrong values that no slip gives (the exact value
 * times 1.37 or 0.61), which must get no slip named.
 */
import type { SlipFamily } from '../../../src/engine/commands/ranking';
import { dE, dEdp, dOutdNet, forward, loss, lossScale, value, type Act, type Loss, type RefNet, written } from './reference';
import { MAZUR } from './helpers';

export interface CorpusCase {
  name: string;
  net: RefNet;
  /** The one check line, `QUANTITY = NUMBER`. */
  line: string;
  /** The families that give the written value: the slip made, and any that coincide with it here. */
  accept: SlipFamily[];
}

export interface Control { name: string; net: RefNet; lines: string[]; wrong: boolean }

export const ACTS: Act[] = ['sigmoid', 'tanh', 'relu'];
export const LOSSES: Loss[] = ['half-sse', 'sse', 'half-mse', 'mse'];

export function network(act: Act, lossName: Loss, samples: 1 | 2): RefNet {
  const second = { x: [0.3, 0.2], t: [0.6, 0.2] };
  return { ...MAZUR, act, loss: lossName, samples: samples === 1 ? MAZUR.samples : [...MAZUR.samples, second] };
}

/**
 * The loss-factor slips of each loss as factors of a gradient, and of E where they show there (the ½
 * left out or put in, ÷ N where the loss sums, the sum where it takes the mean).
 */
const LOSS_FACTORS: Record<Loss, ((n: number) => number)[]> = {
  'half-sse': [() => 2, (n) => 1 / n], sse: [() => 0.5, (n) => 1 / n], 'half-mse': [() => 2, (n) => n], mse: [() => 0.5, (n) => n],
};

/** ∂E/∂out of an output with (−t − out) for (out − t): c · 2 · (−t − out). */
const wrongDerivative = (n: RefNet, out: number, t: number) => lossScale[n.loss](n.samples.length) * 2 * (-t - out);

/** The activations' first wrong derivative in the records (out/(1−out)², out(1 − out), 0 for an on relu). */
const WRONG_DERIVATIVE: Record<Act, (out: number) => number> = {
  sigmoid: (o) => o / ((1 - o) * (1 - o)), tanh: (o) => o * (1 - o), relu: () => 0,
};

/** Slips written to `digits` significant digits; a slip too small to show at those digits is left out. */
export function slipCases(n: RefNet, digits = 4): CorpusCase[] {
  const N = n.samples.length;
  const sfx = N > 1 ? '[1]' : '';
  const v = forward(n, 0);
  const dnet = (m: string) => dE(n, m, 'net', 0);
  const fp = (m: string) => dOutdNet(n, m, 0);
  const g5 = dnet('o1') * v.out.h1;
  const h1With = (w7: number) => dnet('o1') * 0.4 + dnet('o2') * w7;
  const cases: [string, string, number, SlipFamily[], number?][] = [
    ['sign', `dE/dw5${sfx}`, -g5, ['sign']],
    // With relu, leaving out o2's term is also taking ∂out(o2)/∂net(o2) as 0 in it: both are named.
    ['term left out at ∂E/∂out(h1)', `dE/dout(h1)${sfx}`, dnet('o1') * 0.4, n.act === 'relu' ? ['term-left-out', 'activation-derivative'] : ['term-left-out']],
    ['∂E/∂w4 through o2 only', `dE/dw4${sfx}`, dnet('o2') * 0.55 * fp('h2') * 0.1, ['term-left-out']],
    ['∂E/∂net(h2) from o1 only', `dE/dnet(h2)${sfx}`, dnet('o1') * 0.45 * fp('h2'), ['term-left-out']],
    ['w6 for w7 at ∂E/∂out(h1)', `dE/dout(h1)${sfx}`, h1With(0.45), ['downstream-weight']],
    ['w6 for w7 at ∂E/∂net(h1)', `dE/dnet(h1)${sfx}`, h1With(0.45) * fp('h1'), ['downstream-weight']],
    ['w6 for w7 at ∂E/∂w1', `dE/dw1${sfx}`, h1With(0.45) * fp('h1') * 0.05, ['downstream-weight']],
    ['(−t − out) at ∂E/∂out(o1)', `dE/dout(o1)${sfx}`, wrongDerivative(n, v.out.o1, 0.01), ['loss-derivative']],
    ['(−t − out) inside ∂E/∂w5', `dE/dw5${sfx}`, wrongDerivative(n, v.out.o1, 0.01) * fp('o1') * v.out.h1, ['loss-derivative']],
    ['target for ∂E/∂out(o1)', `dE/dout(o1)${sfx}`, 0.99, ['target']],
    ['dnet(o2)/dw8 as out(h1)', `dnet(o2)/dw8${sfx}`, v.out.h1, ['source-out'], 6],
    ['out(h2) inside ∂E/∂w5', `dE/dw5${sfx}`, dnet('o1') * v.out.h2, ['source-out']],
    ['w4 for w3 in net(h2)', `net(h2)${sfx}`, 0.3 * 0.05 + 0.3 * 0.1 + 0.35, ['edge-weight']],
    ['bias left out of net(h2)', `net(h2)${sfx}`, 0.25 * 0.05 + 0.3 * 0.1, ['bias-left-out']],
    ['bias forgotten behind out(h1)', `out(h1)${sfx}`, forward({ ...n, biases: { ...n.biases, b1: [['h1', 'h2'], 0] } }, 0).out.h1, ['bias-left-out']],
    ['rate ×10', "w5'", 0.4 - 10 * n.rate * dEdp(n, 'w5'), ['rate']],
    ['up the gradient', "w5'", 0.4 + n.rate * dEdp(n, 'w5'), ['update-sign']],
  ];
  if (n.act !== 'relu') {
    cases.push(['factor left out', `dE/dw5${sfx}`, dE(n, 'o1', 'out', 0) * v.out.h1, ['factor-left-out']]);
  }
  cases.push(['wrong activation derivative', `dout(o1)/dnet(o1)${sfx}`, WRONG_DERIVATIVE[n.act](v.out.o1), ['activation-derivative']]);
  LOSS_FACTORS[n.loss].forEach((f, i) => {
    const times = f(N);
    if (times === 1) return;
    // Over two samples ÷ N and the factor 2 left out (or ×N and the ½ dropped) are one ×½ (×2): one notebook.
    if (LOSS_FACTORS[n.loss].findIndex((g) => g(N) === times) < i) return;
    cases.push([`loss factor ×${times} at ∂E/∂out(o1)`, `dE/dout(o1)${sfx}`, times * dE(n, 'o1', 'out', 0), ['loss-factor']]);
    cases.push([`loss factor ×${times} at ∂E/∂w1`, `dE/dw1${sfx}`, times * dEdp(n, 'w1', N > 1 ? 0 : undefined), ['loss-factor']]);
    cases.push([`loss scale ×${times} of E`, 'E', times * loss(n), ['loss-scale']]);
  });
  if (N > 1) {
    cases.push(['sample 1 for the sum at ∂E/∂w5', 'dE/dw5', dEdp(n, 'w5', 0), ['one-sample']]);
    cases.push(['sample 1 for the sum at ∂E/∂out(h1)', 'dE/dout(h1)', dE(n, 'h1', 'out', 0), ['one-sample']]);
    cases.push(['the sum for sample 1 at ∂E/∂w5[1]', 'dE/dw5[1]', dEdp(n, 'w5'), ['batch-for-sample']]);
    const every = [0, 1].reduce((s, k) => s + (dE(n, 'o1', 'net', k) * 0.4 + dE(n, 'o2', 'net', k) * 0.45) * dOutdNet(n, 'h1', k) * n.samples[k].x[0], 0);
    cases.push(['w6 for w7 in every sample at ∂E/∂w1', 'dE/dw1', every, ['downstream-weight']]);
  }
  const named = (name: string) => `${n.act} ${n.loss} ${N} sample${N > 1 ? 's' : ''}: ${name}`;
  return [
    ...cases.map(([name, q, x, accept, d]) => ({ name: named(name), net: n, line: `${q} = ${written(x, d ?? digits)}`, accept })),
    ...copyCases(n, sfx).map((c) => ({ ...c, name: named(c.name) })),
  ].filter((c) => visible(n, c.line));
}

/** The line is wrong at its digits: the exact value lies beyond half a unit of the last digit written. */
function visible(n: RefNet, line: string): boolean {
  const [q, text] = line.split(' = ');
  const decimals = text.split('.')[1]?.length ?? 0;
  return Math.abs(Number(text) - exactOf(n, q)) > 0.5 * 10 ** -decimals;
}

/** The exact value of a quantity the corpus writes, by reference (finite differences of E). */
export function exactOf(n: RefNet, q: string): number {
  const [, body, k] = /^(.*?)(?:\[(\d+)\])?$/.exec(q)!;
  const s = k === undefined ? undefined : Number(k) - 1;
  let m: RegExpExecArray | null;
  if (body === 'E') return s === undefined ? loss(n) : loss(n, undefined, [s]);
  if ((m = /^dE\/d(out|net)\((\w+)\)$/.exec(body))) return dE(n, m[2], m[1] as 'out' | 'net', s);
  if ((m = /^dout\((\w+)\)\/dnet\(\w+\)$/.exec(body))) return dOutdNet(n, m[1], s ?? 0);
  if ((m = /^dnet\((\w+)\)\/d(\w+)$/.exec(body))) {
    if (m[2] in n.biases) return n.biases[m[2]][0].includes(m[1]) ? 1 : 0;
    const [from, to] = n.weights[m[2]];
    return to === m[1] ? forward(n, s ?? 0).out[from] : 0;
  }
  if ((m = /^(net|out)\((\w+)\)$/.exec(body))) return forward(n, s ?? 0)[m[1] as 'net' | 'out'][m[2]];
  if ((m = /^(\w+)'$/.exec(body))) return value(n, m[1]) - n.rate * dEdp(n, m[1]);
  if ((m = /^dE\/d(\w+)$/.exec(body))) return dEdp(n, m[1], s);
  throw new Error(`the corpus has no reference for ${q}`);
}

/** Copying slips of out(o1), written from its exact digits; a digit added to ∂net/∂b = 1. */
function copyCases(n: RefNet, sfx: string): CorpusCase[] {
  const o = forward(n, 0).out.o1;
  const six = written(o, 6);
  const at = six.indexOf('.') + 3;
  const swap = (s: string, i: number) => s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
  let si = at;
  while (six[si] === six[si + 1]) si++;
  const changed = six.slice(0, at) + String((Number(six[at]) + 3) % 10) + six.slice(at + 1);
  const cases: [string, string, SlipFamily][] = [
    ['a digit dropped', six.slice(0, at) + six.slice(at + 1), 'digit-dropped'],
    ['two digits swapped', swap(six, si), 'digits-swapped'],
    ['one digit changed', changed, 'digit-changed'],
    ['the decimal point moved', written(10 * o, 4), 'decimal-point'],
  ];
  const out: CorpusCase[] = cases.map(([name, text, family]) => ({ name, net: n, line: `out(o1)${sfx} = ${text}`, accept: [family] }));
  out.push({ name: 'cut off', net: n, line: `out(o1)${sfx} = ${cutOff(o)}`, accept: ['cut-off'] });
  out.push({ name: 'a digit added', net: n, line: `dnet(h1)/db1${sfx} = 1.05`, accept: ['digit-added'] });
  return out;
}

/** The value cut off (not rounded) at the first number of decimals where the two differ. */
function cutOff(v: number): string {
  for (let d = 3; d < 12; d++) {
    const cut = Math.trunc(v * 10 ** d) / 10 ** d;
    if (cut.toFixed(d) !== v.toFixed(d)) return cut.toFixed(d);
  }
  throw new Error(`no digit of ${v} rounds up`);
}

/** All-right notebooks, and values no slip gives. */
export function controls(n: RefNet): Control[] {
  const N = n.samples.length;
  const v = forward(n, 0);
  const exact: [string, number][] = [
    ['E', loss(n)], ['net(h1)', v.net.h1], ['out(o1)', v.out.o1], ['dE/dw5', dEdp(n, 'w5')], ['dE/dw1', dEdp(n, 'w1')],
    ['dE/dout(h1)', dE(n, 'h1', 'out')], ['dE/dnet(o2)', dE(n, 'o2', 'net')], ['dout(o1)/dnet(o1)', dOutdNet(n, 'o1', 0)],
    ["w5'", 0.4 - n.rate * dEdp(n, 'w5')], ["w1'", 0.15 - n.rate * dEdp(n, 'w1')],
  ];
  const name = `${n.act} ${n.loss} ${N} sample${N > 1 ? 's' : ''}`;
  const right: Control = { name: `${name}: all right`, net: n, lines: exact.map(([q, x]) => `${q} = ${written(x, 6)}`), wrong: false };
  // A wrong update is wrong in its step: w' − w times the factor.
  const off = (q: string, x: number, times: number) => (q.endsWith("'") ? (q === "w5'" ? 0.4 : 0.15) + times * (x - (q === "w5'" ? 0.4 : 0.15)) : times * x);
  // An update is written with six digits, so that its step keeps three or four.
  const wrong = [1.37, 0.61].flatMap((times) => exact.map(([q, x]): Control => ({
    name: `${name}: ${q} × ${times}`, net: n, lines: [`${q} = ${written(off(q, x, times), q.endsWith("'") ? 6 : 4)}`], wrong: true,
  })));
  return [right, ...wrong];
}

/** Every network of the corpus, its slips written to `digits` significant digits, and its controls. */
export function corpus(digits = 4): { cases: CorpusCase[]; controls: Control[] } {
  const nets = ACTS.flatMap((act) => LOSSES.flatMap((l) => ([1, 2] as const).map((s) => network(act, l, s))));
  return { cases: nets.flatMap((n) => slipCases(n, digits)), controls: nets.flatMap(controls) };
}
