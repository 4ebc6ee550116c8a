/**
 * The kernel: one NotebookController for every Backprop notebook, running cells in order against the
 * notebook's Session. `train` gives control back between slices (the Session's `run`), so progress
 * streams into the cell and an interrupt stops it at the next slice with the last whole epoch kept.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE, CELL_LANGUAGE } from './serializer';
import { NotebookStates, digitsSetting, type NotebookState } from './state';
import { errorOutput, noteOutput, progressItems, traceOutput } from './outputs';
import type { Progress } from '../engine/session';
import { describeDiagnostic, errorCount, internalErrorText, interruptNote, notRunNote, runNotebook, type CellRun } from '../engine/notebook';

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
    const cells = executions.map((execution) => new CellWriter(execution, state));
    // A getter: each cell's text is read when it starts, as it is then.
    const inputs = executions.map((execution) => ({ kind: 'code' as const, get source() { return execution.cell.document.getText(); } }));
    try {
      await runNotebook(inputs, state.session, {
        isCancelled: (i) => executions[i].token.isCancellationRequested,
        onCellStart: (i) => cells[i].start(),
        onProgress: (i, p) => cells[i].progress(p),
        onCellDone: (i, run) => cells[i].finish(run),
      });
    } finally {
      this.ran.fire(notebook);
    }
  }
}

/** One cell's execution: started, its progress line redrawn, then its outputs written once. */
class CellWriter {
  // Progress updates are fire-and-forget from the engine's callback; they go through one chain so
  // that the final outputs are written after the last of them.
  private writes: Thenable<void> = Promise.resolve();
  private progressOutput?: vscode.NotebookCellOutput;
  private lastDraw = 0;
  private started = false;
  private readonly digits = digitsSetting();

  constructor(private readonly execution: vscode.NotebookCellExecution, private readonly state: NotebookState) {}

  async start(): Promise<void> {
    this.started = true;
    this.execution.executionOrder = ++this.state.executionOrder;
    this.execution.start(Date.now());
    await this.execution.clearOutput();
  }

  progress(p: Progress): void {
    const now = Date.now();
    if (now - this.lastDraw < PROGRESS_INTERVAL_MS && p.epoch < p.epochs) return;
    this.lastDraw = now;
    this.writes = this.writes.then(() => {
      if (!this.progressOutput) {
        this.progressOutput = new vscode.NotebookCellOutput(progressItems(p, this.digits), { progress: true });
        return this.execution.appendOutput(this.progressOutput);
      }
      return this.execution.replaceOutputItems(progressItems(p, this.digits), this.progressOutput);
    });
  }

  async finish(run: CellRun): Promise<void> {
    await this.writes;
    if (run.status === 'not-run') {
      // After an error or an interrupt the cells below would see a state they do not expect. Their
      // outputs from an earlier run are replaced, not left looking current.
      if (!this.started) this.execution.start();
      await this.execution.replaceOutput([noteOutput(notRunNote(run.because))]);
      this.execution.end(undefined);
      return;
    }
    await this.execution.replaceOutput(outputsOf(run));
    // Failed checks mark the cell failed, but the cells below still run.
    this.execution.end(run.status === 'ok' || run.status === 'blank', Date.now());
  }
}

function outputsOf(run: CellRun): vscode.NotebookCellOutput[] {
  if (run.status === 'crashed') return [errorOutput([internalErrorText(run.message)])];
  if (!('result' in run)) return [];
  const { result } = run;
  const outputs = result.traces.map(traceOutput);
  if (result.interrupted) outputs.push(noteOutput(`Interrupted: ${interruptNote(result)}.`));
  if (result.errors.length) outputs.push(errorOutput(result.errors.map(describeDiagnostic), errorCount(result.errors)));
  return outputs;
}
