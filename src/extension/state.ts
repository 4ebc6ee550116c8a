/**
 * One engine Session per open notebook: the network, its weights and the latest traces live here
 * between cell runs, for the kernel, the hovers, completions and diagnostics. Closing the notebook
 * forgets its state.
 */
import * as vscode from 'vscode';
import { Session } from '../engine/session';
import { DEFAULT_DIGITS } from '../engine/language/numbers';

export interface NotebookState {
  readonly session: Session;
  /** The number VS Code shows beside a cell that ran: counts up per notebook. */
  executionOrder: number;
  /** Cell runs of this notebook, one after another, even across separate "run" requests. */
  queue: Promise<void>;
}

export function digitsSetting(): number {
  const digits = vscode.workspace.getConfiguration('backpropNotebook').get<number>('digits', DEFAULT_DIGITS);
  return Number.isInteger(digits) && digits >= 1 && digits <= 17 ? digits : DEFAULT_DIGITS;
}

export class NotebookStates implements vscode.Disposable {
  private readonly states = new Map<string, NotebookState>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidCloseNotebookDocument((nb) => this.states.delete(nb.uri.toString()));
  }

  /** The notebook's state, created on first use. */
  get(notebook: vscode.NotebookDocument): NotebookState {
    const key = notebook.uri.toString();
    let state = this.states.get(key);
    if (!state) {
      state = { session: new Session({ digits: digitsSetting() }), executionOrder: 0, queue: Promise.resolve() };
      this.states.set(key, state);
    }
    return state;
  }

  /** The state if the notebook has one already (hovers must not create sessions). */
  peek(notebook: vscode.NotebookDocument): NotebookState | undefined {
    return this.states.get(notebook.uri.toString());
  }

  dispose(): void {
    this.subscription.dispose();
    this.states.clear();
  }
}

/** The open notebook a cell's text document belongs to. */
export function notebookOfCell(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return cellOfDocument(document)?.notebook;
}

/** The notebook cell whose text document this is. */
export function cellOfDocument(document: vscode.TextDocument, notebook?: vscode.NotebookDocument): vscode.NotebookCell | undefined {
  const uri = document.uri.toString();
  for (const nb of notebook ? [notebook] : vscode.workspace.notebookDocuments) {
    const cell = nb.getCells().find((c) => c.document.uri.toString() === uri);
    if (cell) return cell;
  }
  return undefined;
}
