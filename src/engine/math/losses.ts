/**
 * Every loss, one record each. A loss is a sum of per-output terms over the samples of a batch,
 * times a scale that may depend on the batch size N: E = scale(N) · Σ_samples Σ_outputs term(out, t).
 * The engine, `check`, the notation layer, the vocabulary and the docs all read these records.
 */
import { dot, frac, minus, num, ONE, paren, sq, sym, type M } from '../present/formula';

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

/** Every loss, in the order the docs and completions list them. */
export const LOSS_RECORDS = { 'half-sse': halfSse, sse, 'half-mse': halfMse, mse } as const satisfies Record<string, LossRecord>;

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
