/**
 * `.bpnb` files ⇄ notebooks, through the engine's one implementation of the format (the command line
 * reads the same files). What the format keeps beyond the cells' text — line endings, BOM, marker
 * spellings — lives in notebook and cell metadata, so saving an unedited file gives back its bytes.
 */
import * as vscode from 'vscode';
import { readBpnb, writeBpnb, type BpnbCellFormat, type BpnbFileFormat } from '../engine/file/bpnb';

export const NOTEBOOK_TYPE = 'backprop-notebook';
export const CELL_LANGUAGE = 'bpnb';

export class BpnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const doc = readBpnb(content);
    const cells = doc.cells.map((cell) => {
      const markdown = cell.kind === 'markdown';
      const data = new vscode.NotebookCellData(
        markdown ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        cell.source,
        markdown ? 'markdown' : CELL_LANGUAGE,
      );
      if (cell.format) data.metadata = { format: cell.format };
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
      format: cell.metadata?.format as BpnbCellFormat | undefined,
    }));
    return writeBpnb(cells, (data.metadata?.format as Partial<BpnbFileFormat> | undefined) ?? {});
  }
}

export function registerSerializer(): vscode.Disposable {
  // Outputs are not written to the file (it stays plain text for diffs), so running a cell must not
  // mark the notebook dirty.
  return vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new BpnbSerializer(), { transientOutputs: true });
}
