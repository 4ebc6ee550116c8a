/**
 * Where the cursor is, for completions (completion.ts offers what fits): after `loss` the losses,
 * after a layer's names the activations, after `mode` and `optimizer` theirs, after `freeze` the
 * parameters, after an arrow the neurons; in a `check` block, and on the right of a `=` in a
 * `notation` line or block, the quantities written with the network's own names (`dE/dw5`,
 * `out(h1)`, `w5'`, and under momentum or Adam `v(w5)`, `m(w5)`); at the start of a line the keywords. Pure (no `vscode`), so it is unit tested.
 */
import { notationSide } from '../engine/language/statements/notation';
import { ACTIVATIONS, KEYWORDS, LOSSES, MODES, OPTIMIZERS, type Word } from '../engine/language/vocabulary';
import type { OptimizerName } from '../engine/math/optimizers';

/** The network as far as completions need it. */
export interface Names {
  params: string[];
  neurons: string[];
  /** The last layer's neurons. */
  outputs: string[];
  /** The optimizer in force (default sgd): its state's quantities, `v(w5)` and `m(w5)`, are offered under it only. */
  optimizer?: OptimizerName;
}

/** The optimizer state quantities of parameter p under each optimizer (docs/language.md, `check`). */
const STATE: { [N in OptimizerName]: (p: string) => { label: string; detail: string }[] } = {
  sgd: () => [],
  momentum: (p) => [{ label: `v(${p})`, detail: `momentum's velocity of ${p} after the latest update` }],
  adam: (p) => [
    { label: `m(${p})`, detail: `Adam's first moment of ${p} after the latest update` },
    { label: `v(${p})`, detail: `Adam's second moment of ${p} after the latest update` },
  ],
};

/** Neurons offered by name at most: a network of 10,000 neurons would bury everything else. */
export const MAX_NAMES = 500;

/** The quantities of a `check` line (and of a `notation`'s right side), written with the network's names. */
export function quantities(names: Names): { label: string; detail: string }[] {
  const hidden = names.neurons.filter((n) => !names.outputs.includes(n));
  const q: { label: string; detail: string }[] = [{ label: 'E', detail: 'the loss over the batch' }];
  for (const o of names.outputs) q.push({ label: `E(${o})`, detail: `the loss term of output ${o}` });
  for (const n of [...hidden, ...names.outputs].slice(0, MAX_NAMES)) {
    q.push(
      { label: `net(${n})`, detail: `net input of ${n}` }, { label: `out(${n})`, detail: `output of ${n}` },
      { label: `dE/dout(${n})`, detail: `∂E/∂out of ${n}` }, { label: `dE/dnet(${n})`, detail: `δ of ${n}, ∂E/∂net` },
      { label: `dout(${n})/dnet(${n})`, detail: `the activation's derivative at ${n}` },
    );
  }
  for (const p of names.params.slice(0, MAX_NAMES)) {
    q.push({ label: `dE/d${p}`, detail: `∂E/∂${p}, the gradient` }, { label: `${p}'`, detail: `${p} after one step` }, { label: p, detail: `the value of ${p}` });
    q.push(...STATE[names.optimizer ?? 'sgd'](p));
  }
  return q;
}

export type Context =
  | { kind: 'start' } | { kind: 'words'; words: readonly Word[]; what: string } | { kind: 'names'; which: 'params' | 'neurons' }
  | { kind: 'quantities' } | { kind: 'none' };

const INIT_WORDS: Word[] = [
  { word: 'xavier', doc: 'Xavier/Glorot uniform: U(−r, r), r = √(6/(fan-in + fan-out)).', usage: 'init xavier seed 1' },
  { word: 'uniform', doc: 'Uniform between two numbers A < B.', usage: 'init uniform -0.5 0.5 seed 1' },
];
const word = (w: string) => KEYWORDS.find((k) => k.word === w)!;

/** The statement word of the indented block that line `line` of the cell lies in (`check`, `notation`), if any. */
function blockOf(lines: string[], line: number): string | undefined {
  if (!/^[ \t]/.test(lines[line] ?? '')) return undefined;
  for (let i = line - 1; i >= 0; i--) {
    const l = lines[i].replace(/#.*$/, '');
    if (!l.trim() || /^[ \t]/.test(l)) continue;
    return /^[A-Za-z]+/.exec(l)?.[0];
  }
  return undefined;
}

/** What may be written at the cursor, from the words before it on its line. */
export function contextAt(lines: string[], line: number, character: number): Context {
  const before = lines[line].slice(0, character).replace(/#.*$/, '');
  const block = blockOf(lines, line);
  // A symbol is the student's own: nothing to offer until its `=`, then the quantity it stands for.
  const notation = () => (notationSide(before) === 'quantity' ? { kind: 'quantities' } as const : { kind: 'none' } as const);
  if (block === 'check') return /=/.test(before) ? { kind: 'none' } : { kind: 'quantities' };
  if (block === 'notation') return notation();
  const words = before.split(/\s+/).filter(Boolean);
  const typing = /\s$/.test(before) || before === '' ? '' : words.pop() ?? '';
  if (words.length === 0) return typing.includes('=') ? { kind: 'none' } : { kind: 'start' };
  const [first] = words;
  switch (first) {
    case 'loss': return words.length === 1 ? { kind: 'words', words: LOSSES, what: 'loss' } : { kind: 'none' };
    case 'mode': return words.length === 1 ? { kind: 'words', words: MODES, what: 'mode' } : { kind: 'none' };
    case 'optimizer': return words.length === 1 ? { kind: 'words', words: OPTIMIZERS, what: 'optimizer' } : { kind: 'none' };
    case 'layer': return words.length >= 2 ? { kind: 'words', words: ACTIVATIONS, what: 'activation' } : { kind: 'none' };
    case 'init': return words.length === 1 ? { kind: 'words', words: INIT_WORDS, what: 'init' } : { kind: 'words', words: [word('seed')], what: 'keyword' };
    case 'freeze': case 'unfreeze': return { kind: 'names', which: 'params' };
    case 'train': return words.length === 2 ? { kind: 'words', words: [word('every')], what: 'keyword' } : { kind: 'none' };
    case 'check': return { kind: 'words', words: [word('within')], what: 'keyword' };
    case 'notation': return notation();
    case 'sample': case 'bias': return words.includes('->') || words.includes('→') || first === 'sample' ? { kind: 'names', which: 'neurons' } : { kind: 'none' };
    default:
      // A weight line, NAME FROM -> TO; after any other statement's word, a number or a new name.
      if (KEYWORDS.some((k) => k.word === first)) return { kind: 'none' };
      return words.length <= 3 && !words.includes('=') ? { kind: 'names', which: 'neurons' } : { kind: 'none' };
  }
}

