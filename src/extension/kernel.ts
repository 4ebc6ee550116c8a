/**
 * The kernel: one NotebookController for every Backprop notebook, running cells in order against the
 * notebook's Session. `train` gives control back between slices (the Session's `run`), so progress
 * streams into the cell and an interrupt stops it at the next slice with the last whole epoch kept.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE, CELL_LANGUAGE } from './serializer';
import { NotebookStates, digitsSetting, type NotebookState } from './state';
import { errorOutput, noteOutput, progressItems, traceOutput } from './outputs';
import type { CellResult } from '../engine/session';

export const CONTROLLER_ID = 'backprop-notebook-kernel';

/** Progress is redrawn at most this often: each redraw is a message to the renderer process. */
const PROGRESS_INTERVAL_MS = 100;

export class Kernel implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly ran = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires after cells of a notebook ran (names and values changed: hovers, diagnostics). */
  readonly onDidRun = this.ran.event;

  constructor(private readonly states: NotebookStates) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Backprop (exact)');
    this.controller.supportedLanguages = [CELL_LANGUAGE];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'exact forward, backward and update';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
  }

  dispose(): void {
    this.controller.dispose();
    this.ran.dispose();
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const state = this.states.get(notebook);
    // Executions are created now, so that every queued cell shows as pending and has a token that
    // the user's interrupt cancels.
    const executions: vscode.NotebookCellExecution[] = [];
    for (const cell of cells) {
      if (cell.kind !== vscode.NotebookCellKind.Code) continue;
      try {
        executions.push(this.controller.createNotebookCellExecution(cell));
      } catch {
        // Already queued by an earlier request: that run will do it.
      }
    }
    const run = state.queue.then(() => this.runAll(executions, state, notebook));
    state.queue = run.catch(() => undefined);
    return run;
  }

  private async runAll(executions: vscode.NotebookCellExecution[], state: NotebookState, notebook: vscode.NotebookDocument): Promise<void> {
    let stopped: 'error' | 'interrupted' | undefined;
    try {
      for (const execution of executions) {
        if (stopped || execution.token.isCancellationRequested) {
          // Not run: after an error or an interrupt the cells below would see a state they do not
          // expect. Their outputs from an earlier run are replaced, not left looking current.
          execution.start();
          await execution.replaceOutput([noteOutput(stopped === 'error'
            ? 'Not run: a cell above failed in this run (its error is shown there).'
            : 'Not run: the run was interrupted.')]);
          execution.end(undefined);
          continue;
        }
        const verdict = await this.runCell(execution, state);
        if (verdict === 'error' || verdict === 'interrupted') stopped = verdict;
      }
    } finally {
      this.ran.fire(notebook);
    }
  }

  private async runCell(execution: vscode.NotebookCellExecution, state: NotebookState): Promise<'ok' | 'failed-checks' | 'error' | 'interrupted'> {
    execution.executionOrder = ++state.executionOrder;
    execution.start(Date.now());
    await execution.clearOutput();
    const digits = digitsSetting();

    // Progress updates are fire-and-forget from the engine's callback; they go through one chain so
    // that the final outputs are written after the last of them.
    let writes: Thenable<void> = Promise.resolve();
    let progress: vscode.NotebookCellOutput | undefined;
    let lastDraw = 0;
    let result: CellResult;
    try {
      result = await state.session.run(execution.cell.document.getText(), {
        isCancelled: () => execution.token.isCancellationRequested,
        onProgress: (p) => {
          const now = Date.now();
          if (now - lastDraw < PROGRESS_INTERVAL_MS && p.epoch < p.epochs) return;
          lastDraw = now;
          writes = writes.then(() => {
            if (!progress) {
              progress = new vscode.NotebookCellOutput(progressItems(p, digits), { progress: true });
              return execution.appendOutput(progress);
            }
            return execution.replaceOutputItems(progressItems(p, digits), progress);
          });
        },
      });
    } catch (err) {
      // The engine promises not to throw at bad input; if it does anyway, say so in the cell.
      await writes;
      const message = err instanceof Error ? err.message : String(err);
      await execution.replaceOutput([errorOutput([{ code: 'legacy', args: { text: `internal error: ${message}` }, message: `internal error: ${message}`, span: { start: 0, end: 0 }, line: 1, column: 1, severity: 'error' }])]);
      execution.end(false, Date.now());
      return 'error';
    }

    await writes;
    const outputs = result.traces.map(traceOutput);
    if (result.interrupted) {
      outputs.push(noteOutput(interruptNote(result)));
    }
    if (result.errors.length) outputs.push(errorOutput(result.errors));
    await execution.replaceOutput(outputs);
    const verdict = result.errors.length ? 'error' : result.interrupted ? 'interrupted' : result.checksFailed ? 'failed-checks' : 'ok';
    execution.end(verdict === 'ok', Date.now());
    return verdict;
  }
}

function interruptNote(result: CellResult): string {
  for (const t of result.traces) {
    if (t.kind === 'train' && t.stopped?.reason === 'interrupted') {
      return `Interrupted: stopped after ${t.epochsRun} of ${t.epochsRequested} epochs; the weights are those after the last whole epoch (epoch ${t.epoch}).`;
    }
  }
  return 'Interrupted: the weights are those after the last whole epoch.';
}
