/**
 * What a cell run leaves in the notebook: one output per trace (the trace itself for the renderer,
 * with Markdown and plain-text fallbacks for places that cannot run it — GitHub, exports, screen
 * readers), an error output naming line and column, and the progress line of a running `train`.
 */
import * as vscode from 'vscode';
import { TRACE_MIME, type Trace } from '../engine/trace/schema';
import type { Progress } from '../engine/session';
import { formatNumber } from '../engine/language/numbers';
import { traceToMarkdown } from '../engine/present/markdown';
import { traceToText } from '../engine/present/text';

export function traceOutput(trace: Trace): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput(
    [
      vscode.NotebookCellOutputItem.json(trace, TRACE_MIME),
      vscode.NotebookCellOutputItem.text(traceToMarkdown(trace), 'text/markdown'),
      vscode.NotebookCellOutputItem.text(traceToText(trace), 'text/plain'),
    ],
    { kind: trace.kind, line: trace.line },
  );
}

/** An error output: one line per error ("line 3, column 7: …", lines of the cell), `count` in its title. */
export function errorOutput(lines: readonly string[], count = lines.length): vscode.NotebookCellOutput {
  // A plain object, not an Error: a stack would point into the extension, not at the student's cell.
  const error = { name: count === 1 ? 'Error' : `${count.toLocaleString('en-US')} errors`, message: lines.join('\n') };
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error as Error)]);
}

export function noteOutput(text: string): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stdout(text)]);
}

export function progressText(p: Progress, digits: number): string {
  return `train (line ${p.line}): epoch ${p.epoch.toLocaleString('en-US')} of ${p.epochs.toLocaleString('en-US')}, loss ${formatNumber(p.loss, digits)}`;
}

export function progressItems(p: Progress, digits: number): vscode.NotebookCellOutputItem[] {
  return [vscode.NotebookCellOutputItem.text(progressText(p, digits), 'text/plain')];
}
