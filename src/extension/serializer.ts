/**
 * `.bpnb` files ⇄ notebooks, through the engine's one implementation of the format (the command line
 * reads the same files). What the format keeps beyond the cells' text — line endings, BOM, marker
 * spellings — lives in notebook and cell metadata, so saving an unedited file gives back its bytes.
 */
import * as vscode from 'vscode';
import { readBpnb, writeBpnb, type BpnbCellFormat, type BpnbDocument, type BpnbFileFormat } from '../engine/file/bpnb';
import { placeInCells, type DecodeNote } from '../engine/notebook';

export const NOTEBOOK_TYPE = 'backprop-notebook';
export const CELL_LANGUAGE = 'bpnb';

/** Cell metadata: the cell's `format` record, and where the file stopped being UTF-8 if it is in this cell. */
export interface CellMetadata {
  format?: BpnbCellFormat;
  /** Line and column in the cell. */
  decodeNote?: DecodeNote;
}

export class BpnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const doc: BpnbDocument & { decodeNote?: DecodeNote } = readBpnb(content);
    // The note travels with its cell, so that adding or moving cells does not misplace its warning.
    const note = doc.decodeNote && placeInCells(doc.cells, doc.decodeNote);
    const cells = doc.cells.map((cell, i) => {
      const markdown = cell.kind === 'markdown';
      const data = new vscode.NotebookCellData(
        markdown ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        cell.source,
        markdown ? 'markdown' : CELL_LANGUAGE,
      );
      const metadata: CellMetadata = {};
      if (cell.format) metadata.format = cell.format;
      if (note?.index === i) metadata.decodeNote = { line: note.line, column: note.column, byte: doc.decodeNote!.byte };
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
