/**
 * The worked solution of a notebook as one Markdown or LaTeX document. Every code cell is run in
 * order in a fresh Session, so the export is complete whatever has or has not been run in the
 * editor. The engine's `runNotebook` and its document (shared with `bpnb run --format markdown|latex`)
 * do the work, so the export and the command line write the same document for the same notebook.
 */
import * as vscode from 'vscode';
import { Session } from '../engine/session';
import type { ExportCell } from '../engine/present/markdown';
import { runNotebook, solutionCells, solutionDocument, type NotebookCell, type SolutionFormat } from '../engine/notebook';
import { digitsSetting } from './state';

export type ExportFormat = SolutionFormat;

export function notebookCells(notebook: vscode.NotebookDocument): NotebookCell[] {
  return notebook.getCells().map((cell) => ({
    kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
    source: cell.document.getText(),
  }));
}

export async function solveNotebook(notebook: vscode.NotebookDocument, token?: vscode.CancellationToken): Promise<ExportCell[]> {
  const cells = notebookCells(notebook);
  const runs = await runNotebook(cells, new Session({ digits: digitsSetting() }), { isCancelled: () => token?.isCancellationRequested ?? false });
  return solutionCells(cells, runs);
}

/** The notebook's file name, which titles the document (as the command line's does). */
export function exportName(notebook: vscode.NotebookDocument): string {
  return notebook.uri.path.split('/').pop() ?? 'notebook';
}

export function renderExport(format: ExportFormat, notebook: vscode.NotebookDocument, cells: readonly ExportCell[]): string {
  return solutionDocument(format, exportName(notebook), cells);
}
