/**
 * The quick fix of `check notes`: a line not checked whose number looks like exactly one quantity
 * gets an information diagnostic (from the cell's latest run), and its light bulb inserts the
 * `notation` line that makes it a check, above the `check notes` block (or at the end of the
 * `notation` line already there). The diagnostics are read from the cell's outputs, so they follow
 * what ran; a line is found again by its text when lines above it changed, and a suggestion whose
 * notation the cell already has is dropped.
 */
import * as vscode from 'vscode';
import { suggestionText } from '../engine/present/notes';
import { isTrace, TRACE_MIME, type NotCheckedLine, type Trace } from '../engine/trace/schema';
import { cellOfDocument } from './state';
import { CELL_LANGUAGE } from './serializer';

export const SUGGESTION_CODE = 'notes-suggestion';
const NOTATION = /add notation (.+)$/;

export function register(): vscode.Disposable {
  const suggestions = new NotesSuggestions();
  return vscode.Disposable.from(
    suggestions,
    vscode.languages.registerCodeActionsProvider({ language: CELL_LANGUAGE }, new NotationFix(), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  );
}

class NotesSuggestions implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('bpnb-notes');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidChangeNotebookDocument((e) => { for (const c of e.cellChanges) if (c.outputs) this.refresh(c.cell); }),
      vscode.workspace.onDidChangeTextDocument((e) => { const cell = e.document.languageId === CELL_LANGUAGE ? cellOfDocument(e.document) : undefined; if (cell) this.refresh(cell); }),
      vscode.workspace.onDidOpenNotebookDocument((nb) => { for (const c of nb.getCells()) this.refresh(c); }),
    ];
    for (const nb of vscode.workspace.notebookDocuments) for (const c of nb.getCells()) this.refresh(c);
  }

  private refresh(cell: vscode.NotebookCell): void {
    const doc = cell.document;
    const found: vscode.Diagnostic[] = [];
    for (const trace of traces(cell)) {
      if (trace.kind !== 'check') continue;
      for (const n of trace.notChecked ?? []) {
        const d = diagnosticFor(doc, n, trace.digits);
        if (d) found.push(d);
      }
    }
    this.collection.set(doc.uri, found);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function diagnosticFor(doc: vscode.TextDocument, n: NotCheckedLine, digits: number): vscode.Diagnostic | undefined {
  const pair = n.suggestion?.notation;
  const hint = suggestionText(n, digits);
  if (!pair || !hint || hasNotation(doc, pair)) return undefined;
  const line = lineOf(doc, n.line - 1, n.text.trim());
  if (line === undefined) return undefined;
  const text = doc.lineAt(line);
  const range = new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.text.trimEnd().length);
  const d = new vscode.Diagnostic(range, `not checked: ${n.reason}; this line ${hint}`, vscode.DiagnosticSeverity.Information);
  d.source = 'bpnb';
  d.code = SUGGESTION_CODE;
  return d;
}

/** The line holding `text`: where the run saw it, or else the nearest line that has it now. */
function lineOf(doc: vscode.TextDocument, at: number, text: string): number | undefined {
  const has = (l: number) => l >= 0 && l < doc.lineCount && doc.lineAt(l).text.trim() === text;
  for (let d = 0; d < doc.lineCount; d++) {
    if (has(at - d)) return at - d;
    if (has(at + d)) return at + d;
  }
  return undefined;
}

function hasNotation(doc: vscode.TextDocument, pair: string): boolean {
  for (let l = 0; l < doc.lineCount; l++) {
    const t = doc.lineAt(l).text;
    if (/^\s*notation\b/.test(t) && t.includes(pair)) return true;
  }
  return false;
}

class NotationFix implements vscode.CodeActionProvider {
  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics.flatMap((d) => {
      const pair = d.code === SUGGESTION_CODE ? NOTATION.exec(d.message)?.[1] : undefined;
      const edit = pair ? insertNotation(doc, d.range.start.line, pair) : undefined;
      if (!pair || !edit) return [];
      const action = new vscode.CodeAction(`Add notation ${pair}`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.edit = edit;
      return [action];
    });
  }
}

/** `notation PAIR` above the `check` line the block of `line` hangs from, or `, PAIR` at the end of the notation line just above it. */
function insertNotation(doc: vscode.TextDocument, line: number, pair: string): vscode.WorkspaceEdit | undefined {
  let head = line;
  while (head >= 0 && !/^check\b/.test(doc.lineAt(head).text)) head--;
  if (head < 0) return undefined;
  const edit = new vscode.WorkspaceEdit();
  const above = head > 0 ? doc.lineAt(head - 1).text : '';
  if (/^notation\s+\S/.test(above) && !above.includes('#')) edit.insert(doc.uri, new vscode.Position(head - 1, above.trimEnd().length), `, ${pair}`);
  else edit.insert(doc.uri, new vscode.Position(head, 0), `notation ${pair}\n`);
  return edit;
}

function traces(cell: vscode.NotebookCell): Trace[] {
  const out: Trace[] = [];
  for (const o of cell.outputs) {
    for (const item of o.items) {
      if (item.mime !== TRACE_MIME) continue;
      try {
        const t: unknown = JSON.parse(new TextDecoder().decode(item.data));
        if (isTrace(t)) out.push(t);
      } catch {
        // Not JSON: an output of another kind or another tool; nothing to suggest from it.
      }
    }
  }
  return out;
}
