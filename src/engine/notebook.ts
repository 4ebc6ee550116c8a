/**
 * Running a whole notebook: the one loop the command line (`bpnb run`, every format), the kernel and
 * "Export as Markdown/LaTeX" share, so that they agree on what happens after an error, to blank and
 * Markdown cells, and how a cell's errors read in a document.
 *
 * The rules:
 * - Markdown cells are not run; code cells run in order through one Session.
 * - A code cell holding only whitespace is blank: it is not run and a document leaves it out.
 * - After a cell with an error (or one that crashed the engine), the code cells below it are "not
 *   run" unless `stopAfterError` is false: they would meet a state they do not expect. After an
 *   interrupt they are always not run. Failed checks do not stop the run.
 * - A cell cancelled before it started (`isCancelled` already true) is not run either.
 * - In a document a cell's errors name lines of the cell (`line 2, column 8: …`), since the cell's
 *   text is printed right above them; the command line's stderr names lines of the file instead.
 *
 * Pure: no `vscode`, no DOM, no Node APIs.
 */
import type { CellResult, Progress, Session } from './session';
import { LineIndex, type Diagnostic } from './semantics/diagnostics';
import { messageOf, type DiagnosticArgs, type DiagnosticCode } from './semantics/messages';
import type { BpnbDocument } from './file/bpnb';
import { notebookToMarkdown, type ExportCell } from './present/markdown';
import { notebookToLatex } from './present/latex';

export interface NotebookCell {
  readonly kind: 'code' | 'markdown';
  /** Read when the cell starts, so a kernel can pass a getter and run the text as it is then. */
  readonly source: string;
  /** 1-based line of the cell's first source line in its file, when there is a file. */
  readonly line?: number;
}

export type Verdict = 'ok' | 'failed-checks' | 'error' | 'interrupted';

export type CellRun =
  | { status: 'markdown' }
  | { status: 'blank' }
  | { status: Verdict; result: CellResult }
  /** The engine threw: a bug, reported as one internal error instead of a stack trace. */
  | { status: 'crashed'; message: string }
  | { status: 'not-run'; because: 'error' | 'interrupted' };

export interface NotebookHooks {
  /** A code cell is about to run (blank ones too; not-run and Markdown cells never start). */
  onCellStart?(index: number): void | Promise<void>;
  onProgress?(index: number, p: Progress): void;
  /** Polled before each cell and between slices of a long `train`. */
  isCancelled?(index: number): boolean;
  /** Every cell's outcome, as soon as it is known (so outputs can be written as they come). */
  onCellDone?(index: number, run: CellRun): void | Promise<void>;
}

export interface NotebookOptions {
  /** Default true: after an error the code cells below are not run. */
  stopAfterError?: boolean;
}

export async function runNotebook(
  cells: readonly NotebookCell[], session: Session, hooks: NotebookHooks = {}, options: NotebookOptions = {},
): Promise<CellRun[]> {
  // One work budget for the whole run of cells, so a Run All is counted as one, not per cell.
  session.beginRun();
  const runs: CellRun[] = [];
  let stopped: 'error' | 'interrupted' | undefined;
  for (let i = 0; i < cells.length; i++) {
    const run: CellRun = cells[i].kind === 'markdown' ? { status: 'markdown' }
      : stopped ? { status: 'not-run', because: stopped } : await runCell(cells[i], i, session, hooks);
    runs.push(run);
    if (run.status === 'interrupted') stopped = 'interrupted';
    if ((run.status === 'error' || run.status === 'crashed') && options.stopAfterError !== false) stopped = 'error';
    await hooks.onCellDone?.(i, run);
  }
  return runs;
}

async function runCell(cell: NotebookCell, index: number, session: Session, hooks: NotebookHooks): Promise<CellRun> {
  const isCancelled = () => hooks.isCancelled?.(index) ?? false;
  if (isCancelled()) return { status: 'not-run', because: 'interrupted' };
  const source = cell.source;
  await hooks.onCellStart?.(index);
  if (source.trim() === '') return { status: 'blank' };
  try {
    const result = await session.run(source, { isCancelled, onProgress: (p) => hooks.onProgress?.(index, p) });
    return { status: verdictOf(result), result };
  } catch (e) {
    return { status: 'crashed', message: e instanceof Error ? e.message : String(e) };
  }
}

function verdictOf(result: CellResult): Verdict {
  if (result.errors.some((d) => d.severity === 'error')) return 'error';
  if (result.interrupted) return 'interrupted';
  return result.checksFailed > 0 ? 'failed-checks' : 'ok';
}

/** How many errors a cell's diagnostics stand for: the engine lists a few and counts the rest
 *  in one `more-errors` diagnostic. */
export function errorCount(errors: readonly Diagnostic[]): number {
  let n = 0;
  for (const d of errors) if (d.severity === 'error') n += d.code === 'more-errors' ? Number(d.args.count) : 1;
  return n;
}

/** `line 3, column 7: unknown weight 'w9' — did you mean 'w8'?`, lines counted in the cell. */
export function describeDiagnostic(d: Diagnostic): string {
  return `line ${d.line}, column ${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${messageOf(d)}`;
}

/** What an interrupted cell's output says: how far its `train` got and which weights are kept. */
export function interruptNote(result: CellResult): string {
  for (const t of result.traces) {
    if (t.kind === 'train' && t.stopped?.reason === 'interrupted') {
      return `stopped after ${t.epochsRun.toLocaleString('en-US')} of ${t.epochsRequested.toLocaleString('en-US')} epochs; the weights are those after the last whole epoch (epoch ${t.epoch.toLocaleString('en-US')})`;
    }
  }
  return 'the weights are those after the last whole epoch';
}

/** Why a cell did not run, as its output (and a document) says it. */
export function notRunNote(because: 'error' | 'interrupted'): string {
  return because === 'error' ? 'Not run: a cell above failed in this run (its error is shown there).' : 'Not run: the run was interrupted.';
}

export function internalErrorText(message: string): string {
  return `internal error: ${message}`;
}

/** A cell's run as a document shows it: its errors and notes, in the cell's own lines. */
function documentErrors(run: CellRun): string[] {
  switch (run.status) {
    case 'not-run': return [notRunNote(run.because)];
    case 'crashed': return [internalErrorText(run.message)];
    case 'markdown': case 'blank': return [];
    default: {
      const lines = run.result.errors.map(describeDiagnostic);
      if (run.result.interrupted) lines.push(`interrupted: ${interruptNote(run.result)}`);
      return lines;
    }
  }
}

/** The cells of the worked-solution document: Markdown as it is, each non-blank code cell with its output. */
export function solutionCells(cells: readonly NotebookCell[], runs: readonly CellRun[]): ExportCell[] {
  const out: ExportCell[] = [];
  cells.forEach((cell, i) => {
    const run = runs[i];
    if (cell.kind === 'markdown') out.push({ kind: 'markdown', source: cell.source });
    else if (run && run.status !== 'blank' && cell.source.trim() !== '') {
      out.push({ kind: 'code', source: cell.source, traces: 'result' in run ? run.result.traces : [], errors: documentErrors(run) });
    }
  });
  return out;
}

export type SolutionFormat = 'markdown' | 'latex';

/** The document's title, from the notebook's file name (`mazur-2-2-2.bpnb` → `mazur-2-2-2: worked solution`). */
export function solutionTitle(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() || 'notebook';
  return `${base.replace(/\.bpnb$/i, '')}: worked solution`;
}

/** The worked solution as one Markdown or LaTeX document. */
export function solutionDocument(format: SolutionFormat, fileName: string, cells: readonly ExportCell[]): string {
  return format === 'markdown' ? notebookToMarkdown(cells) : notebookToLatex(cells, solutionTitle(fileName));
}

/**
 * What the reader says about a file as a whole, at a line of the file: the first byte that is not
 * UTF-8 (a note: later errors make no sense without it) and a limit that stopped the reading.
 */
export interface FileProblem {
  code: DiagnosticCode;
  args: DiagnosticArgs;
  line: number;
  column: number;
  severity: 'error' | 'note';
}

export function fileProblems(doc: Pick<BpnbDocument, 'decodeNote' | 'error'>): FileProblem[] {
  const problems: FileProblem[] = [];
  const note = doc.decodeNote;
  if (note) problems.push({ code: 'file-not-utf8', args: { byte: note.byte }, line: note.line, column: note.column, severity: 'note' });
  if (doc.error) problems.push({ ...doc.error, severity: 'error' });
  return problems;
}

/** A cell line beginning with `%%` is written `\%%` in the file (see file/bpnb.ts): one column further right there. */
export function escapedInFile(source: string, lineStart: number): boolean {
  ESCAPED.lastIndex = lineStart;
  return ESCAPED.test(source);
}
const ESCAPED = /\\*%%/y;

/**
 * The cell (by index), line and column of a place in the file that `cells` (as `readBpnb` gives them,
 * with their `line`) were read from. A marker line belongs to the cell it starts.
 */
export function placeInCells(cells: readonly NotebookCell[], place: { line: number; column: number }): { index: number; line: number; column: number } | undefined {
  let index = -1;
  for (let i = 0; i < cells.length; i++) if ((cells[i].line ?? Infinity) - 1 <= place.line) index = i;
  if (index < 0) return cells.length ? { index: 0, line: 1, column: 1 } : undefined;
  const cell = cells[index];
  const lines = new LineIndex(cell.source);
  const line = place.line - (cell.line ?? 1) + 1;
  // The marker line above the cell, or the blank line after it: the cell's first or last line.
  if (line < 1) return { index, line: 1, column: 1 };
  if (line > lines.lineCount) return { index, line: lines.lineCount, column: 1 };
  const shift = escapedInFile(cell.source, lines.lineStart(line)) ? 1 : 0;
  return { index, line, column: Math.max(1, place.column - shift) };
}
