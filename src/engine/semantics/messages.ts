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
import { escapeControl } from '../present/controls';

export type DiagnosticArg = string | number | readonly string[];
export type DiagnosticArgs = Readonly<Record<string, DiagnosticArg>>;

type Args = Record<string, DiagnosticArg | undefined>;
type Template = (a: Args) => string;

const str = (x: DiagnosticArg | undefined): string => (Array.isArray(x) ? x.join(', ') : String(x ?? ''));
const int = (x: DiagnosticArg | undefined): string => Number(x ?? 0).toLocaleString('en-US');
const plural = (n: DiagnosticArg | undefined, word: string): string => `${int(n)} ${word}${Number(n) === 1 ? '' : 's'}`;
const list = (x: DiagnosticArg | undefined): readonly string[] => (Array.isArray(x) ? x : x === undefined ? [] : [String(x)]);
const didYouMean = (a: Args): string => (a.near !== undefined ? ` — did you mean '${str(a.near)}'?` : '');

/**
 * What the parser expected where a word or number is missing or wrong (`args.expected`): a noun,
 * and an example of the statement where one helps.
 */
const EXPECTED: Record<string, { noun: string | Template; example?: string | Template }> = {
  'number': { noun: 'a number' },
  'number-after-equals': { noun: 'a number after =' },
  'value': { noun: 'a value' },
  'sample-value': { noun: (a) => `a value for ${str(a.name)}` },
  'bias-value': { noun: 'the bias value' },
  'weight-value': { noun: 'the weight value', example: (a) => `${str(a.name)} ${str(a.from)} -> ${str(a.to ?? 'TO')} = 0.15` },
  'bias-name': { noun: 'bias name' },
  'weight-name': { noun: 'weight name' },
  'parameter-name': { noun: 'parameter name' },
  'source-neuron': { noun: 'source neuron' },
  'target-neuron': { noun: 'target neuron' },
  'lower-bound': { noun: 'the lower bound', example: 'init uniform A B' },
  'upper-bound': { noun: 'the upper bound', example: 'init uniform A B' },
  'seed': { noun: 'a seed number' },
  'rate': { noun: 'the learning rate', example: 'rate 0.5' },
  'minibatch-size': { noun: 'the minibatch size', example: 'mode minibatch 2' },
  'epochs': { noun: 'the number of epochs', example: 'train 100' },
  'every': { noun: 'K in train N every K', example: 'train 100 every 10' },
  'digits': { noun: 'the number of significant digits', example: 'digits 9' },
  'tolerance': { noun: 'a tolerance', example: 'check within 0.001' },
  'optimizer-setting': { noun: (a) => `${str(a.setting)} of ${str(a.optimizer)}`, example: (a) => str(a.usage) },
  'decay': { noun: 'the decay λ', example: 'decay 0.01' },
};
const part = (x: string | Template | undefined, a: Args): string => (typeof x === 'function' ? x(a) : x ?? '');
const noun = (a: Args): string => part(EXPECTED[str(a.expected)]?.noun, a) || str(a.expected);
const expected = (a: Args): string => {
  const example = part(EXPECTED[str(a.expected)]?.example, a);
  return example ? `${noun(a)}: ${example}` : noun(a);
};
const layerName = (l: DiagnosticArg | undefined): string => (Number(l) === 0 ? 'the input layer' : `layer ${str(l)}`);
/** " — did you mean 'o1'?" when a name is close, else the first of the names it could be. */
function namesHint(a: Args): string {
  if (a.near !== undefined) return didYouMean(a);
  return ` (those are ${str(a.names)}${a.more ? ', …' : ''})`;
}
const earlier = (a: Args): string => (a.earlier ? ' (the samples come from an earlier cell)' : '');
/** About how much work, as "1.5e+12". */
const work = (x: DiagnosticArg | undefined): string => Number(x).toExponential(1);
const limit = (x: DiagnosticArg | undefined): string => Number(x).toExponential(0);

// ---- helpers of the commands section ----

/** `train 1,000` or `'forward'`: the command a work message is about. */
const command = (a: Args): string => (a.command === 'train' ? `train ${int(a.epochs)}` : `'${str(a.command)}'`);
const unknown = (a: Args): string => `unknown ${str(a.what)} '${str(a.name)}'${didYouMean(a)}`;

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

/** Every draw for a student was degenerate: how many for each reason (see exercise/degenerate.ts). */
function noUsableDraw(a: Args): string {
  const reasons: [DiagnosticArg | undefined, string][] = [
    [a.kink, 'a relu-like unit exactly at its kink'], [a.saturated, 'a saturated unit'],
    [a.zero, 'a blank gradient that rounds to 0'], [a.identical, "another student's numbers"],
  ];
  const why = reasons.filter(([n]) => Number(n) > 0).map(([n, w]) => `${int(n)} gave ${w}`).join(', ');
  return `no usable numbers for student ${str(a.id)} in ${plural(a.draws, 'draw')} (${why}): widen the ranges of the 'vary' lines`;
}

const MESSAGES = {

  // ---- language: the scanner and the parser ----
  'more-errors': (a) => `… and ${plural(a.count, 'more error')} in this cell`,
  'expected': (a) => `expected ${expected(a)}`,
  'not-a-number': (a) => `'${str(a.text)}' is not a number (write 0.15, .15, -2, 3.5e-5 or 0,15)${a.expected !== undefined ? ` — expected ${expected(a)}` : ''}`,
  'not-whole-number': (a) => `${noun(a)} must be a whole number of at least ${str(a.min)}, not ${str(a.text)}`,
  'expected-one': (a) => `expected one ${noun(a)}, not a list`,
  'unexpected-trailing': (a) => `unexpected '${str(a.text)}' at the end of the line`,
  'not-a-name': (a) => `'${str(a.text)}' is not a name: a name is a letter, then letters, digits or _`,
  'empty-list': (a) => `'${str(a.text)}' names no neurons: N in NAME[N] must be at least 1`,
  'list-too-long': (a) => `'${str(a.text)}' is too long a list (at most ${int(a.max)} names)`,
  'name-too-long': (a) => `a name has at most ${int(a.max)} characters; this one has ${int(a.length)} ('${str(a.start)}…')`,
  'reserved-name': (a) => `'${str(a.text)}' is a keyword of the language and cannot be used as a name`,
  'cell-neuron-limit': (a) => `this cell names more than ${int(a.max)} neurons, the limit`,
  'unknown-statement': (a) => `unknown statement '${str(a.word)}'${didYouMean(a)}; a line is a keyword (${str(a.keywords)}, …) or a weight 'NAME FROM -> TO = NUMBER'`,
  'input-needs-names': () => "'input' needs at least one neuron name: input i1 i2",
  'layer-needs-names': () => "'layer' needs neuron names and then an activation: layer h1 h2 sigmoid",
  'unknown-activation': (a) => (a.near !== undefined
    ? `'${str(a.text)}' is not an activation${didYouMean(a)} (one of ${str(a.choices)})`
    : `this layer has no activation: end the line with one of ${str(a.choices)} ('${str(a.text)}' is not one)`),
  'bias-syntax': () => "expected 'bias NAME -> NEURONS = NUMBER'",
  'bias-needs-neurons': () => "'bias' needs the neurons it is added to: bias b1 -> h1 h2 = 0.35",
  'needs-param-names': (a) => `'${str(a.word)}' needs parameter names: ${str(a.word)} b1 b2`,
  'init-syntax': () => "expected 'init xavier [seed N]' or 'init uniform A B [seed N]'",
  'init-uniform-order': (a) => `init uniform needs A < B, got ${str(a.low)} and ${str(a.high)}`,
  'seed-range': (a) => `a seed is a whole number from 0 to 4,294,967,295, not ${str(a.text)}`,
  'unknown-loss': (a) => `${a.text !== undefined ? `'${str(a.text)}' is not a loss` : "'loss' needs a loss name"}${didYouMean(a)} (one of ${str(a.choices)})`,
  'rate-not-positive': (a) => `the learning rate must be positive, not ${str(a.text)}`,
  'unknown-optimizer': (a) => `${a.text !== undefined ? `'${str(a.text)}' is not an optimizer` : "'optimizer' needs an optimizer name"}${didYouMean(a)} (one of ${str(a.choices)}: optimizer sgd, optimizer momentum 0.9, optimizer adam)`,
  'optimizer-setting-range': (a) => `${str(a.setting)} of ${str(a.optimizer)} must be ${a.range === 'fraction' ? 'at least 0 and below 1' : 'positive'}, not ${str(a.text)}`,
  'decay-negative': (a) => `the decay λ cannot be negative (${str(a.text)}); decay 0 turns it off`,
  'mode-syntax': () => "expected 'mode batch', 'mode sample' or 'mode minibatch K'",
  'too-many-digits': () => 'at most 17 significant digits exist in a double; use digits 17 or fewer',
  'sample-needs-arrow': () => "a sample needs '->' between inputs and targets: sample i1=0.05 i2=0.10 -> o1=0.01",
  'sample-needs-target': () => 'a sample needs at least one target after ->',
  'expected-pair': (a) => `expected NAME=NUMBER, got '${str(a.text)}'`,
  'pair-needs-one-name': () => "expected one name, not a list, before '='",
  'data-not-indented': () => "the header and rows of 'data' are indented under it (a space or a tab first)",
  'data-needs-header': () => "'data' needs an indented header (x1 x2 -> y) and rows below it",
  'data-header-needs-arrow': () => "the data header needs '->' between input and target names: x1 x2 -> y",
  'data-header-needs-inputs': () => 'the data header needs input names before ->: x1 x2 -> y',
  'data-header-needs-targets': () => 'the data header needs at least one target name after ->',
  'data-no-rows': () => "'data' has a header but no rows",
  'data-row-empty': () => 'this row has no numbers',
  'data-row-width': (a) => `this row has ${plural(a.numbers, 'number')}, the header names ${int(Number(a.inputs) + Number(a.targets))} (${plural(a.inputs, 'input')}, ${plural(a.targets, 'target')})`,
  'data-row-arrows': () => "a row has at most one '->'",
  'data-row-arrow-place': (a) => `'->' stands after ${plural(a.before, 'number')} in this row, but the header has ${plural(a.inputs, 'input')} before '->'`,
  'tolerance-negative': (a) => `a tolerance cannot be negative (${str(a.text)})`,
  'check-not-indented': () => "check lines are indented under 'check' (a space or a tab first): write '  QUANTITY = NUMBER'",
  'check-needs-lines': () => "'check' needs indented lines below it, each 'QUANTITY = NUMBER', e.g.   dE/dw5 = 0.0822",
  'check-line-syntax': () => "a check line is 'QUANTITY = NUMBER', e.g. dE/dw5 = 0.0822",
  'sample-numbering': () => 'samples are numbered from 1: [1] is the first',
  'not-a-chain-factor': (a) => `dout(${str(a.out)})/dnet(${str(a.net)}) is not a factor of the chain rule: use the same neuron twice (two neurons only for an entry of a softmax layer's Jacobian, both in that layer)`,
  'after-takes-no-sample': (a) => `${str(a.name)}' is the value after one step over all samples; it takes no [k]`,
  'value-takes-no-sample': (a) => `${str(a.name)} is a parameter value; it takes no [k]`,
  'state-takes-no-sample': (a) => `${str(a.slot)}(${str(a.name)}) is the optimizer's state after the latest update, of the whole batch; it takes no [k]`,
  'unknown-quantity': (a) => `'${str(a.text)}' is not a quantity check knows: E, E(o1), net(h1), out(h1), dE/dw5, dE/dout(h1), dE/dnet(h1), dout(h1)/dnet(h1), dnet(o1)/dw5, w5', v(w5), m(w5) (optionally [k] for sample k), nor a symbol given by 'notation'`,
  // Equation chains in check lines (language/equations.ts) and the student's notation.
  'equation-unbalanced': (a) => `'${str(a.text)}' is not closed in this expression`,
  'equation-expected-operand': (a) => `expected a number or a symbol${a.text ? ` before '${str(a.text)}'` : ' here'}`,
  'equation-too-deep': (a) => `this expression is nested more than ${str(a.text)} levels deep`,
  'equation-too-long': (a) => `an equation has at most ${int(a.text)} characters`,
  'equation-unexpected': (a) => `unexpected '${str(a.text)}' in this expression`,
  'equation-numbers-adjacent': (a) => `'${str(a.text)}': two numbers side by side — write the operation between them (· or +)`,
  'notation-syntax': () => "expected 'notation SYMBOL = QUANTITY, …', e.g. notation z_1 = net(h1), a_1 = out(h1), J = E",
  'notation-not-a-symbol': (a) => `'${str(a.symbol)}' is not a symbol (a symbol has a letter, and no '=' or ',')`,
  'notation-symbol-is-quantity': (a) => `'${str(a.symbol)}' already means ${str(a.quantity)}: choose a symbol that is not a quantity check knows`,
  'notation-symbol-is-parameter': (a) => `'${str(a.symbol)}' is the parameter ${str(a.name)}: a symbol of your own must be another name`,
  'notation-symbol-twice': (a) => `'${str(a.symbol)}' is the same symbol as '${str(a.first)}' on line ${str(a.defined)} (symbols are compared without _, {}, \\text{} and blanks)`,
  // Lines of `check notes` that are not checked: the reason shown beside them.
  'notes-prose': () => 'text, not an equation',
  'notes-table-row': () => 'a table row without an equation and its number',
  'notes-no-equals': () => "no '=' in it: nothing to check",
  'notes-continues-nothing': () => "starts with '=' but no equation above it to continue",
  'notes-question': () => 'a question: there is no value to check',
  'notes-no-number': (a) => (a.last ? `the equation ends in '${str(a.last)}', not in a number` : 'the equation ends in no number'),
  'notes-ends-in-expression': (a) => `the equation ends in a computation ('${str(a.last)}'), not in its result`,
  'notes-left-is-computation': (a) => `the left side '${str(a.left)}' is a computation: nothing names the quantity`,
  'notes-unknown-symbol': (a) => `'${str(a.text)}' is neither a quantity check knows nor a symbol given by 'notation'`,
  'notes-neuron-name': (a) => `'${str(a.text)}' is the neuron ${str(a.neuron)}: say which of its values with notation, e.g. notation ${str(a.text)} = net(${str(a.neuron)})`,
  'notes-partial-term': (a) => `∂${str(a.of)}/∂${str(a.by)} is one term of a sum, not a quantity check has`,
  'notes-not-a-quantity': (a) => `∂${str(a.of)}/∂${str(a.by)} is not a quantity check has`,
  'notes-no-edge': (a) => `∂net(${str(a.to)})/∂out(${str(a.from)}): ${str(a.from)} does not feed ${str(a.to)}`,
  'vary-syntax': () => "expected 'vary NAMES from A to B step S', e.g. vary w1 w2 from 0.1 to 0.9 step 0.05",
  'vary-needs-names': () => "'vary' needs the names it draws: parameters (w1), rate, or sample values (i1[1], o1[1])",
  'vary-step': (a) => `the step of 'vary' must be positive, not ${str(a.step)}`,
  'vary-order': (a) => `'vary … from A to B' needs A ≤ B, got ${str(a.from)} and ${str(a.to)}`,
  'vary-grid': (a) => `${str(a.to)} is not ${str(a.from)} plus a whole number of steps of ${str(a.step)}`,
  'vary-too-many': (a) => `'vary' from ${str(a.from)} to ${str(a.to)} step ${str(a.step)} offers more than ${int(a.max)} values, the limit`,
  'points-syntax': (a) => `'${str(a.text)}' is not a weight: write [2 points] or [1 point] after the value`,
  // The file as a whole (file/bpnb.ts): not in a cell, so the edges place them at a file line.
  'file-too-many-lines': (a) => `this file has more than ${int(a.max)} lines, the limit: reading stopped here (the rest is kept as it is, but not read)`,
  'file-too-many-cells': (a) => `this file has more than ${int(a.max)} cells, the limit: reading stopped here (the rest is kept as it is, but not read)`,
  'file-not-utf8': (a) => `this file is not valid UTF-8 (byte 0x${Number(a.byte).toString(16).toUpperCase().padStart(2, '0')} here), so it was read as Latin-1: characters beyond ASCII, such as →, do not read as written`,

  // ---- semantics: the network, the samples, cross-cell planning ----
  'unknown-name': unknown,
  'second-input': (a) => `a network has one 'input' line (the first is on line ${str(a.defined)}); start a new cell for a new network`,
  'duplicate-name': (a) => `duplicate name '${str(a.name)}': already declared on line ${str(a.defined)}`,
  'input-after-layers': () => "'input' must come before the 'layer' lines",
  'network-needs-layer': () => "a network needs at least one 'layer' after its 'input' line: layer h1 h2 sigmoid",
  'neuron-limit': (a) => `this network has ${int(a.count)} neurons; the limit is ${int(a.max)}`,
  'weight-limit': (a) => `this network has ${int(a.count)} weights; the limit is ${int(a.max)} parameters`,
  'not-an-edge': (a) => `${str(a.from)} -> ${str(a.to)} is not an edge: weights connect a layer to the next one (${str(a.from)} is in ${layerName(a.fromLayer)}, ${str(a.to)} in ${layerName(a.toLayer)})`,
  'edge-has-weight': (a) => `the edge ${str(a.from)} -> ${str(a.to)} already has the weight '${str(a.owner)}' (line ${str(a.defined)})`,
  'bias-on-input': (a) => `${str(a.name)} is an input; inputs take no bias`,
  'bias-listed-twice': (a) => `${str(a.name)} is listed twice in this bias`,
  'neuron-has-bias': (a) => `${str(a.name)} already has the bias '${str(a.owner)}' (line ${str(a.defined)}); a neuron has at most one bias`,
  'second-init': () => 'a network has one init line',
  'softmax-not-last': (a) => `${str(a.activation)} is for the output layer only (its out depends on the whole layer, and it is the last step before the loss); this is ${layerName(a.layer)} of ${str(a.layers)}: use sigmoid, tanh, relu, leaky-relu or linear here`,
  // The classification losses take logs of the outputs and read the targets as probabilities.
  'loss-needs-unit-outputs': (a) => `${str(a.loss)} takes the logarithm of the outputs, so they must lie in (0, 1): the output layer is ${str(a.activation)}; make it ${str(a.choices)}, or use a squared-error loss`,
  'target-outside-unit': (a) => `sample ${str(a.sample)}${a.cellLine !== undefined ? ` (line ${str(a.cellLine)} of its cell)` : ''}: the target ${str(a.target)} = ${formatNumber(Number(a.value), 6)} is outside [0, 1], but ${str(a.loss)} reads targets as probabilities${earlier(a)}`,
  'targets-not-distribution': (a) => `sample ${str(a.sample)}${a.cellLine !== undefined ? ` (line ${str(a.cellLine)} of its cell)` : ''}: the targets sum to ${formatNumber(Number(a.sum), 6)}, but ${str(a.loss)} needs a distribution over the outputs that sums to 1 (one-hot: one target 1, the others 0)${earlier(a)}`,
  'missing-weights': (a) => `missing weight${Number(a.count) > 1 ? 's' : ''} for ${plural(a.count, 'edge')} into this layer: ${str(a.edges)}${Number(a.more) > 0 ? `, … (${int(a.more)} more)` : ''} — write 'NAME FROM -> TO = NUMBER' for each, or add 'init xavier' to fill them`,
  'generated-name-clash': (a) => `'${str(a.name)}' is the name init generates for the edge ${str(a.from)} -> ${str(a.to)}; choose another name`,
  'sample-name-side': (a) => `'${str(a.name)}' is ${a.side === 'target' ? 'a target' : 'an input'} in another sample; a name is either an input or a target`,
  'sample-name-twice': (a) => `'${str(a.name)}' is given twice in this sample`,
  'header-name-twice': (a) => `'${str(a.name)}' appears twice in this header`,
  'too-many-samples': (a) => `too many samples: ${int(a.count)} samples of ${str(a.width)} numbers; the limits are ${int(a.maxSamples)} samples and ${int(a.maxValues)} numbers`,
  'output-as-input': (a) => `'${str(a.name)}' is an output neuron; write it after '->'${earlier(a)}`,
  'input-as-target': (a) => `'${str(a.name)}' is an input neuron; write it before '->'${earlier(a)}`,
  'not-a-network-input': (a) => `'${str(a.name)}' is not an input of the network${namesHint(a)}${earlier(a)}`,
  'not-a-network-output': (a) => `'${str(a.name)}' is not an output of the network${namesHint(a)}${earlier(a)}`,
  'sample-lacks': (a) => {
    const lacks = [...list(a.inputs).map((n) => `input ${n}`), ...list(a.targets).map((n) => `target ${n}`)].join(', ');
    const line = a.cellLine !== undefined ? ` (line ${str(a.cellLine)} of its cell)` : '';
    return `sample ${str(a.sample)}${line} lacks ${lacks}${Number(a.more) > 0 ? `, … (${int(a.more)} more)` : ''}${earlier(a)}`;
  },

  // ---- commands: forward, step, train, check, gradcheck, and planning a cell against the state ----
  'definition-outside-network-cell': (a) => `'${str(a.statement)}' belongs in the cell that defines the network (the one with 'input')`,
  'needs-network': (a) => `'${str(a.statement)}' needs a network: define one with 'input' and 'layer' lines first`,
  'param-needs-network': (a) => `'${str(a.name)}' belongs to a network: define one with 'input' and 'layer' lines first`,
  'set-needs-network': () => 'there is no network yet to set a parameter of',
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
  'no-optimizer-state': (a) => `${str(a.slot)}(${str(a.name)}): the optimizer ${str(a.optimizer)} keeps no ${a.slot === 'm' ? 'first moment m (only adam does)' : 'state v (momentum and adam do)'}`,
  'log-of-zero': (a) => {
    const at = a.epoch !== undefined ? ` at epoch ${int(a.epoch)}` : '';
    const kept = a.kept !== undefined ? `; the weights are kept from epoch ${int(a.kept)}, the last with a finite loss` : '';
    return `log 0${at}: out(${str(a.neuron)}) of sample ${int(a.sample)} is exactly ${formatNumber(Number(a.out), 6)} (net ${formatNumber(Number(a.net), 6)}), so ${str(a.loss)} takes ln 0 and E is infinite`
      + ` — the net inputs have grown too large for double precision (a learning rate too high, or weights too big)${kept}`;
  },
  diverged: (a) =>
    `training stopped at epoch ${int(a.epoch)}: the loss or the weights became NaN or ±Infinity — the learning rate (${formatNumber(Number(a.rate), 6)}) is too high or the values overflowed; the weights are kept from epoch ${int(a.kept)}, the last finite ones`,
  'train-interrupted': (a) => `interrupted after ${int(a.run)} of ${int(a.epochs)} epochs; the weights are those of the last whole epoch (epoch ${int(a.epoch)})`,
  'train-saturated': saturated,

  // ---- exercises (engine/exercise/): templates, rosters, drawing each student's numbers ----
  'vary-unknown-param': (a) => `'vary' draws '${str(a.name)}', which the network cell does not declare${didYouMean(a)} (a weight or bias written there with its value)`,
  'vary-unknown-sample-value': (a) => `'vary' draws ${str(a.name)}[${str(a.sample)}], but sample ${str(a.sample)} of the samples cell gives no ${str(a.name)}`,
  'vary-twice': (a) => `'${str(a.name)}' is drawn by two 'vary' lines; draw each number once`,
  'exercise-one-network': (a) => `'vary' draws parameters of the network, so the notebook must define exactly one (it has ${plural(a.count, 'cell')} with 'input')`,
  'exercise-one-sample-cell': (a) => `'vary' draws sample values, so the notebook must declare its samples in exactly one cell (it has ${int(a.count)})`,
  'exercise-one-rate': (a) => `'vary' draws the rate, so the notebook may have at most one 'rate' line (it has ${int(a.count)})`,
  'exercise-no-blanks': () => "this template has no blanks: write 'QUANTITY = ?' lines in a check block for the students to fill in",
  'exercise-too-many-samples': (a) => `an exercise has at most ${int(a.max)} samples`,
  'exercise-fixed-line-fails': (a) => `this check line is not a blank and fails${a.id !== undefined ? ` with the numbers of student ${str(a.id)}` : ''} (${str(a.quantity)} = ${str(a.written)}): make it a blank, ${str(a.quantity)} = ?`,
  'exercise-no-usable-draw': noUsableDraw,
  'exercise-student-fails': (a) => `the notebook of student ${str(a.id)} does not run: ${str(a.detail)}`,
  'exercise-internal': (a) => `internal error: ${str(a.message)}`,
  'csv-unclosed-quote': () => 'this quoted field is never closed (a field in double quotes ends with a double quote)',
  'csv-quote-in-field': () => 'a double quote inside a field that does not start with one: put the whole field in double quotes and double the quote inside',
  'csv-after-quote': () => 'text after the closing quote of a field: a quoted field ends at a comma or the end of the line',
  'roster-no-header': () => "the roster is empty: it needs a header row with a column 'id', then one row per student",
  'roster-no-id-column': (a) => `the roster's header has no column 'id' (it has ${str(a.header)})`,
  'roster-no-students': () => 'the roster has a header but no students',
  'roster-too-many': (a) => `a roster lists at most ${int(a.max)} students`,
  'roster-missing-id': (a) => `this row has no field ${int(a.column)} (the id column)`,
  'roster-empty-id': () => 'this student has an empty id',
  'roster-unsafe-id': (a) => `'${str(a.id)}' cannot name a file: an id is letters, digits, _, - and . (not first or last), at most ${int(a.max)} characters, and not a device name such as CON or NUL`,
  'roster-duplicate-id': (a) => `the id '${str(a.id)}' is already on line ${str(a.line)} (ids are compared ignoring case, as some file systems do)`,

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
