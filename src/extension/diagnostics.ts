/**
 * Errors as you type: the engine's parse-only `analyze` on each bpnb cell, its offsets turned into
 * ranges through the cell's own document (the only place that knows its line breaks), checked
 * against the names the notebook's network declares once it has run.
 */
import * as vscode from 'vscode';
import { analyze } from '../engine/session';
import type { Diagnostic } from '../engine/semantics/diagnostics';
import { messageOf } from '../engine/semantics/messages';
import { CELL_LANGUAGE, type CellMetadata } from './serializer';
import { NotebookStates, cellOfDocument } from './state';

const TYPING_DELAY_MS = 200;

export class CellDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(CELL_LANGUAGE);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly states: NotebookStates) {
    this.subscriptions.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.update(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.refreshNotebook(nb)),
    );
    for (const doc of vscode.workspace.textDocuments) this.update(doc);
  }

  /** Re-check every cell of a notebook: after a run its declared names changed. */
  refreshNotebook(notebook: vscode.NotebookDocument): void {
    for (const cell of notebook.getCells()) this.update(cell.document, notebook);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (doc.languageId !== CELL_LANGUAGE) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.update(doc);
    }, TYPING_DELAY_MS));
  }

  update(doc: vscode.TextDocument, notebook?: vscode.NotebookDocument): void {
    if (doc.isClosed) return;
    const cell = cellOfDocument(doc, notebook);
    const problems = fileProblemsIn(doc, cell);
    if (doc.languageId !== CELL_LANGUAGE) {
      // A Markdown cell is not analysed, but may hold the byte that made the file Latin-1.
      if (problems.length) this.collection.set(doc.uri, problems);
      return;
    }
    const session = cell ? this.states.peek(cell.notebook)?.session : undefined;
    this.collection.set(doc.uri, [...problems, ...analyze(doc.getText(), session).map((d) => toVscode(doc, d))]);
  }

  private forget(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.collection.delete(doc.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

export function toVscode(doc: vscode.TextDocument, d: Diagnostic): vscode.Diagnostic {
  const start = doc.positionAt(d.span.start);
  let range = new vscode.Range(start, doc.positionAt(d.span.end));
  if (range.isEmpty) {
    // A point would draw no squiggle: mark the word there, or the character before the line's end.
    range = doc.getWordRangeAtPosition(start, /\S+/) ?? new vscode.Range(start.translate(0, start.character > 0 ? -1 : 0), start.translate(0, start.character > 0 ? 0 : 1));
  }
  const severity = d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error;
  // Lines a message names are the cell's, as the editor numbers them.
  const diagnostic = new vscode.Diagnostic(range, messageOf(d), severity);
  diagnostic.source = 'bpnb';
  return diagnostic;
}

/** What the reader said about the file at a place in this cell: the first byte that is not UTF-8 (a
 *  warning, since every other error about the text makes no sense without it), a limit it stopped at. */
function fileProblemsIn(doc: vscode.TextDocument, cell: vscode.NotebookCell | undefined): vscode.Diagnostic[] {
  const problems = (cell?.metadata as CellMetadata | undefined)?.problems ?? [];
  return problems.map((p) => {
    const start = doc.validatePosition(new vscode.Position(p.line - 1, p.column - 1));
    const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
    const d = new vscode.Diagnostic(doc.validateRange(new vscode.Range(start, start.translate(0, 1))), messageOf(p), severity);
    d.source = 'bpnb';
    return d;
  });
}
