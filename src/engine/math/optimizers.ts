/**
 * Every optimizer, one record each: how an update turns a gradient into a step, the state it keeps
 * per parameter, the settings the language reads after its name, the formulas of the update table
 * and the slips `check` names. PyTorch's conventions: momentum without dampening or Nesterov, Adam
 * without AMSGrad, t counting updates from 1. Nothing else spells out an optimizer's arithmetic
 * but its WebAssembly twin (compute/wasm/module.ts), held to the same operations by a bitwise test.
 */
import { dot, eq, ETA, frac, minus, ONE, paren, plus, pow, sq, sqrt, sym, type M } from '../present/formula';

export type OptimizerSpec =
  | { name: 'sgd' }
  | { name: 'momentum'; beta: number }
  | { name: 'adam'; beta1: number; beta2: number; eps: number };

export type OptimizerName = OptimizerSpec['name'];
type Spec<N extends OptimizerName> = Extract<OptimizerSpec, { name: N }>;

/** Per-parameter state (zeros until the first update) and Adam's update count. */
export interface OptimizerState {
  /** Momentum's velocity, or Adam's second moment. */
  v: Float64Array;
  /** Adam's first moment. */
  m: Float64Array;
  /** Updates made so far (Adam's t after them). */
  t: number;
}

export type StateSlot = 'v' | 'm';

/** One parameter's update, everything known before it: the value, gradient, state, update count (from 1) and η. */
export interface UpdateInput { p: number; g: number; v: number; m: number; t: number; rate: number }

/** What one update of one parameter computed: its new state, the bias-corrected moments, the step subtracted. */
export interface UpdateOutput { v: number; m: number; mHat?: number; vHat?: number; step: number }

/** The symbols or numbers a line of the update table is written with. */
export interface UpdateTerms {
  p: M; g: M; v: M; m: M; vNew: M; mNew: M; mHat: M; vHat: M; t: M; eta: M;
  beta: M; beta1: M; beta2: M; eps: M;
}

/** One line of the update table: `lhs = rhs(symbols) = rhs(numbers) = value`. */
export interface UpdateLine {
  lhs: M;
  rhs(x: UpdateTerms): M;
  /** Which computed value the line ends in. */
  value: 'v' | 'm' | 'mHat' | 'vHat' | 'new';
}

/** A slip in an update, as the value it gives for `w'` or the state. */
export interface OptimizerSlip {
  quantity: 'after' | StateSlot;
  text: string;
  value(x: UpdateInput, spec: OptimizerSpec): number;
}

/** A setting read after the optimizer's name. */
export interface OptimizerSetting {
  key: string;
  symbol: M;
  /** Absent: the setting must be written. */
  default?: number;
  /** `fraction`: 0 ≤ x < 1; `positive`: x > 0. */
  range: 'fraction' | 'positive';
}

/**
 * Whole-array twins of the records' `apply` (compute/wasm/module.ts: WebAssembly SIMD, operation
 * for operation the same, bitwise-equal by test), for when no parameter is frozen. Offsets are
 * element indices into the one heap that holds the parameters, the gradient and the state.
 */
export interface OptimizerKernels {
  momentum(p: number, g: number, v: number, count: number, rate: number, beta: number): void;
  /** c1, c2: this update's bias corrections 1 − β₁ᵗ, 1 − β₂ᵗ. */
  adam(p: number, g: number, m: number, v: number, count: number, rate: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): void;
}

/** Where the parameters, their gradient and the state lie in a kernel's heap. */
export interface HeapArrays { p: number; g: number; m: number; v: number; count: number }

export interface OptimizerRecord<N extends OptimizerName = OptimizerName> {
  readonly name: N;
  readonly doc: string;
  readonly usage: string;
  readonly settings: readonly OptimizerSetting[];
  /** The state it keeps per parameter, as the table's columns and `check`'s v(w5), m(w5) name it. */
  readonly slots: readonly StateSlot[];
  /** The spec from the settings as written (defaults filled in), in `settings` order. */
  spec(values: readonly number[]): Spec<N>;
  /** One parameter's update. The trainer's kernel is `apply`; this is the same arithmetic, one at a time. */
  update(spec: Spec<N>, x: UpdateInput): UpdateOutput;
  /**
   * Every parameter not frozen: state first, then p ← p − step. `t` is this update's count (from 1).
   * Operation for operation as `update`, so a traced update and the fast path agree bitwise.
   */
  apply(spec: Spec<N>, p: Float64Array, g: Float64Array, st: OptimizerState, frozen: Uint8Array | undefined, rate: number, t: number): void;
  /** `apply` with nothing frozen, by the whole-array kernel of this optimizer (absent for sgd, which the trainer's own update kernel runs). */
  kernel?(spec: Spec<N>, k: OptimizerKernels, at: HeapArrays, rate: number, t: number): void;
  readonly lines: readonly UpdateLine[];
  readonly slips: readonly OptimizerSlip[];
}

const P = sym('p', 'p');
const G = sym('g', 'g');
const PRIME = (x: string, tex: string) => sym(`${x}'`, `${tex}'`);
const SYMBOLS = {
  beta: sym('β', '\\beta'), beta1: sym('β₁', '\\beta_1'), beta2: sym('β₂', '\\beta_2'), eps: sym('ε', '\\varepsilon'),
  v: sym('v', 'v'), m: sym('m', 'm'), vNew: PRIME('v', 'v'), mNew: PRIME('m', 'm'), mHat: sym('m̂', '\\hat{m}'), vHat: sym('v̂', '\\hat{v}'), t: sym('t', 't'),
};

/** The symbols of every quantity of an update (g is ∂E/∂p). */
export const UPDATE_SYMBOLS: UpdateTerms = { p: P, g: G, eta: ETA, ...SYMBOLS };

const newValue: UpdateLine = { lhs: PRIME('p', 'p'), rhs: (x) => minus(x.p, dot(x.eta, x.g)), value: 'new' };

const sgd: OptimizerRecord<'sgd'> = {
  name: 'sgd',
  doc: 'Plain gradient descent (the default): p ← p − η·∂E/∂p.',
  usage: 'optimizer sgd',
  settings: [],
  slots: [],
  spec: () => ({ name: 'sgd' }),
  update: (_s, x) => ({ v: x.v, m: x.m, step: x.rate * x.g }),
  apply(_s, p, g, _st, frozen, rate) {
    if (!frozen) for (let i = 0; i < p.length; i++) p[i] -= rate * g[i];
    else for (let i = 0; i < p.length; i++) if (frozen[i] === 0) p[i] -= rate * g[i];
  },
  lines: [newValue],
  slips: [],
};

// ---- momentum: v ← β·v + g; p ← p − η·v ----

/** Momentum's new velocity. Exported with Adam's functions below for the trainer's fused per-sample pass (compute/optimizer-steps.ts). */
export const velocity = (beta: number, v: number, g: number) => beta * v + g;

const momentum: OptimizerRecord<'momentum'> = {
  name: 'momentum',
  doc: 'Gradient descent with momentum β (PyTorch: no dampening, no Nesterov): v ← β·v + ∂E/∂p, p ← p − η·v; v starts at 0.',
  usage: 'optimizer momentum 0.9',
  settings: [{ key: 'beta', symbol: SYMBOLS.beta, range: 'fraction' }],
  slots: ['v'],
  spec: ([beta]) => ({ name: 'momentum', beta }),
  update: (s, x) => { const v = velocity(s.beta, x.v, x.g); return { v, m: x.m, step: x.rate * v }; },
  apply(s, p, g, st, frozen, rate) {
    const V = st.v;
    for (let i = 0; i < p.length; i++) {
      if (frozen && frozen[i] !== 0) continue;
      const v = velocity(s.beta, V[i], g[i]);
      V[i] = v;
      p[i] -= rate * v;
    }
  },
  kernel: (s, k, at, rate) => k.momentum(at.p, at.g, at.v, at.count, rate, s.beta),
  lines: [
    { lhs: SYMBOLS.vNew, rhs: (x) => plus(dot(x.beta, x.v), x.g), value: 'v' },
    { lhs: newValue.lhs, rhs: (x) => minus(x.p, dot(x.eta, x.vNew)), value: 'new' },
  ],
  slips: momentumSlips(),
};

function momentumSlips(): OptimizerSlip[] {
  const beta = (s: OptimizerSpec) => (s.name === 'momentum' ? s.beta : 0);
  const after = (text: string, v: (x: UpdateInput, b: number) => number, sign = -1): OptimizerSlip => ({
    quantity: 'after', text, value: (x, s) => x.p + sign * x.rate * v(x, beta(s)),
  });
  const state = (text: string, v: (x: UpdateInput, b: number) => number): OptimizerSlip => ({ quantity: 'v', text, value: (x, s) => v(x, beta(s)) });
  const right = (x: UpdateInput, b: number) => velocity(b, x.v, x.g);
  return [
    after('momentum with the sign flipped: p + η·v instead of p − η·v', right, 1),
    after('β on the wrong term: v ← v + β·∂E/∂p instead of v ← β·v + ∂E/∂p', (x, b) => x.v + b * x.g),
    after('dampened momentum v ← β·v + (1 − β)·∂E/∂p: PyTorch\'s convention, used here, has no (1 − β)', (x, b) => b * x.v + (1 - b) * x.g),
    after('the velocity left out: p − η·∂E/∂p is plain gradient descent', (x) => x.g),
    after('the velocity before its update used: p − η·v with the old v', (x) => x.v),
    state('β on the wrong term: v ← v + β·∂E/∂p instead of v ← β·v + ∂E/∂p', (x, b) => x.v + b * x.g),
    state('the sign of the gradient flipped in the velocity: v ← β·v − ∂E/∂p', (x, b) => b * x.v - x.g),
    state('dampened momentum v ← β·v + (1 − β)·∂E/∂p: PyTorch\'s convention, used here, has no (1 − β)', (x, b) => b * x.v + (1 - b) * x.g),
    state('η put into the velocity: v ← β·v + η·∂E/∂p (here η multiplies v in p ← p − η·v)', (x, b) => b * x.v + x.rate * x.g),
  ];
}

// ---- Adam ----

// One function per quantity, shared by `update` and `apply`, so that both round the same way.
export const firstMoment = (beta1: number, m: number, g: number) => beta1 * m + (1 - beta1) * g;
export const secondMoment = (beta2: number, v: number, g: number) => beta2 * v + (1 - beta2) * (g * g);
/** The bias correction 1 − βᵗ. */
export const correction = (beta: number, t: number) => 1 - beta ** t;
export const adamStep = (rate: number, mHat: number, vHat: number, eps: number) => rate * mHat / (Math.sqrt(vHat) + eps);

/** m, v after the update and m̂, v̂, with the corrections of update `t`. */
function adamMoments(s: Spec<'adam'>, g: number, m0: number, v0: number, t: number) {
  const m = firstMoment(s.beta1, m0, g);
  const v = secondMoment(s.beta2, v0, g);
  return { m, v, mHat: m / correction(s.beta1, t), vHat: v / correction(s.beta2, t) };
}

const adam: OptimizerRecord<'adam'> = {
  name: 'adam',
  doc: 'Adam (PyTorch, no AMSGrad): m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), p ← p − η·m̂/(√v̂ + ε); t counts updates from 1; defaults 0.9 0.999 1e-8.',
  usage: 'optimizer adam 0.9 0.999 1e-8',
  settings: [
    { key: 'beta1', symbol: SYMBOLS.beta1, default: 0.9, range: 'fraction' },
    { key: 'beta2', symbol: SYMBOLS.beta2, default: 0.999, range: 'fraction' },
    { key: 'eps', symbol: SYMBOLS.eps, default: 1e-8, range: 'positive' },
  ],
  slots: ['m', 'v'],
  spec: ([beta1, beta2, eps]) => ({ name: 'adam', beta1, beta2, eps }),
  update(s, x) {
    const r = adamMoments(s, x.g, x.m, x.v, x.t);
    return { ...r, step: adamStep(x.rate, r.mHat, r.vHat, s.eps) };
  },
  apply(s, p, g, st, frozen, rate, t) {
    const { m: Mm, v: Vv } = st;
    const { beta1, beta2, eps } = s;
    const c1 = correction(beta1, t);
    const c2 = correction(beta2, t);
    for (let i = 0; i < p.length; i++) {
      if (frozen && frozen[i] !== 0) continue;
      const m = firstMoment(beta1, Mm[i], g[i]);
      const v = secondMoment(beta2, Vv[i], g[i]);
      Mm[i] = m;
      Vv[i] = v;
      p[i] -= adamStep(rate, m / c1, v / c2, eps);
    }
  },
  kernel: (s, k, at, rate, t) => k.adam(at.p, at.g, at.m, at.v, at.count, rate, s.beta1, s.beta2, s.eps, correction(s.beta1, t), correction(s.beta2, t)),
  lines: [
    { lhs: SYMBOLS.mNew, rhs: (x) => plus(dot(x.beta1, x.m), dot(paren(minus(ONE, x.beta1)), x.g)), value: 'm' },
    { lhs: SYMBOLS.vNew, rhs: (x) => plus(dot(x.beta2, x.v), dot(paren(minus(ONE, x.beta2)), sq(x.g))), value: 'v' },
    { lhs: SYMBOLS.mHat, rhs: (x) => frac(x.mNew, minus(ONE, pow(x.beta1, x.t))), value: 'mHat' },
    { lhs: SYMBOLS.vHat, rhs: (x) => frac(x.vNew, minus(ONE, pow(x.beta2, x.t))), value: 'vHat' },
    { lhs: newValue.lhs, rhs: (x) => minus(x.p, dot(x.eta, frac(x.mHat, plus(sqrt(x.vHat), x.eps)))), value: 'new' },
  ],
  slips: adamSlips(),
};

function adamSlips(): OptimizerSlip[] {
  const spec = (s: OptimizerSpec): Spec<'adam'> => (s.name === 'adam' ? s : { name: 'adam', beta1: 0, beta2: 0, eps: 0 });
  const moments = (x: UpdateInput, s: OptimizerSpec) => adamMoments(spec(s), x.g, x.m, x.v, x.t);
  const after = (text: string, step: (x: UpdateInput, s: Spec<'adam'>) => number): OptimizerSlip => ({ quantity: 'after', text, value: (x, s) => x.p - step(x, spec(s)) });
  return [
    after('Adam without bias correction: m and v used where m̂ = m/(1 − β₁ᵗ) and v̂ = v/(1 − β₂ᵗ) belong', (x, s) => { const r = moments(x, s); return adamStep(x.rate, r.m, r.v, s.eps); }),
    after('the square root of v̂ left out: η·m̂/(v̂ + ε) instead of η·m̂/(√v̂ + ε)', (x, s) => { const r = moments(x, s); return x.rate * r.mHat / (r.vHat + s.eps); }),
    after('t off by one in the bias correction (t counts updates from 1, this one included)', (x, s) => { const r = adamMoments(s, x.g, x.m, x.v, x.t + 1); return adamStep(x.rate, r.mHat, r.vHat, s.eps); }),
    { quantity: 'm', text: 'β₁ and (1 − β₁) swapped: m ← (1 − β₁)·m + β₁·g', value: (x, s) => (1 - spec(s).beta1) * x.m + spec(s).beta1 * x.g },
    { quantity: 'm', text: 'the factor (1 − β₁) left out: m ← β₁·m + g', value: (x, s) => spec(s).beta1 * x.m + x.g },
    { quantity: 'v', text: 'the gradient not squared: v ← β₂·v + (1 − β₂)·g instead of (1 − β₂)·g²', value: (x, s) => spec(s).beta2 * x.v + (1 - spec(s).beta2) * x.g },
    { quantity: 'v', text: 'β₂ and (1 − β₂) swapped: v ← (1 − β₂)·v + β₂·g²', value: (x, s) => (1 - spec(s).beta2) * x.v + spec(s).beta2 * x.g * x.g },
  ];
}

/** Every optimizer, in the order the docs and completions list them. */
export const OPTIMIZER_RECORDS = { sgd, momentum, adam } as const satisfies { [N in OptimizerName]: OptimizerRecord<N> };

export const OPTIMIZER_NAMES = Object.keys(OPTIMIZER_RECORDS) as OptimizerName[];
export const DEFAULT_OPTIMIZER: OptimizerSpec = { name: 'sgd' };

export function isOptimizer(word: string): word is OptimizerName {
  return Object.prototype.hasOwnProperty.call(OPTIMIZER_RECORDS, word);
}

/** The record of a spec, typed so that its functions take that spec. */
export function optimizerRecord(name: OptimizerName): OptimizerRecord {
  return OPTIMIZER_RECORDS[name] as unknown as OptimizerRecord;
}

/** The update rule in symbols, one equation a line: v' = β·v + g, p' = p − η·v'. */
export function updateRule(name: OptimizerName): M[] {
  return OPTIMIZER_RECORDS[name].lines.map((l) => eq(l.lhs, l.rhs(UPDATE_SYMBOLS)));
}

/** Fresh state for `count` parameters: zeros, no updates yet. */
export function emptyState(count: number): OptimizerState {
  return { v: new Float64Array(count), m: new Float64Array(count), t: 0 };
}

/** The spec with its settings in the words of the language: "adam 0.9 0.999 1e-08". */
export function describeOptimizer(spec: OptimizerSpec): string {
  const r = OPTIMIZER_RECORDS[spec.name];
  return [spec.name, ...r.settings.map((s) => String((spec as unknown as Record<string, number>)[s.key]))].join(' ');
}
