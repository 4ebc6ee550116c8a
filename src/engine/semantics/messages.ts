/**
 * The one place where diagnostics become English. Every code the engine can produce has one entry
 * here; the edges (command line, kernel, editor diagnostics, hovers) call `messageOf` and nothing
 * else turns a diagnostic into words, so no layer ever parses another layer's sentences.
 *
 * Lines named in a message (`related`) are the cell's lines unless the caller passes `lineOffset`,
 * which the command line uses to speak of the file's lines.
 */
import type { Diagnostic } from './diagnostics';
import { formatNumber } from '../language/numbers';
import { escapeControl } from '../present/text';

export type DiagnosticArg = string | number | readonly string[];
export type DiagnosticArgs = Readonly<Record<string, DiagnosticArg>>;

type Args = Record<string, DiagnosticArg | undefined>;
type Template = (a: Args) => string;

const str = (x: DiagnosticArg | undefined): string => (Array.isArray(x) ? x.join(', ') : String(x ?? ''));
const int = (x: DiagnosticArg | undefined): string => Number(x).toLocaleString('en-US');
/** About how much work, as "1.5e+12". */
const work = (x: DiagnosticArg | undefined): string => Number(x).toExponential(1);
const limit = (x: DiagnosticArg | undefined): string => Number(x).toExponential(0);
const plural = (n: DiagnosticArg | undefined, one: string): string => `${int(n)} ${one}${Number(n) === 1 ? '' : 's'}`;

// ---- helpers of the commands section ----

/** `train 1,000` or `'forward'`: the command a work message is about. */
const command = (a: Args): string => (a.command === 'train' ? `train ${int(a.epochs)}` : `'${str(a.command)}'`);
const unknown = (a: Args): string => `unknown ${str(a.what)} '${str(a.name)}'${a.near !== undefined ? ` — did you mean '${str(a.near)}'?` : ''}`;

/**
 * The commands of a cell, after what earlier cells of the run did, add up to more than the limit:
 * `total` is the run's work up to this command, `cell` all the cell asks for, `before` what ran
 * earlier in the run, `left` what still fits at this command (`fit` epochs for a `train`).
 */
function runOverWork(a: Args): string {
  const fits = a.fit !== undefined
    ? (Number(a.fit) >= 1 ? `train ${int(a.fit)} is the most that still fits here` : 'not one more epoch fits in this run')
    : (Number(a.left) >= 1 ? `about ${work(a.left)} is left here` : 'nothing more fits in this run');
  const earlier = Number(a.before) > 0 ? `; ${work(a.before)} ran earlier in this run` : '';
  return `${command(a)} would bring the work of this run to about ${work(a.total)} multiply-adds, beyond the limit of ${limit(a.limit)} for one run of cells`
    + ` (this cell asks for about ${work(a.cell)} in all${earlier}); ${fits}`;
}

/** A warning: training ran, but has stalled with saturated neurons (see commands/saturation.ts). */
function saturated(a: Args): string {
  const rate = formatNumber(Number(a.rate), 6);
  const neurons = `${str(a.neurons)}${Number(a.more) > 0 ? `, … ${int(a.more)} more` : ''}`;
  return `after epoch ${int(a.epoch)} training has stalled: every gradient is below ${limit(a.threshold)} while the loss is still ${formatNumber(Number(a.loss), 6)},`
    + ` because the ${str(a.activation)} neurons of layer ${int(a.layer)} (${neurons}) are saturated (∂out/∂net below ${limit(a.threshold)} for every sample)`
    + ` — the learning rate (${rate}) is probably far too high; try a smaller one after 'reset'`;
}

const MESSAGES = {
  // Transitional: a message made before its code existed (see Diagnostic.message).
  legacy: (a) => str(a.text),

  // ---- language: the scanner and the parser ----

  // ---- semantics: the network, the samples, cross-cell planning ----

  // ---- commands: forward, step, train, check, gradcheck, and planning a cell against the state ----
  'definition-outside-network-cell': (a) => `'${str(a.statement)}' belongs in the cell that defines the network (the one with 'input')`,
  'needs-network': (a) => `'${str(a.statement)}' needs a network: define one with 'input' and 'layer' lines first`,
  'param-needs-network': (a) => `'${str(a.name)}' belongs to a network: define one with 'input' and 'layer' lines first`,
  'set-needs-network': () => 'there is no network yet to set a parameter of',
  'unknown-name': unknown,
  'unknown-parameter-in-later-cell': (a) => `${unknown({ ...a, what: 'parameter' })} (a cell without 'input' can only change existing parameters)`,
  'neuron-not-parameter': (a) => `'${str(a.name)}' is a neuron, not a parameter`,
  'weight-of-other-edge': (a) => `${str(a.name)} is the weight ${str(a.from)} -> ${str(a.to)}, not ${str(a.writtenFrom)} -> ${str(a.writtenTo)}`,
  'bias-not-weight': (a) => `${str(a.name)} is a bias, not a weight`,
  'weight-not-bias': (a) => `${str(a.name)} is a weight, not a bias`,
  'bias-neurons-fixed': (a) => `${str(a.name)} is the bias of ${str(a.to)}; its neurons cannot change outside the defining cell`,
  'needs-samples': (a) => `'${str(a.statement)}' needs samples: add 'sample ...' lines or a 'data' table`,
  'too-many-epochs': (a) => `train ${int(a.epochs)} is more than the limit of ${int(a.limit)} epochs`,
  // One command alone is more work than the limit; `fit` (train only) is how many epochs would fit.
  'command-over-work-limit': (a) =>
    `${command(a)} is about ${work(a.work)} multiply-adds of work (${plural(a.samples, 'sample')} × ${int(a.params)} parameters), beyond the limit of ${limit(a.limit)}`
    + (a.fit !== undefined ? `; train ${int(a.fit)} is the most that fits` : ''),
  'run-over-work-limit': runOverWork,
  'sample-out-of-range': (a) => `there ${Number(a.count) === 1 ? 'is 1 sample' : `are ${int(a.count)} samples`}; [${int(a.sample)}] is out of range`,
  'not-an-output': (a) => `E(${str(a.neuron)}): ${str(a.neuron)} is not an output neuron (E(NAME) is one output's loss term)`,
  'input-has-no-activation': (a) => `${str(a.neuron)} is an input: it has no activation to differentiate`,
  'input-has-no-net': (a) => `${str(a.neuron)} is an input: it has no net input`,
  diverged: (a) =>
    `training stopped at epoch ${int(a.epoch)}: the loss or the weights became NaN or ±Infinity — the learning rate (${formatNumber(Number(a.rate), 6)}) is too high or the values overflowed; the weights are kept from epoch ${int(a.kept)}, the last finite ones`,
  'train-interrupted': (a) => `interrupted after ${int(a.run)} of ${int(a.epochs)} epochs; the weights are those of the last whole epoch (epoch ${int(a.epoch)})`,
  'train-saturated': saturated,

} satisfies Record<string, Template>;

export type DiagnosticCode = keyof typeof MESSAGES;

/** The English of a diagnostic; `lineOffset` is added to every line it names (0: lines of the cell). */
export function messageOf(d: Pick<Diagnostic, 'code' | 'args' | 'related'>, lineOffset = 0): string {
  // Arguments are often the user's own text (names, numbers as written): a message must be safe to
  // print on a terminal whatever the notebook holds.
  const args: Args = {};
  for (const [k, v] of Object.entries(d.args)) args[k] = safe(v);
  for (const r of d.related ?? []) args[r.role] = r.line + lineOffset;
  const template: Template = MESSAGES[d.code];
  return template(args);
}

function safe(x: DiagnosticArg): DiagnosticArg {
  if (typeof x === 'string') return escapeControl(x);
  if (Array.isArray(x)) return (x as readonly string[]).map(escapeControl);
  return x;
}
