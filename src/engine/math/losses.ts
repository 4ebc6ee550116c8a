/**
 * Every loss, one record each. A loss is a sum of per-output terms over the samples of a batch,
 * times a scale that may depend on the batch size N: E = scale(N) · Σ_samples Σ_outputs term(out, t).
 * The engine, `check`, the notation layer, the vocabulary and the docs all read these records.
 */
import { call, dot, frac, minus, neg, num, ONE, paren, plus, sq, sym, type M } from '../present/formula';
import type { Activation } from './activations';

/** A loss-factor slip: a gradient `factor` times the right one, and its name. */
export interface LossSlip {
  factor(n: number): number;
  text: string;
  /** What the same slip is called when it shows in E itself (E `factor` times the right one); absent
   *  when the slip is only one of the derivative (a factor 2 of the squared error left out). */
  lossText?: string;
}

/** A derivative of one output's term students write in place of the right one ((−t − out) for (out − t)). */
export interface LossWrongDerivative {
  /** As written, e.g. "−t − out". */
  formula: string;
  /** The right one in the same words, e.g. "out − t". */
  right: string;
  /** ∂E/∂out as the slip gives it, for a batch of n. */
  value(out: number, target: number, n: number): number;
}

export interface LossRecord {
  /** The spelling in the cell language (`loss half-sse`). */
  readonly name: string;
  readonly doc: string;
  /** The factor in front of Σ, for a batch of `n` samples. */
  scale(n: number): number;
  /** One output's term before scaling. */
  term(out: number, target: number): number;
  /** ∂term/∂out before scaling (so ∂E/∂out = scale · dTerm). */
  dTerm(out: number, target: number): number;
  /** The scale as a symbol (½, 1/N, …), undefined when it is 1. */
  scaleSymbol(n: number): M | undefined;
  /** The term as a formula of an output and its target (symbols or numbers). */
  termFormula(out: M, target: M): M;
  /**
   * ∂E/∂out as the textbooks write it for a batch of `n` (out − t for half-sse), given the output
   * and target (symbols or numbers).
   */
  derivativeFormula(out: M, target: M, n: number): M;
  /** Slips in the loss factor of a gradient students make under this loss. */
  readonly slips: readonly LossSlip[];
  /** The loss takes logs of the outputs: the output layer must keep them in (0, 1) (sigmoid, softmax). */
  readonly unitOutputs?: boolean;
  /** What the targets must be: each in [0, 1] (`probabilities`), and summing to 1 per sample (`distribution`). */
  readonly targets?: 'probabilities' | 'distribution';
  /**
   * The output activation with which ∂E/∂net = scale · (out − t), the simplification the textbooks
   * derive (softmax with cross-entropy, sigmoid with bce), and that formula.
   */
  readonly canonical?: { activation: Activation; formula(out: M, target: M, n: number): M };
  /** True when the term is infinite because it takes ln 0 (an output of exactly 0 or 1). */
  logZero?(out: number, target: number): boolean;
  /** Why ∂E/∂out has the sign it has, for `check`'s "sign flipped" (default: the squared error's). */
  readonly signHint?: string;
  /** Wrong versions of the term (log₁₀ for ln): each value for E, E(o) and the loss table's terms. */
  readonly termSlips?: readonly { text: string; term(out: number, target: number): number }[];
  /** Wrong versions of ∂term/∂out, for an output's ∂E/∂out and the products it is a factor of. */
  readonly derivativeSlips?: readonly { text: string; dTerm(out: number, target: number): number }[];
  /** The slip of using out − t (the canonical simplification) where it does not hold. */
  readonly simplificationSlip?: string;
  /** Wrong derivatives of an output's term, for naming the slip in `check`. */
  readonly wrongDerivatives?: readonly LossWrongDerivative[];
}

const HALF = sym('½', '\\tfrac{1}{2}');
const squared = (o: M, t: M) => sq(paren(minus(t, o)));
const diff = (o: M, t: M) => minus(o, t);
const over = (x: M, n: number, c: number): M => {
  const den = c * n;
  if (den === 1) return x;
  return frac(paren(x), num(den, 6));
};

const halfSse: LossRecord = {
  name: 'half-sse',
  doc: 'E = ½ Σ_samples Σ_outputs (t − o)²; ∂E/∂o = o − t.',
  scale: () => 0.5,
  term: (o, t) => (t - o) * (t - o),
  dTerm: (o, t) => 2 * (o - t),
  scaleSymbol: () => HALF,
  termFormula: squared,
  derivativeFormula: diff,
  slips: [
    { factor: () => 2, text: 'the ½ of the loss dropped (2(out − t) for out − t)', lossText: 'the ½ in front of Σ(t − o)² left out' },
    { factor: (n) => 1 / n, text: 'divided by the N samples where the loss sums over the batch', lossText: 'divided by the N samples where the loss sums over the batch' },
  ],
  wrongDerivatives: [{ formula: '−t − out', right: 'out − t', value: (o, t) => -t - o }],
};

const sse: LossRecord = {
  name: 'sse',
  doc: 'E = Σ_samples Σ_outputs (t − o)²; ∂E/∂o = 2(o − t).',
  scale: () => 1,
  term: (o, t) => (t - o) * (t - o),
  dTerm: (o, t) => 2 * (o - t),
  scaleSymbol: () => undefined,
  termFormula: squared,
  derivativeFormula: (o, t) => dot(num(2, 1), paren(diff(o, t))),
  slips: [
    { factor: () => 0.5, text: 'the factor 2 of the squared error left out (out − t for 2(out − t))', lossText: 'a ½ put in front of Σ(t − o)², which sse does not have' },
    { factor: (n) => 1 / n, text: 'divided by the N samples where the loss sums over the batch', lossText: 'divided by the N samples where the loss sums over the batch' },
  ],
  wrongDerivatives: [{ formula: '2(−t − out)', right: '2(out − t)', value: (o, t) => 2 * (-t - o) }],
};

const halfMse: LossRecord = {
  name: 'half-mse',
  doc: 'E = 1/(2N) Σ_samples Σ_outputs (t − o)², N = samples in the batch; ∂E/∂o = (o − t)/N.',
  scale: (n) => 1 / (2 * n),
  term: (o, t) => (t - o) * (t - o),
  dTerm: (o, t) => 2 * (o - t),
  scaleSymbol: (n) => (n === 1 ? HALF : frac(ONE, num(2 * n, 6))),
  termFormula: squared,
  derivativeFormula: (o, t, n) => over(diff(o, t), n, 1),
  slips: [
    { factor: () => 2, text: 'the ½ of the loss dropped', lossText: 'the ½ in front of Σ(t − o)² left out' },
    { factor: (n) => n, text: 'summed over the batch where the loss takes the mean (÷ N left out)', lossText: 'summed over the batch where the loss takes the mean (÷ N left out)' },
  ],
  wrongDerivatives: [{ formula: '(−t − out)/N', right: '(out − t)/N', value: (o, t, n) => (-t - o) / n }],
};

const mse: LossRecord = {
  name: 'mse',
  doc: 'E = 1/N Σ_samples Σ_outputs (t − o)², N = samples in the batch; ∂E/∂o = 2(o − t)/N.',
  scale: (n) => 1 / n,
  term: (o, t) => (t - o) * (t - o),
  dTerm: (o, t) => 2 * (o - t),
  scaleSymbol: (n) => (n === 1 ? undefined : frac(ONE, num(n, 6))),
  termFormula: squared,
  derivativeFormula: (o, t, n) => over(dot(num(2, 1), paren(diff(o, t))), n, 1),
  slips: [
    { factor: () => 0.5, text: 'the factor 2 of the squared error left out', lossText: 'a ½ put in front of Σ(t − o)², which mse does not have' },
    { factor: (n) => n, text: 'summed over the batch where the loss takes the mean (÷ N left out)', lossText: 'summed over the batch where the loss takes the mean (÷ N left out)' },
  ],
  wrongDerivatives: [{ formula: '2(−t − out)/N', right: '2(out − t)/N', value: (o, t, n) => (2 * (-t - o)) / n }],
};

// ---- the losses of classification: natural logs of the outputs ----

const ln = (x: M): M => call('ln', '\\ln', x);
const LN10 = Math.log(10);
/** t · ln(o) with 0 · ln 0 = 0: a term a target of 0 switches off is 0 whatever the output. */
const tLn = (t: number, o: number): number => (t === 0 ? 0 : t * Math.log(o));
// 0 − x, not −x: a term a target switches off is +0, as a sum of +0 terms is.
const ceTerm = (o: number, t: number): number => 0 - tLn(t, o);
const ceDTerm = (o: number, t: number): number => (t === 0 ? 0 : -t / o);
const bceTerm = (o: number, t: number): number => 0 - (tLn(t, o) + tLn(1 - t, 1 - o));
const bceDTerm = (o: number, t: number): number => (t === 0 ? 0 : -t / o) + (t === 1 ? 0 : (1 - t) / (1 - o));
/** The batch size in front of a term's denominator: out for one sample, N·out for a mean. */
const times = (n: number, x: M): M => (n === 1 ? x : dot(num(n, 6), x));
const simplified = (n: number) => (o: M, t: M): M => over(diff(o, t), n, 1);
const LOG_SLIPS = {
  term: (term: (o: number, t: number) => number) => [{ text: 'log₁₀ used for ln (the loss takes natural logarithms)', term: (o: number, t: number) => term(o, t) / LN10 }],
  dTerm: (dTerm: (o: number, t: number) => number) => [
    { text: 'log₁₀ used for ln: d/d out of log₁₀(out) is 1/(out·ln 10), not 1/out', dTerm: (o: number, t: number) => dTerm(o, t) / LN10 },
    { text: 'out − t used for ∂E/∂out: out − t is ∂E/∂net, after the activation\'s derivative has cancelled the 1/out', dTerm: (o: number, t: number) => o - t },
  ],
};
const MEAN_SLIP: LossSlip = { factor: (n) => n, text: 'summed over the batch where the loss takes the mean (÷ N left out)', lossText: 'summed over the batch where the loss takes the mean (÷ N left out)' };
const CE_SIGN = ' — E = −Σ t·ln(out) has a minus sign, so that E > 0 (ln(out) < 0) and ∂E/∂out = −t/out < 0';
const CE_SIMPLIFICATION = 'out − t used without the softmax: ∂E/∂net = out − t holds for softmax outputs under cross-entropy (and sigmoid under bce), not here';

/** What a log loss's record is made of besides what every log loss shares. */
type LogLoss = Pick<LossRecord, 'name' | 'doc' | 'term' | 'dTerm' | 'termFormula' | 'targets' | 'logZero' | 'signHint' | 'simplificationSlip'> & {
  /** The output activation whose derivative cancels the loss's 1/out. */
  canonical: Activation;
  /** ∂E/∂out for one sample, given the denominator's batch factor (`times`). */
  derivative(o: M, t: M, n: number): M;
};

/** A log loss, summed (`mean` false) or averaged over the batch; the outputs in (0, 1), natural logs. */
function logLoss(mean: boolean, x: LogLoss): LossRecord {
  const { canonical, derivative, ...own } = x;
  const size = (n: number) => (mean ? n : 1);
  return {
    ...own,
    scale: mean ? (n) => 1 / n : () => 1,
    scaleSymbol: mean ? (n) => (n === 1 ? undefined : frac(ONE, num(n, 6))) : () => undefined,
    derivativeFormula: (o, t, n) => derivative(o, t, size(n)),
    slips: mean ? [MEAN_SLIP] : [],
    unitOutputs: true,
    canonical: { activation: canonical, formula: (o, t, n) => simplified(size(n))(o, t) },
    termSlips: LOG_SLIPS.term(x.term),
    derivativeSlips: LOG_SLIPS.dTerm(x.dTerm),
  };
}

function crossEntropy(name: string, mean: boolean): LossRecord {
  return logLoss(mean, {
    name,
    doc: mean
      ? 'E = −1/N Σ_samples Σ_k t_k ln(out_k), N = samples in the batch (targets sum to 1 per sample); ∂E/∂out = −t/(N·out); with softmax ∂E/∂net = (out − t)/N.'
      : 'E = −Σ_samples Σ_k t_k ln(out_k), natural log (targets sum to 1 per sample); ∂E/∂out = −t/out; with softmax ∂E/∂net = out − t.',
    term: ceTerm,
    dTerm: ceDTerm,
    termFormula: (o, t) => dot(neg(t), ln(o)),
    derivative: (o, t, n) => neg(frac(t, times(n, o))),
    targets: 'distribution',
    canonical: 'softmax',
    logZero: (o, t) => t > 0 && !(o > 0),
    signHint: CE_SIGN,
    simplificationSlip: CE_SIMPLIFICATION,
  });
}

function binaryCrossEntropy(name: string, mean: boolean): LossRecord {
  return logLoss(mean, {
    name,
    doc: mean
      ? 'E = −1/N Σ_samples Σ_k [t_k ln(out_k) + (1 − t_k) ln(1 − out_k)], N = samples in the batch; with sigmoid ∂E/∂net = (out − t)/N.'
      : 'E = −Σ_samples Σ_k [t_k ln(out_k) + (1 − t_k) ln(1 − out_k)], natural log; ∂E/∂out = (out − t)/(out(1 − out)); with sigmoid ∂E/∂net = out − t.',
    term: bceTerm,
    dTerm: bceDTerm,
    termFormula: (o, t) => neg(paren(plus(dot(t, ln(o)), dot(paren(minus(ONE, t)), ln(minus(ONE, o)))))),
    derivative: (o, t, n) => frac(paren(minus(o, t)), times(n, dot(o, paren(minus(ONE, o))))),
    targets: 'probabilities',
    canonical: 'sigmoid',
    logZero: (o, t) => (t > 0 && !(o > 0)) || (t < 1 && !(o < 1)),
    signHint: ' — E = −Σ [t·ln(out) + (1 − t)·ln(1 − out)] has a minus sign, so that E > 0',
    simplificationSlip: 'out − t used without the sigmoid: ∂E/∂net = out − t holds for sigmoid outputs under bce (and softmax under cross-entropy), not here',
  });
}

/** Every loss, in the order the docs and completions list them. */
export const LOSS_RECORDS = {
  'half-sse': halfSse, sse, 'half-mse': halfMse, mse,
  'cross-entropy': crossEntropy('cross-entropy', false), 'mean-cross-entropy': crossEntropy('mean-cross-entropy', true),
  bce: binaryCrossEntropy('bce', false), 'mean-bce': binaryCrossEntropy('mean-bce', true),
} as const satisfies Record<string, LossRecord>;

export type LossName = keyof typeof LOSS_RECORDS;
export const LOSS_NAMES = Object.keys(LOSS_RECORDS) as LossName[];
export const DEFAULT_LOSS: LossName = 'half-sse';

export function lossRecord(name: LossName): LossRecord {
  return LOSS_RECORDS[name];
}

export function isLoss(word: string): word is LossName {
  return Object.prototype.hasOwnProperty.call(LOSS_RECORDS, word);
}

/** The factor c in E = c · Σ term for a batch of n samples. */
export function lossScale(loss: LossName, n: number): number {
  return LOSS_RECORDS[loss].scale(n);
}

/** ∂E/∂out of one output for a batch of n samples. */
export function lossDerivative(loss: LossName, out: number, target: number, n: number): number {
  const r = LOSS_RECORDS[loss];
  return r.scale(n) * r.dTerm(out, target);
}
