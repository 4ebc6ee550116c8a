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

/** What every activation record has, elementwise or layer-wise. */
export interface ActivationBase {
  /** The spelling in the cell language (`layer h1 h2 sigmoid`). */
  readonly name: string;
  /** One line for hovers, completions and docs/language.md. */
  readonly doc: string;
  /** The function's symbol: σ, tanh, relu, … */
  readonly symbol: { text: string; tex: string };
  /** Every output lies in (0, 1): the losses that take logs of the outputs accept this layer as the last. */
  readonly unitRange?: boolean;
  /**
   * Where a unit makes a poor exercise to work by hand (engine/exercise/ draws such numbers again):
   * `kink`, the net input where the derivative jumps (relu at 0: which side counts is a convention),
   * and `saturated`, the outs beyond which the derivative all but vanishes.
   */
  readonly degenerate?: { kink?: number; saturated?: { below: number; above: number } };
}

/** An activation applied to each neuron on its own: out = f(net). */
export interface ActivationRecord extends ActivationBase {
  readonly kind?: 'elementwise';
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
}

/** The slope of leaky-relu below 0. */
export const LEAKY_SLOPE = 0.01;

const sigmoid: ActivationRecord = {
  name: 'sigmoid',
  doc: 'σ(net) = 1 / (1 + e^(−net)); derivative out·(1 − out).',
  symbol: { text: 'σ', tex: '\\sigma' },
  unitRange: true,
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

/** A slip in combining a layer-wise activation's Jacobian with ∂E/∂out, as `check` names it. */
export interface JacobianSlip {
  /** As a student would put it, e.g. "the cross terms left out: out(1 − out) only". */
  text: string;
  /** The ∂E/∂net_j the slip gives, from the layer's outs and ∂E/∂out. */
  dEdnet(outs: ArrayLike<number>, dEdout: ArrayLike<number>, j: number): number;
}

/**
 * An activation of the whole layer: out_k depends on every net of the layer (softmax). Its
 * derivative is a Jacobian ∂out_k/∂net_j, combined with ∂E/∂out as ∂E/∂net_j = Σ_k ∂E/∂out_k ·
 * ∂out_k/∂net_j. Only the output layer may have one (the trainer's hidden deltas are elementwise).
 */
export interface LayerActivationRecord extends ActivationBase {
  readonly kind: 'layer';
  /** outs = f(nets) of one sample's layer, computed stably. */
  values(nets: ArrayLike<number>, outs: Float64Array, netsAt?: number, outsAt?: number, n?: number): void;
  /** ∂out_k/∂net_j from the layer's outs. */
  jacobian(outs: ArrayLike<number>, k: number, j: number): number;
  /** ∂out_j/∂net_j, the Jacobian's diagonal (the neuron's own ∂out/∂net). */
  diagonal(out: number): number;
  /**
   * ∂E/∂net of the whole layer from ∂E/∂out, in one pass: Σ_k g_k · ∂out_k/∂net_j for every j
   * (`g` and `d` at offset `at`, `n` neurons, `outs` at `outsAt`). `d` may be `g`.
   */
  backward(outs: ArrayLike<number>, outsAt: number, g: Float64Array, d: Float64Array, at: number, n: number): void;
  /** out_k written out: e^{net_k} over `sum`, the sum of `term` over the layer. */
  valueFormula(netK: M, sum: M): M;
  /** One term of the normalising sum, e^{net_j}. */
  termFormula(net: M): M;
  /** ∂out_k/∂net_j as the textbooks write it (symbols or numbers); `same` when k = j. */
  jacobianFormula(outK: M, outJ: M, same: boolean): M;
  /** The Jacobian in general, for headings: out_k(δ_kj − out_j). */
  readonly jacobianText: string;
  readonly derivativeText: string;
  readonly slips: readonly JacobianSlip[];
}

/** e^{x} without overflow: each net less the layer's largest (the result is the same). */
function softmaxValues(nets: ArrayLike<number>, outs: Float64Array, netsAt = 0, outsAt = 0, n = nets.length - netsAt): void {
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (nets[netsAt + j] > max) max = nets[netsAt + j];
  let sum = 0;
  for (let j = 0; j < n; j++) { const e = Math.exp(nets[netsAt + j] - max); outs[outsAt + j] = e; sum += e; }
  for (let j = 0; j < n; j++) outs[outsAt + j] /= sum;
}

const kronecker = (outJ: M, same: boolean): M => (same ? minus(ONE, outJ) : neg(outJ));

const softmax: LayerActivationRecord = {
  kind: 'layer',
  name: 'softmax',
  doc: 'out_k = e^(net_k) / Σ_j e^(net_j) over the layer (the last layer only); ∂out_k/∂net_j = out_k(δ_kj − out_j).',
  symbol: { text: 'softmax', tex: '\\operatorname{softmax}' },
  unitRange: true,
  degenerate: { saturated: { below: 0.001, above: 0.999 } },
  values: softmaxValues,
  jacobian: (o, k, j) => o[k] * ((k === j ? 1 : 0) - o[j]),
  diagonal: (o) => o * (1 - o),
  backward(o, oAt, g, d, at, n) {
    // Σ_k g_k out_k (δ_kj − out_j) = out_j (g_j − Σ_k g_k out_k)
    let mean = 0;
    for (let k = 0; k < n; k++) mean += g[at + k] * o[oAt + k];
    for (let j = 0; j < n; j++) d[at + j] = o[oAt + j] * (g[at + j] - mean);
  },
  valueFormula: (netK, sum) => frac(exp(netK), sum),
  termFormula: (net) => exp(net),
  jacobianFormula: (outK, outJ, same) => (same ? dot(outK, paren(kronecker(outJ, true))) : dot(neg(outK), outJ)),
  jacobianText: 'out_k(δ_kj − out_j)',
  derivativeText: 'out_k(δ_kj − out_j): out_j(1 − out_j) on the diagonal, −out_k·out_j off it',
  slips: [{
    text: 'the cross terms of the softmax Jacobian left out: ∂E/∂out_j · out_j(1 − out_j) alone, where ∂E/∂net_j = Σ_k ∂E/∂out_k · out_k(δ_kj − out_j)',
    dEdnet: (o, g, j) => g[j] * o[j] * (1 - o[j]),
  }],
};

/** An elementwise record, or a layer-wise one (softmax: each out depends on the whole layer's nets). */
export type AnyActivationRecord = ActivationRecord | LayerActivationRecord;

/** Every activation, in the order the docs and completions list them. */
export const ACTIVATION_RECORDS = { sigmoid, tanh, relu, 'leaky-relu': leakyRelu, linear, softmax } as const satisfies Record<string, AnyActivationRecord>;

export type Activation = keyof typeof ACTIVATION_RECORDS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATION_RECORDS) as Activation[];

/** The activations applied neuron by neuron (all but softmax), in the records' order. */
export const ELEMENTWISE_NAMES: Activation[] = ACTIVATION_NAMES.filter((name) => ACTIVATION_RECORDS[name].kind !== 'layer');

export function activationRecord(name: Activation): AnyActivationRecord {
  return ACTIVATION_RECORDS[name];
}

/** The record when it is elementwise; undefined for a layer-wise one. */
export function elementwise(name: Activation): ActivationRecord | undefined {
  const r: AnyActivationRecord = ACTIVATION_RECORDS[name];
  return r.kind === 'layer' ? undefined : r;
}

/** The record when it is layer-wise (softmax); undefined for an elementwise one. */
export function layerwise(name: Activation | null | undefined): LayerActivationRecord | undefined {
  if (!name) return undefined;
  const r: AnyActivationRecord = ACTIVATION_RECORDS[name];
  return r.kind === 'layer' ? r : undefined;
}

export function isActivation(word: string): word is Activation {
  return Object.prototype.hasOwnProperty.call(ACTIVATION_RECORDS, word);
}

/** The symbol `sym` node of an activation, for formula trees. */
export function activationSymbol(name: Activation): M {
  const s = ACTIVATION_RECORDS[name].symbol;
  return sym(s.text, s.tex);
}

/** f(net) of an elementwise activation (NaN for a layer-wise one, whose out needs the whole layer). */
export function activate(act: Activation, z: number): number {
  return elementwise(act)?.value(z) ?? NaN;
}

/**
 * f'(net) written through out where the textbooks do: σ' = out(1 − out), tanh' = 1 − out². For a
 * layer-wise activation, the diagonal of its Jacobian, ∂out_j/∂net_j (softmax: out_j(1 − out_j)).
 */
export function activationDerivative(act: Activation, z: number, a: number): number {
  const r: AnyActivationRecord = ACTIVATION_RECORDS[act];
  return r.kind === 'layer' ? r.diagonal(a) : r.derivative(z, a);
}
