/**
 * Every activation function, one record each: everything the engine, `check`, the notation layer,
 * the vocabulary and the docs know about it lives here. Adding an activation is adding a record
 * (see the README's CONTRIBUTING section); nothing else spells out an activation's mathematics.
 */
import { call, dot, exp, frac, minus, neg, num, ONE, paren, plus, sq, sym, type M } from '../present/formula';

/** A derivative students write in place of the right one, for naming the slip in `check`. */
export interface WrongDerivative {
  /** As a student would write it, e.g. "1 − out". */
  formula: string;
  value(net: number, out: number): number;
}

export interface ActivationRecord {
  /** The spelling in the cell language (`layer h1 h2 sigmoid`). */
  readonly name: string;
  /** One line for hovers, completions and docs/language.md. */
  readonly doc: string;
  /** The function's symbol: σ, tanh, relu, … */
  readonly symbol: { text: string; tex: string };
  value(net: number): number;
  /** f'(net), written through out where the textbooks do (σ' = out(1 − out)). */
  derivative(net: number, out: number): number;
  /** The value written out, e.g. 1 / (1 + e^(−net)); undefined when f(net) says all there is. */
  valueFormula?(net: M): M;
  /** ∂out/∂net as the textbooks write it, in terms of `out` and `net` (symbols or numbers). */
  derivativeFormula(net: M, out: M): M;
  /** The right derivative in words, for `check`'s "… instead of out(1 − out)". */
  readonly derivativeText: string;
  /** True when ∂out/∂net does not depend on the value (linear): a trivial factor. */
  readonly trivialDerivative?: boolean;
  readonly wrongDerivatives: readonly WrongDerivative[];
  /**
   * Where a unit makes a poor exercise to work by hand (engine/exercise/ draws such numbers again):
   * `kink`, the net input where the derivative jumps (relu at 0: which side counts is a convention),
   * and `saturated`, the outs beyond which the derivative all but vanishes.
   */
  readonly degenerate?: { kink?: number; saturated?: { below: number; above: number } };
}

/** The slope of leaky-relu below 0. */
export const LEAKY_SLOPE = 0.01;

const sigmoid: ActivationRecord = {
  name: 'sigmoid',
  doc: 'σ(net) = 1 / (1 + e^(−net)); derivative out·(1 − out).',
  symbol: { text: 'σ', tex: '\\sigma' },
  value: (z) => 1 / (1 + Math.exp(-z)),
  derivative: (_z, a) => a * (1 - a),
  valueFormula: (net) => frac(ONE, plus(ONE, exp(neg(net)))),
  derivativeFormula: (_net, out) => dot(out, paren(minus(ONE, out))),
  derivativeText: 'out(1 − out)',
  wrongDerivatives: [
    { formula: 'out/(1−out)²', value: (_z, o) => o / ((1 - o) * (1 - o)) },
    { formula: '1 − out', value: (_z, o) => 1 - o },
    { formula: 'out', value: (_z, o) => o },
    { formula: '1 − out²', value: (_z, o) => 1 - o * o },
    { formula: 'out(1 + out)', value: (_z, o) => o * (1 + o) },
    { formula: 'out·(1 − out)²', value: (_z, o) => o * (1 - o) * (1 - o) },
  ],
  degenerate: { saturated: { below: 0.001, above: 0.999 } },
};

const tanh: ActivationRecord = {
  name: 'tanh',
  doc: 'tanh(net); derivative 1 − out².',
  symbol: { text: 'tanh', tex: '\\tanh' },
  value: (z) => Math.tanh(z),
  derivative: (_z, a) => 1 - a * a,
  derivativeFormula: (_net, out) => minus(ONE, sq(out)),
  derivativeText: '1 − out²',
  wrongDerivatives: [
    { formula: 'out(1 − out)', value: (_z, o) => o * (1 - o) },
    { formula: '1 − out', value: (_z, o) => 1 - o },
    { formula: '1 + out²', value: (_z, o) => 1 + o * o },
    { formula: '(1 − out)²', value: (_z, o) => (1 - o) * (1 - o) },
  ],
  degenerate: { saturated: { below: -0.999, above: 0.999 } },
};

const step = (net: M, low: M): M => ({ t: 'cases', net, high: ONE, low });
const pair = (a: M, b: M): M => ({ t: 'op', op: ',', items: [a, b] });

const relu: ActivationRecord = {
  name: 'relu',
  doc: 'max(0, net); derivative 1 for net > 0, else 0 (0 at net = 0).',
  symbol: { text: 'relu', tex: '\\operatorname{relu}' },
  value: (z) => (z > 0 ? z : 0),
  derivative: (z) => (z > 0 ? 1 : 0),
  valueFormula: (net) => call('max', '\\max', pair(num(0, 1), net)),
  derivativeFormula: (net) => step(net, num(0, 1)),
  derivativeText: '1 if net > 0, else 0',
  wrongDerivatives: [
    { formula: '1 (as if the neuron were on)', value: () => 1 },
    { formula: '0 (as if the neuron were off)', value: () => 0 },
  ],
  degenerate: { kink: 0 },
};

const leakyRelu: ActivationRecord = {
  name: 'leaky-relu',
  doc: `net for net > 0, else ${LEAKY_SLOPE}·net; derivative 1 or ${LEAKY_SLOPE} (${LEAKY_SLOPE} at net = 0).`,
  symbol: { text: 'lrelu', tex: '\\operatorname{lrelu}' },
  value: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
  derivative: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
  valueFormula: (net) => call('max', '\\max', pair(dot(num(LEAKY_SLOPE, 2), net), net)),
  derivativeFormula: (net) => step(net, num(LEAKY_SLOPE, 2)),
  derivativeText: `1 if net > 0, else ${LEAKY_SLOPE}`,
  wrongDerivatives: [
    { formula: '1 (as if the neuron were on)', value: () => 1 },
    { formula: '0 (the slope of relu, not leaky-relu)', value: () => 0 },
  ],
  degenerate: { kink: 0 },
};

const linear: ActivationRecord = {
  name: 'linear',
  doc: 'out = net; derivative 1.',
  symbol: { text: 'id', tex: '\\operatorname{id}' },
  value: (z) => z,
  derivative: () => 1,
  derivativeFormula: () => ONE,
  derivativeText: '1',
  trivialDerivative: true,
  wrongDerivatives: [],
};

/** Every activation, in the order the docs and completions list them. */
export const ACTIVATION_RECORDS = { sigmoid, tanh, relu, 'leaky-relu': leakyRelu, linear } as const satisfies Record<string, ActivationRecord>;

export type Activation = keyof typeof ACTIVATION_RECORDS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATION_RECORDS) as Activation[];

export function activationRecord(name: Activation): ActivationRecord {
  return ACTIVATION_RECORDS[name];
}

export function isActivation(word: string): word is Activation {
  return Object.prototype.hasOwnProperty.call(ACTIVATION_RECORDS, word);
}

/** The symbol `sym` node of an activation, for formula trees. */
export function activationSymbol(name: Activation): M {
  const s = ACTIVATION_RECORDS[name].symbol;
  return sym(s.text, s.tex);
}

export function activate(act: Activation, z: number): number {
  return ACTIVATION_RECORDS[act].value(z);
}

/** f'(net) written through out where the textbooks do: σ' = out(1 − out), tanh' = 1 − out². */
export function activationDerivative(act: Activation, z: number, a: number): number {
  return ACTIVATION_RECORDS[act].derivative(z, a);
}
