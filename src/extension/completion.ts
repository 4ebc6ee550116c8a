/**
 * Completions by where the cursor is: after `loss` the losses, after a layer's names the
 * activations, after `mode` the modes, after `optimizer` the optimizers, after `freeze` the parameters, after an arrow the neurons; in
 * a `check` block (and after `=` in a `notation` line) the quantities written with the network's
 * own names (`dE/dw5`, `out(h1)`, `w5'`); at the start of a line the keywords, a snippet of a new
 * network cell, and the parameters (for `w5 = 0.4`). Names come from the notebook's latest run and
 * from its network cell as written, so a network being typed is known before it runs.
 */
import * as vscode from 'vscode';
import { parseCell } from '../engine/language/parser';
import { ACTIVATIONS, KEYWORDS, LOSSES, MODES, OPTIMIZERS, type Word } from '../engine/language/vocabulary';
import { CELL_LANGUAGE } from './serializer';
import { NotebookStates, notebookOfCell } from './state';

/** The network as far as completions need it. */
export interface Names {
  params: string[];
  neurons: string[];
  /** The last layer's neurons. */
  outputs: string[];
}

/** Neurons offered by name at most: a network of 10,000 neurons would bury everything else. */
const MAX_NAMES = 500;

const NEW_NETWORK = [
  '# a 2-2-1 network; every weight named',
  'input  ${1:x1} ${2:x2}',
  'layer  ${3:h1} ${4:h2}  ${5|sigmoid,tanh,relu,leaky-relu,linear|}',
  'layer  ${6:y}  ${7|sigmoid,tanh,relu,leaky-relu,linear|}',
  'w1  $1 -> $3 = ${8:0.15}',
  'w2  $2 -> $3 = 0.20',
  'w3  $1 -> $4 = 0.25',
  'w4  $2 -> $4 = 0.30',
  'w5  $3 -> $6 = 0.40',
  'w6  $4 -> $6 = 0.45',
  'bias b1 -> $3 $4 = 0.35',
  'loss ${9|half-sse,sse,half-mse,mse|}',
  'rate ${10:0.5}',
  'sample $1=0.05 $2=0.10 -> $6=0.01',
].join('\n');

/** The quantities of a `check` line, written with the network's names. */
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
  }
  return q;
}

type Context =
  | { kind: 'start' } | { kind: 'words'; words: readonly Word[]; what: string } | { kind: 'names'; which: 'params' | 'neurons' }
  | { kind: 'quantities' } | { kind: 'none' };

const INIT_WORDS: Word[] = [
  { word: 'xavier', doc: 'Xavier/Glorot uniform: U(−r, r), r = √(6/(fan-in + fan-out)).', usage: 'init xavier seed 1' },
  { word: 'uniform', doc: 'Uniform between two numbers A < B.', usage: 'init uniform -0.5 0.5 seed 1' },
];
const word = (w: string) => KEYWORDS.find((k) => k.word === w)!;

/** Whether line `line` of the cell lies in an indented `check` block. */
function inCheckBlock(lines: string[], line: number): boolean {
  if (!/^[ \t]/.test(lines[line] ?? '')) return false;
  for (let i = line - 1; i >= 0; i--) {
    const l = lines[i].replace(/#.*$/, '');
    if (!l.trim() || /^[ \t]/.test(l)) continue;
    return /^check\b/.test(l);
  }
  return false;
}

/** What may be written at the cursor, from the words before it on its line. */
export function contextAt(lines: string[], line: number, character: number): Context {
  if (inCheckBlock(lines, line)) return /=/.test(lines[line].slice(0, character)) ? { kind: 'none' } : { kind: 'quantities' };
  const before = lines[line].slice(0, character).replace(/#.*$/, '');
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
    case 'notation': return /=[^,]*$/.test(before.slice(0, before.length - typing.length)) ? { kind: 'quantities' } : { kind: 'none' };
    case 'sample': case 'bias': return words.includes('->') || words.includes('→') || first === 'sample' ? { kind: 'names', which: 'neurons' } : { kind: 'none' };
    default:
      // A weight line, NAME FROM -> TO; after any other statement's word, a number or a new name.
      if (KEYWORDS.some((k) => k.word === first)) return { kind: 'none' };
      return words.length <= 3 && !words.includes('=') ? { kind: 'names', which: 'neurons' } : { kind: 'none' };
  }
}

/** The network of the notebook: from its latest run, and from the network cells as written. */
function namesOf(notebook: vscode.NotebookDocument | undefined, states: NotebookStates): Names {
  const run = notebook ? states.peek(notebook)?.session.names() : undefined;
  const params = new Set(run?.params ?? []);
  const neurons = new Set(run?.neurons ?? []);
  let outputs: string[] = [];
  for (const cell of notebook?.getCells() ?? []) {
    if (cell.kind !== vscode.NotebookCellKind.Code) continue;
    const text = cell.document.getText();
    if (!/^input\b/m.test(text)) continue;
    for (const s of parseCell(text).statements) {
      if (s.kind === 'input' || s.kind === 'layer') for (const n of s.names) neurons.add(n.name);
      if (s.kind === 'layer') outputs = s.names.map((n) => n.name);
      if (s.kind === 'weight' || s.kind === 'bias') params.add(s.name.name);
    }
  }
  return { params: [...params], neurons: [...neurons], outputs };
}

export class CompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly states: NotebookStates) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const lines = document.getText().split(/\r?\n/);
    const context = contextAt(lines, position.line, position.character);
    if (context.kind === 'none') return [];
    const names = namesOf(notebookOfCell(document), this.states);
    const range = document.getWordRangeAtPosition(position, context.kind === 'quantities' ? /[A-Za-z∂][A-Za-z0-9_/()∂'[\]]*/ : /[A-Za-z][A-Za-z0-9_-]*/);
    const items: vscode.CompletionItem[] = [];
    const add = (label: string, kind: vscode.CompletionItemKind, detail: string, w?: Word) => {
      const item = new vscode.CompletionItem(label, kind);
      item.detail = detail;
      if (w) item.documentation = new vscode.MarkdownString().appendText(w.doc).appendCodeblock(w.usage, CELL_LANGUAGE);
      if (range) item.range = range;
      items.push(item);
      return item;
    };
    switch (context.kind) {
      case 'start': {
        for (const w of KEYWORDS.filter((k) => !['within', 'every', 'seed'].includes(k.word))) add(w.word, vscode.CompletionItemKind.Keyword, 'keyword', w);
        const snippet = add('network', vscode.CompletionItemKind.Snippet, 'a new network cell: input, layers, named weights, loss, rate, a sample');
        snippet.insertText = new vscode.SnippetString(NEW_NETWORK);
        for (const p of names.params.slice(0, MAX_NAMES)) add(p, vscode.CompletionItemKind.Variable, 'parameter: set its value (w5 = 0.4)');
        break;
      }
      case 'words':
        for (const w of context.words) add(w.word, vscode.CompletionItemKind.EnumMember, context.what, w);
        break;
      case 'names':
        for (const n of names[context.which].slice(0, MAX_NAMES)) add(n, context.which === 'params' ? vscode.CompletionItemKind.Variable : vscode.CompletionItemKind.Field, context.which === 'params' ? 'parameter' : 'neuron');
        break;
      case 'quantities':
        for (const q of quantities(names)) add(q.label, vscode.CompletionItemKind.Value, q.detail).filterText = q.label;
        break;
    }
    return items;
  }
}

export function register(states: NotebookStates): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider({ language: CELL_LANGUAGE }, new CompletionProvider(states), ' ', '(', '/');
}
