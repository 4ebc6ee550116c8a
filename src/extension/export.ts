/**
 * The worked solution of a notebook as one Markdown or LaTeX document. Every code cell is run in
 * order in a fresh Session, so the export is complete whatever has or has not been run in the
 * editor; the engine's notebook formatters (shared with the command line) print it.
 */
import * as vscode from 'vscode';
import { Session } from '../engine/session';
import { notebookToMarkdown, type ExportCell } from '../engine/present/markdown';
import { notebookToLatex } from '../engine/present/latex';
import { describeErrors } from './outputs';
import { digitsSetting } from './state';

export type ExportFormat = 'markdown' | 'latex';

export async function solveNotebook(notebook: vscode.NotebookDocument, token?: vscode.CancellationToken): Promise<ExportCell[]> {
  const session = new Session({ digits: digitsSetting() });
  const cells: ExportCell[] = [];
  for (const cell of notebook.getCells()) {
    const source = cell.document.getText();
    if (cell.kind === vscode.NotebookCellKind.Markup) {
      cells.push({ kind: 'markdown', source });
      continue;
    }
    if (source.trim() === '') continue;
    const result = await session.run(source, { isCancelled: () => token?.isCancellationRequested ?? false });
    const errors = result.errors.length ? describeErrors(result.errors).split('\n') : [];
    if (result.interrupted) errors.push('the export was cancelled while this cell was training: its output is cut short');
    cells.push({ kind: 'code', source, traces: result.traces, errors });
  }
  return cells;
}

export function exportTitle(notebook: vscode.NotebookDocument): string {
  const base = notebook.uri.path.split('/').pop() ?? 'notebook';
  return `${base.replace(/\.bpnb$/i, '')}: worked solution`;
}

export function renderExport(format: ExportFormat, title: string, cells: readonly ExportCell[]): string {
  return format === 'markdown' ? notebookToMarkdown(cells) : notebookToLatex(cells, title);
}
