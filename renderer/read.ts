/**
 * Reads an output's JSON as a trace, field by field as docs/trace.md describes it, before anything
 * is drawn: a notebook file can hold anything, and a number that is a string or a missing list would
 * otherwise surface as "✗ 0 of 60 checks failed", a blank output or an error in a hover handler.
 * The first field that is not what the schema says is reported by its path
 * ("field `updates[0].loss.total` must be a number").
 *
 * What is read is a fresh copy in which
 * - a value (net, out, a gradient, a loss) may be `null` or "NaN"/"Infinity"/"-Infinity", JSON's
 *   stand-ins for a number that is not finite; all become numbers (null as NaN);
 * - counts (epochs, sizes, sample numbers, digits) must be finite numbers;
 * - every name longer than MAX_NAME and every text longer than MAX_TEXT is elided, so that no
 *   amount of text can slow down typesetting or layout. An elided name keeps a hash of the whole,
 *   so two long names that differ only in the middle stay two names.
 * Fields the schema does not know are dropped (a newer version may add optional ones).
 */
import { ACTIVATION_NAMES } from '../src/engine/math/activations';
import { LOSS_NAMES } from '../src/engine/math/losses';
import { OPTIMIZER_NAMES, OPTIMIZER_RECORDS, type OptimizerSpec } from '../src/engine/math/optimizers';
import type {
  ChainStep, CheckFactor, CheckLine, ChainPath, DownstreamTerm, GradcheckRow, JacobianTerm, LayerInfo, LossTerm, LossTrace, Mode, NetworkInfo, NotCheckedLine,
  NeuronGrad, ParamGrad, ParamInfo, SampleForward, StepTrace, Trace, TraceLimits, UpdateRow, UpdateTrace,
} from '../src/engine/trace/schema';
import { TRACE_VERSION } from '../src/engine/trace/schema';

export const MAX_NAME = 48;
export const MAX_TEXT = 2000;

export class TraceError extends Error {}

type Read<T> = (v: unknown, at: string) => T;

function fail(at: string, v: unknown, what: string): never {
  throw new TraceError(v === undefined ? `field \`${at}\` is missing` : `field \`${at}\` must be ${what}`);
}

const join = (at: string, key: string) => (at ? `${at}.${key}` : key);

/** FNV-1a, as six hex digits: enough to tell elided names apart. */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0').slice(0, 6);
}

/** A long name as its start, its end and a hash of the whole: `averyveryl…name#3fa2c1`. */
export function elideName(s: string): string {
  return s.length <= MAX_NAME ? s : `${s.slice(0, 24)}…${s.slice(-8)}#${hash(s)}`;
}

/** A long text cut, saying how much was left out. */
export function elideText(s: string): string {
  return s.length <= MAX_TEXT ? s : `${s.slice(0, MAX_TEXT)}… (${(s.length - MAX_TEXT).toLocaleString('en-US')} more characters)`;
}

const count: Read<number> = (v, at) => (typeof v === 'number' && Number.isFinite(v) ? v : fail(at, v, 'a number'));

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

const value: Read<number> = (v, at) => {
  if (typeof v === 'number') return v;
  if (v === null) return NaN;
  if (typeof v === 'string' && v in SPECIAL) return SPECIAL[v];
  return fail(at, v, 'a number');
};

const bool: Read<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, v, 'true or false'));
const yes: Read<true> = (v, at) => (v === true ? true : fail(at, v, 'true'));
const name: Read<string> = (v, at) => (typeof v === 'string' ? elideName(v) : fail(at, v, 'a string'));
const text: Read<string> = (v, at) => (typeof v === 'string' ? elideText(v) : fail(at, v, 'a string'));

function oneOf<T extends string>(words: readonly T[]): Read<T> {
  return (v, at) => (words.includes(v as T) ? (v as T) : fail(at, v, `one of ${words.join(', ')}`));
}

function optional<T>(read: Read<T>): Read<T | undefined> {
  return (v, at) => (v === undefined ? undefined : read(v, at));
}

function nullable<T>(read: Read<T>): Read<T | null> {
  return (v, at) => (v === null ? null : read(v, at));
}

function list<T>(read: Read<T>): Read<T[]> {
  return (v, at) => (Array.isArray(v) ? v.map((x, i) => read(x, `${at}[${i}]`)) : fail(at, v, 'a list'));
}

type Shape = Record<string, Read<unknown>>;
type Fields<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

function object<S extends Shape>(shape: S): Read<Fields<S>> {
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, v, 'an object');
    const o = v as Record<string, unknown>;
    const read: Record<string, unknown> = {};
    for (const key of Object.keys(shape)) {
      const x = shape[key](o[key], join(at, key));
      if (x !== undefined) read[key] = x;
    }
    return read as Fields<S>;
  };
}

const counts = list(count);
const values = list(value);

const layer: Read<LayerInfo> = object({ index: count, activation: nullable(oneOf(ACTIVATION_NAMES)), size: count, neurons: list(name) });

const param: Read<ParamInfo> = object({
  name, kind: oneOf(['weight', 'bias'] as const), from: optional(name), to: list(name), layer: count, value, frozen: bool, generated: bool,
  state: optional(object({ v: value, m: value })),
});

const mode: Read<Mode> = (v, at) => {
  const kind = object({ kind: oneOf(['batch', 'sample', 'minibatch'] as const) })(v, at).kind;
  return kind === 'minibatch' ? { kind, size: object({ size: count })(v, at).size } : { kind };
};

/** An optimizer by name, with the settings its record lists (numbers). */
const optimizer: Read<OptimizerSpec> = (v, at) => {
  const name = object({ name: oneOf(OPTIMIZER_NAMES) })(v, at).name;
  const settings: Record<string, Read<number>> = {};
  for (const s of OPTIMIZER_RECORDS[name].settings) settings[s.key] = value;
  return { ...object(settings)(v, at), name } as OptimizerSpec;
};

const network: Read<NetworkInfo> = object({
  layers: list(layer), params: list(param), paramCount: count, loss: oneOf(LOSS_NAMES), rate: value, mode, sampleCount: count,
  optimizer, decay: value, updates: optional(count),
});

const limits: Read<TraceLimits> = object({ truncated: bool, samplesShown: count, paramsShown: count, maxNeuronsPerLayer: count, notes: list(text) });

const sampleForward: Read<SampleForward> = object({ sample: count, input: values, target: values, layers: list(object({ net: values, out: values })) });

const lossTerm: Read<LossTerm> = object({ sample: count, neuron: name, target: value, out: value, value });
const loss: Read<LossTrace> = object({
  name: oneOf(LOSS_NAMES), scale: value, batchSize: count, terms: list(lossTerm),
  decay: optional(object({ lambda: value, sumSquares: value, value })), total: value,
});

const downstream: Read<DownstreamTerm> = object({ neuron: name, dE_dout: value, dout_dnet: value, weight: name, w: value, dE_dnet: optional(value), product: value });
const jacobianTerm: Read<JacobianTerm> = object({ neuron: name, out: value, dE_dout: value, dout_dnet: value, product: value });
const neuronGrad: Read<NeuronGrad> = object({
  sample: count, neuron: name, layer: count, net: value, out: value, dE_dout: value, dout_dnet: value, dE_dnet: value,
  downstream: optional(list(downstream)), lossDerivative: optional(object({ target: value, out: value, scale: value })),
  jacobian: optional(list(jacobianTerm)), simplified: optional(object({ out: value, target: value, scale: value, value })),
});

const path: Read<ChainPath> = object({ neuron: name, dE_dout: value, dout_dnet: value, dnet_dparam: value, dE_dnet: optional(value), product: value });
const paramGrad: Read<ParamGrad> = object({ name, grad: value, decay: optional(value), perSample: list(object({ sample: count, value, paths: list(path) })) });
const stateChange = optional(object({ before: value, after: value }));
const updateRow: Read<UpdateRow> = object({
  name, old: value, grad: value, step: value, new: value, frozen: bool, v: stateChange, m: stateChange, mHat: optional(value), vHat: optional(value),
});
const update: Read<UpdateTrace> = object({
  samples: counts, forward: list(sampleForward), loss, neurons: list(neuronGrad), grads: list(paramGrad), updates: list(updateRow), t: count,
});

/** A diagnostic's arguments: names and numbers, or lists of names; at most a few dozen of them. */
const diagnosticArgs: Read<Record<string, string | number | string[]>> = (v, at) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, v, 'an object');
  const read: Record<string, string | number | string[]> = {};
  for (const [key, x] of Object.entries(v as Record<string, unknown>).slice(0, 32)) {
    read[elideName(key)] = typeof x === 'number' ? x : Array.isArray(x) ? list(name)(x.slice(0, 32), join(at, key)) : name(x, join(at, key));
  }
  return read;
};

const factor: Read<CheckFactor> = object({ label: text, quantity: text, exact: value, written: optional(value), ok: optional(bool), suspect: bool });
const step: Read<ChainStep> = object({
  line: count, expression: text, value, writtenText: text, ok: bool,
  operand: optional(object({ text, name: text, exact: value })), finding: optional(text),
});
const checkLine: Read<CheckLine> = object({
  line: count, quantity: text, writtenText: text, written: value, exact: value, tolerance: value, ok: bool,
  factors: optional(list(factor)), diagnosis: optional(text), blank: optional(yes),
  slips: optional(list(object({ family: name, text }))),
  batch: optional(object({ of: count, sample: optional(count) })),
  problem: optional(object({ code: name, args: diagnosticArgs, message: text })),
  symbol: optional(text), text: optional(text), endLine: optional(count), steps: optional(list(step)),
});
const notChecked: Read<NotCheckedLine> = object({
  line: count, endLine: optional(count), text, code: text, reason: text,
  suggestion: optional(object({ quantity: text, exact: value, notation: optional(text) })),
});
const gradcheckRow: Read<GradcheckRow> = object({ name, analytic: value, numeric: value, relativeError: value, ok: bool });

const version: Read<typeof TRACE_VERSION> = (v, at) => (v === TRACE_VERSION ? TRACE_VERSION : fail(at, v, String(TRACE_VERSION)));
const common = { version, digits: count, line: count, network, limits };
const kind = <K extends string>(k: K): Read<K> => oneOf([k]);

const stepTrace: Read<StepTrace> = object({ ...common, kind: kind('step'), epoch: count, updates: list(update), lossAfter: value });

const KINDS: { [K in Trace['kind']]: Read<Extract<Trace, { kind: K }>> } = {
  network: object({ ...common, kind: kind('network'), changes: list(text) }),
  forward: object({ ...common, kind: kind('forward'), forward: list(sampleForward), loss }),
  step: stepTrace,
  train: object({
    ...common, kind: kind('train'), epochsRequested: count, epochsRun: count, epoch: count, lossCurve: values, lossEpochs: counts,
    stopped: optional(object({ reason: oneOf(['interrupted', 'diverged'] as const), epoch: count, message: text })),
    final: list(object({ name, value, before: value })), forward: list(sampleForward), loss, snapshots: list(stepTrace),
  }),
  check: object({
    ...common, kind: kind('check'), lines: list(checkLine), passed: count, failed: count, stepEpoch: optional(count),
    notes: optional(bool), notChecked: optional(list(notChecked)), notCheckedMore: optional(count),
  }),
  gradcheck: object({ ...common, kind: kind('gradcheck'), epsilon: value, rows: list(gradcheckRow), maxRelativeError: value, ok: bool }),
  message: object({ ...common, kind: kind('message'), text }),
};

/** The trace in `json`, read as docs/trace.md says; throws a TraceError naming the first wrong field. */
export function readTrace(json: unknown): Trace {
  const k = object({ kind: oneOf(Object.keys(KINDS) as Trace['kind'][]) })(json, '').kind;
  return KINDS[k](json, '');
}
