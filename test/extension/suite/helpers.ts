/** Shared steps of the in-host tests: open notebooks, run cells, read their outputs. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { TRACE_MIME, type Trace } from '../../../src/engine/trace/schema';

export const NOTEBOOK_TYPE = 'backprop-notebook';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the examples folder is open as the workspace');
  return f.uri;
}

export function exampleUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), name);
}

/** A file the tests may write: the web mount keeps writes in memory; electron runs on a temp copy. */
export function scratchUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), `scratch-${name}`);
}

export async function openNotebook(uri: vscode.Uri): Promise<vscode.NotebookDocument> {
  const nb = await vscode.workspace.openNotebookDocument(uri);
  await vscode.window.showNotebookDocument(nb);
  return nb;
}

export async function untitledNotebook(cells: { code?: string; markdown?: string }[]): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData(cells.map((c) => c.markdown !== undefined
    ? new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.markdown, 'markdown')
    : new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.code ?? '', 'bpnb')));
  const nb = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(nb);
  return nb;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function finished(cell: vscode.NotebookCell, startedAfter: number): boolean {
  const end = cell.executionSummary?.timing?.endTime;
  return end !== undefined && end >= startedAfter;
}

/** Runs cells [start, end) through the same command the cell's Run button uses, and waits for them.
 *  Old outputs are cleared first, so that what the tests read afterwards is this run's. */
export async function runCells(nb: vscode.NotebookDocument, start = 0, end = nb.cellCount): Promise<void> {
  const code = nb.getCells(new vscode.NotebookRange(start, end)).filter((c) => c.kind === vscode.NotebookCellKind.Code);
  if (code.some((c) => c.outputs.length > 0)) {
    await vscode.window.showNotebookDocument(nb);
    await vscode.commands.executeCommand('notebook.clearAllCellsOutputs');
    await waitFor('old outputs to be cleared', () => code.every((c) => c.outputs.length === 0));
  }
  const t0 = Date.now() - 1;
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start, end }], document: nb.uri });
  await waitFor('the cells to finish', () => code.every((c) => finished(c, t0) && c.outputs.length > 0), 60000);
}

export function traces(cell: vscode.NotebookCell): Trace[] {
  const out: Trace[] = [];
  for (const o of cell.outputs) {
    for (const item of o.items) {
      if (item.mime === TRACE_MIME) out.push(JSON.parse(new TextDecoder().decode(item.data)) as Trace);
    }
  }
  return out;
}

export function only<K extends Trace['kind']>(cell: vscode.NotebookCell, kind: K): Extract<Trace, { kind: K }> {
  const ts = traces(cell);
  assert.strictEqual(ts.length, 1, `cell ${cell.index} has one trace`);
  assert.strictEqual(ts[0].kind, kind, `cell ${cell.index} ran ${kind}`);
  return ts[0] as Extract<Trace, { kind: K }>;
}

export function itemText(cell: vscode.NotebookCell, mime: string): string {
  return cell.outputs.flatMap((o) => o.items).filter((i) => i.mime === mime).map((i) => new TextDecoder().decode(i.data)).join('\n');
}

export function codeCells(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  return nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
}

/** `actual` equals a published or hand-computed value to within half a unit of its last digit. */
export function close(actual: number, expected: number, tolerance: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);
}

/** Closes every editor without saving (untitled test notebooks would otherwise ask). */
export async function closeAll(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
}
