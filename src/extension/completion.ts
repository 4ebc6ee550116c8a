/**
 * Completions by where the cursor is (completionContext.ts says where that is): losses, activations,
 * modes, optimizers, parameters, neurons, the quantities of `check` and `notation` written with the
 * network's own names; at the start of a line the keywords, a snippet of a new network cell, and the
 * parameters (for `w5 = 0.4`). Names come from the notebook's latest run and from its network cell as
 * written, so a network being typed is known before it runs.
 */
import * as vscode from 'vscode';
import { parseCell } from '../engine/language/parser';
import { KEYWORDS, type Word } from '../engine/language/vocabulary';
import { contextAt, MAX_NAMES, quantities, type Names } from './completionContext';
import { CELL_LANGUAGE } from './serializer';
import { NotebookStates, notebookOfCell } from './state';

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

/** The network of the notebook: from its latest run, and from the network and optimizer cells as written. */
function namesOf(notebook: vscode.NotebookDocument | undefined, states: NotebookStates): Names {
  const run = notebook ? states.peek(notebook)?.session.names() : undefined;
  const params = new Set(run?.params ?? []);
  const neurons = new Set(run?.neurons ?? []);
  let outputs: string[] = [];
  let optimizer = run?.optimizer;
  for (const cell of notebook?.getCells() ?? []) {
    if (cell.kind !== vscode.NotebookCellKind.Code) continue;
    const text = cell.document.getText();
    if (!/^(input|optimizer)\b/m.test(text)) continue;
    for (const s of parseCell(text).statements) {
      if (s.kind === 'input' || s.kind === 'layer') for (const n of s.names) neurons.add(n.name);
      if (s.kind === 'layer') outputs = s.names.map((n) => n.name);
      if (s.kind === 'weight' || s.kind === 'bias') params.add(s.name.name);
      if (s.kind === 'optimizer') optimizer = s.optimizer.name;
    }
  }
  return { params: [...params], neurons: [...neurons], outputs, optimizer };
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
