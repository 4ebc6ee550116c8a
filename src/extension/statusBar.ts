/**
 * Cell status bar items: on a `check` cell how many of its lines were right ("5/7 right"), from
 * the check traces of its outputs; on a network cell (one with `input`) whether cells below ran
 * against another version of it ("stale: the network changed since cell 4 ran") — edited since,
 * or run again with other text since.
 */
import * as vscode from 'vscode';
import { TRACE_MIME, type Trace } from '../engine/trace/schema';
import { NOTEBOOK_TYPE } from './serializer';

/** A cell that defines the notebook's network anew (docs/language.md). */
const NETWORK_CELL = /^input\b/m;

/** The check traces among a cell's outputs: lines right, lines in all. */
export function checkScore(cell: vscode.NotebookCell): { right: number; total: number } | undefined {
  let right = 0;
  let total = 0;
  for (const item of cell.outputs.flatMap((o) => o.items)) {
    if (item.mime !== TRACE_MIME) continue;
    try {
      const t = JSON.parse(new TextDecoder().decode(item.data)) as Trace;
      if (t.kind !== 'check') continue;
      right += t.passed;
      total += t.passed + t.failed;
    } catch {
      // Not a trace this version writes: nothing to count.
    }
  }
  return total > 0 ? { right, total } : undefined;
}

/**
 * What each network cell's text was at each of its runs, by execution order: a cell below that ran
 * with order k ran against the text of the network cell's latest run before k.
 */
class NetworkVersions {
  private readonly runs = new Map<string, { order: number; text: string }[]>();

  record(cell: vscode.NotebookCell): void {
    const order = cell.executionSummary?.executionOrder;
    if (order === undefined || !NETWORK_CELL.test(cell.document.getText())) return;
    const key = cell.document.uri.toString();
    const list = this.runs.get(key) ?? [];
    if (list.at(-1)?.order !== order) list.push({ order, text: cell.document.getText() });
    this.runs.set(key, list.slice(-50));
  }

  /** The network cell's text when the cell of execution order `order` ran. */
  textAt(cell: vscode.NotebookCell, order: number): string | undefined {
    const list = this.runs.get(cell.document.uri.toString()) ?? [];
    let text: string | undefined;
    for (const r of list) if (r.order < order) text = r.text;
    return text;
  }

  forget(uri: string): void {
    this.runs.delete(uri);
  }
}

export class CellStatusBar implements vscode.NotebookCellStatusBarItemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCellStatusBarItems = this.changed.event;
  private readonly versions = new NetworkVersions();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook.notebookType !== NOTEBOOK_TYPE) return;
        for (const c of e.cellChanges) if (c.executionSummary) this.versions.record(c.cell);
        this.changed.fire();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.uri.scheme === 'vscode-notebook-cell') this.changed.fire(); }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => { for (const c of nb.getCells()) this.versions.forget(c.document.uri.toString()); }),
    ];
  }

  provideCellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (cell.kind !== vscode.NotebookCellKind.Code) return [];
    const items: vscode.NotebookCellStatusBarItem[] = [];
    const score = checkScore(cell);
    if (score) {
      const item = new vscode.NotebookCellStatusBarItem(`${score.right === score.total ? '$(pass)' : '$(error)'} ${score.right}/${score.total} right`, vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = `${score.right} of ${score.total} checked line${score.total === 1 ? '' : 's'} match the exact values`;
      items.push(item);
    }
    const stale = NETWORK_CELL.test(cell.document.getText()) ? this.staleBelow(cell) : undefined;
    if (stale !== undefined) {
      const item = new vscode.NotebookCellStatusBarItem(`$(warning) stale: the network changed since cell ${stale + 1} ran`, vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = `Cell ${stale + 1} and maybe others below ran against another version of this network; run them again (Run All) to bring their outputs up to date.`;
      items.push(item);
    }
    return items;
  }

  /** The first cell below a network cell that ran against another text of it, up to the next network cell. */
  private staleBelow(cell: vscode.NotebookCell): number | undefined {
    const now = cell.document.getText();
    for (const below of cell.notebook.getCells().slice(cell.index + 1)) {
      if (below.kind !== vscode.NotebookCellKind.Code) continue;
      if (NETWORK_CELL.test(below.document.getText())) break;
      const order = below.executionSummary?.executionOrder;
      if (order === undefined || below.outputs.length === 0) continue;
      const then = this.versions.textAt(cell, order);
      if (then !== undefined && then !== now) return below.index;
    }
    return undefined;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

export function register(): vscode.Disposable {
  const provider = new CellStatusBar();
  return vscode.Disposable.from(provider, vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider));
}
