/**
 * Completions in cells: keywords, activations, losses, modes and optimizers with their one-line meaning, and the
 * names the notebook's network declares (from its latest run, plus names already typed in the cell).
 */
import * as vscode from 'vscode';
import { ACTIVATIONS, KEYWORDS, LOSSES, MODES, OPTIMIZERS, type Word } from '../engine/language/vocabulary';
import { CELL_LANGUAGE } from './serializer';
import { NotebookStates, notebookOfCell } from './state';

// Hyphenated words are vocabulary (`leaky-relu`), not names; they are matched whole and skipped.
const NAME = /[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z]+)*/g;

export class CompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly states: NotebookStates) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    const range = document.getWordRangeAtPosition(position, /[A-Za-z][A-Za-z0-9_-]*/);
    const items: vscode.CompletionItem[] = [];
    const seen = new Set<string>();
    const add = (label: string, kind: vscode.CompletionItemKind, detail: string, word?: Word) => {
      if (seen.has(label)) return;
      seen.add(label);
      const item = new vscode.CompletionItem(label, kind);
      item.detail = detail;
      if (word) {
        const doc = new vscode.MarkdownString().appendText(word.doc);
        doc.appendCodeblock(word.usage, CELL_LANGUAGE);
        item.documentation = doc;
      }
      if (range) item.range = range;
      items.push(item);
    };
    for (const w of KEYWORDS) add(w.word, vscode.CompletionItemKind.Keyword, 'keyword', w);
    for (const w of ACTIVATIONS) add(w.word, vscode.CompletionItemKind.EnumMember, 'activation', w);
    for (const w of LOSSES) add(w.word, vscode.CompletionItemKind.EnumMember, 'loss', w);
    for (const w of MODES) add(w.word, vscode.CompletionItemKind.EnumMember, 'mode', w);
    for (const w of OPTIMIZERS) add(w.word, vscode.CompletionItemKind.EnumMember, 'optimizer', w);

    const notebook = notebookOfCell(document);
    const names = notebook ? this.states.peek(notebook)?.session.names() : undefined;
    for (const p of names?.params ?? []) add(p, vscode.CompletionItemKind.Variable, 'parameter');
    for (const n of names?.neurons ?? []) add(n, vscode.CompletionItemKind.Field, 'neuron');
    // Names not yet run (a network being typed) still come from the cell's own text, comments left
    // out (their words are prose, not names).
    const typing = range ? document.getText(range) : '';
    for (const m of document.getText().replace(/#.*$/gm, '').matchAll(NAME)) {
      if (m[0] !== typing && !m[0].includes('-')) add(m[0], vscode.CompletionItemKind.Text, 'name in this cell');
    }
    return items;
  }
}

export function register(states: NotebookStates): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider({ language: CELL_LANGUAGE }, new CompletionProvider(states));
}
