/**
 * `.bpnb` files ⇄ notebooks, through the engine's one implementation of the format (the command line
 * reads the same files). What the format keeps beyond the cells' text — line endings, BOM, marker
 * spellings — lives in notebook and cell metadata, so saving an unedited file gives back its bytes.
 */
import * as vscode from 'vscode';
import { readBpnb, writeBpnb, type BpnbCellFormat, type BpnbFileFormat } from '../engine/file/bpnb';
import { fileProblems, placeInCells, type FileProblem } from '../engine/notebook';

export const NOTEBOOK_TYPE = 'backprop-notebook';
export const CELL_LANGUAGE = 'bpnb';

/** Cell metadata: the cell's `format` record, and what the reader said about the file at a place in
 *  this cell (lines and columns of the cell): its first byte that is not UTF-8, a limit it stopped at. */
export interface CellMetadata {
  format?: BpnbCellFormat;
  problems?: FileProblem[];
}

export class BpnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const doc = readBpnb(content);
    // A problem travels with its cell, so that adding or moving cells does not misplace its diagnostic.
    const problems = fileProblems(doc).map((p) => ({ p, at: placeInCells(doc.cells, p) }));
    const cells = doc.cells.map((cell, i) => {
      const markdown = cell.kind === 'markdown';
      const data = new vscode.NotebookCellData(
        markdown ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        cell.source,
        markdown ? 'markdown' : CELL_LANGUAGE,
      );
      const metadata: CellMetadata = {};
      if (cell.format) metadata.format = cell.format;
      const here = problems.filter(({ at }) => at?.index === i).map(({ p, at }) => ({ ...p, line: at!.line, column: at!.column }));
      if (here.length) metadata.problems = here;
      if (Object.keys(metadata).length) data.metadata = metadata;
      return data;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = { format: doc.format };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells = data.cells.map((cell) => ({
      kind: cell.kind === vscode.NotebookCellKind.Markup ? ('markdown' as const) : ('code' as const),
      source: cell.value,
      format: (cell.metadata as CellMetadata | undefined)?.format,
    }));
    return writeBpnb(cells, (data.metadata?.format as Partial<BpnbFileFormat> | undefined) ?? {});
  }
}

export function registerSerializer(): vscode.Disposable {
  // Outputs are not written to the file (it stays plain text for diffs), so running a cell must not
  // mark the notebook dirty.
  return vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new BpnbSerializer(), { transientOutputs: true });
}
