/**
 * The cell language's vocabulary with one-line meanings, shared by the parser, the extension's
 * completions and hovers, and docs/language.md.
 */
import { ACTIVATION_NAMES, ACTIVATION_RECORDS, type Activation } from '../math/activations';
import { DECAY } from '../math/decay';
import { DEFAULT_LOSS, LOSS_NAMES, LOSS_RECORDS, type LossName } from '../math/losses';
import { OPTIMIZER_NAMES, OPTIMIZER_RECORDS } from '../math/optimizers';

export interface Word {
  word: string;
  /** One line, shown in hovers and completions. */
  doc: string;
  /** Example use, e.g. "train 100 every 10". */
  usage: string;
}

export const KEYWORDS: readonly Word[] = [
  { word: 'input', doc: 'Starts a network: names the input neurons. A cell with `input` defines the notebook\'s network anew.', usage: 'input i1 i2' },
  { word: 'layer', doc: 'Adds the next layer: its neuron names, then its activation.', usage: 'layer h1 h2 sigmoid' },
  { word: 'bias', doc: 'One bias parameter added to the net input of each listed neuron (shared when several are listed).', usage: 'bias b1 -> h1 h2 = 0.35' },
  { word: 'freeze', doc: 'Excludes parameters from updates; training never changes them.', usage: 'freeze b1 b2' },
  { word: 'unfreeze', doc: 'Lets frozen parameters be updated again.', usage: 'unfreeze b1' },
  { word: 'init', doc: 'Fills every weight not written out: `xavier` or `uniform A B`, deterministic for a given seed. Generated names are w_FROM_TO.', usage: 'init xavier seed 3' },
  { word: 'loss', doc: `The loss E: ${LOSS_NAMES.join(', ')} (default half-sse).`, usage: 'loss half-sse' },
  { word: 'rate', doc: 'The learning rate η of the update p ← p − η·∂E/∂p (default 0.5).', usage: 'rate 0.5' },
  { word: 'optimizer', doc: 'How an update turns the gradient into a step: sgd (default), momentum BETA, or adam [BETA1 BETA2 EPS]. Its state carries over between cells; reset clears it.', usage: 'optimizer momentum 0.9' },
  { word: 'decay', doc: DECAY.doc, usage: DECAY.usage },
  { word: 'mode', doc: 'When updates happen: batch (once per epoch, default), sample (after each sample) or minibatch K.', usage: 'mode minibatch 2' },
  { word: 'sample', doc: 'One training sample: input values, `->`, target values. A cell with samples replaces the sample set.', usage: 'sample i1=0.05 i2=0.10 -> o1=0.01 o2=0.99' },
  { word: 'data', doc: 'A table of samples: an indented header of input names `->` output names, then one indented row per sample.', usage: 'data\n  x1 x2 -> y\n  90 40 -> 10' },
  { word: 'forward', doc: 'Forward pass over every sample and the loss, at the current weights.', usage: 'forward' },
  { word: 'step', doc: 'One epoch: forward, loss, backward, update — every table written out.', usage: 'step' },
  { word: 'train', doc: 'N epochs with a loss curve; `every K` also shows the full tables at every K-th epoch.', usage: 'train 100 every 10' },
  { word: 'gradcheck', doc: 'Compares every analytic gradient with central finite differences (on a big network, a subset spread over every layer, so that it takes seconds).', usage: 'gradcheck' },
  { word: 'reset', doc: 'Back to the declared weights (epoch 0), keeping the network and the samples.', usage: 'reset' },
  { word: 'digits', doc: 'Significant digits shown (default 6); numbers are always computed exactly.', usage: 'digits 9' },
  { word: 'check', doc: 'Compares hand-computed numbers (indented `QUANTITY = NUMBER` lines) with the exact ones at the current weights — right after a `step`, those of that step — without changing the weights.', usage: 'check within 0.001\n  dE/dw5 = 0.0822' },
  { word: 'notes', doc: 'After `check`: the indented lines are pasted from a worked solution as they are; each equation ending in a number whose left side is a known quantity or symbol is checked, every other line is listed as not checked, with the reason.', usage: 'check notes\n  $$a_1 = \\frac{1}{1 + e^{-0.3775}} = 0.593$$' },
  { word: 'notation', doc: 'Your own symbols for quantities, for `check` lines written as in your notes: `z_1`, `z_{1}` and `z1` are one symbol (LaTeX spelling, `\\text{}` and blanks are ignored). Kept until the network is defined anew.', usage: 'notation z_1 = net(h1), a_1 = out(h1), J = E' },
  { word: 'vary', doc: 'For exercises: `bpnb exercise` draws each named number (parameters, `rate`, sample values `i1[1]`, `o1[1]`) for each student from A, A+S, …, B. Running the notebook itself keeps the numbers as written.', usage: 'vary w1 w2 rate from 0.1 to 0.9 step 0.05' },
  { word: 'within', doc: 'After `check`: the accepted distance from the exact value (default: half a unit of the last written digit).', usage: 'check within 0.001\n  E = 0.298' },
  { word: 'every', doc: 'After `train N`: show the full step tables at every K-th epoch.', usage: 'train 100 every 10' },
  { word: 'seed', doc: 'After `init ...`: the seed of the deterministic random generator.', usage: 'init uniform -0.5 0.5 seed 1' },
];

/** Activations and losses are described by their records in `math/`. */
export const ACTIVATIONS: readonly (Word & { word: Activation })[] = ACTIVATION_NAMES.map((word) => ({
  word, doc: ACTIVATION_RECORDS[word].doc, usage: word === 'linear' ? 'layer y linear' : `layer h1 h2 ${word}`,
}));

export const LOSSES: readonly (Word & { word: LossName })[] = LOSS_NAMES.map((word) => ({
  word, doc: LOSS_RECORDS[word].doc, usage: `loss ${word}`,
}));

/** Optimizers are described by their records in `math/optimizers.ts`. */
export const OPTIMIZERS: readonly Word[] = OPTIMIZER_NAMES.map((word) => ({ word, doc: OPTIMIZER_RECORDS[word].doc, usage: OPTIMIZER_RECORDS[word].usage }));

/** Keywords that run something (the rest of KEYWORDS declare or set things), for highlighting. */
export const COMMAND_WORDS: readonly string[] = ['forward', 'step', 'train', 'gradcheck', 'reset', 'digits', 'check'];
/** Words that only follow a statement word (`every`, `within`, `seed`, init kinds, modes). */
export const OPTION_WORDS: readonly string[] = ['every', 'within', 'seed', 'xavier', 'uniform', 'batch', 'minibatch', ...OPTIMIZER_NAMES];

export const MODES: readonly Word[] = [
  { word: 'batch', doc: 'One update per epoch from the gradient of E over all samples.', usage: 'mode batch' },
  { word: 'sample', doc: 'One update per sample, in order.', usage: 'mode sample' },
  { word: 'minibatch', doc: 'One update per K samples, in order (the last batch may be smaller).', usage: 'mode minibatch 2' },
];

export { DEFAULT_LOSS };
export const DEFAULT_RATE = 0.5;

const ALL = new Map<string, Word>();
for (const w of [...KEYWORDS, ...ACTIVATIONS, ...LOSSES, ...OPTIMIZERS]) if (!ALL.has(w.word)) ALL.set(w.word, w);

/** The word's entry, for hovers. */
export function lookupWord(word: string): Word | undefined {
  return ALL.get(word);
}

/** Words a name may not be (they would make lines ambiguous). */
export function isReservedWord(word: string): boolean {
  return ALL.has(word) || word === 'xavier' || word === 'uniform' || word === 'batch' || word === 'minibatch';
}
