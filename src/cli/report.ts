/**
 * What `bpnb run` says about a file, in the file's own terms: every place is `FILE:LINE:COL` with
 * LINE counted in the file, and every line a message names too (`messageOf(d, cell.line - 1)`).
 * At most MAX_LISTED_ERRORS errors are printed for one file, then how many more there were (the
 * engine caps each cell's list the same way, so this bounds a file of many cells).
 */
import type { BpnbCell } from '../engine/file/bpnb';
import type { Diagnostic } from '../engine/semantics/diagnostics';
import { LineIndex } from '../engine/semantics/diagnostics';
import { messageOf } from '../engine/semantics/messages';
import {
  errorCount, escapedInFile, interruptNote, internalErrorText, type CellRun, type FileProblem,
} from '../engine/notebook';

export const MAX_LISTED_ERRORS = 100;
import type { Terminal } from './terminal';

type Place = Pick<Diagnostic, 'line' | 'column'>;

/** A diagnostic as the command line reports it, in the file's lines (`--format json`). */
export interface FileDiagnostic {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'note';
  code: string;
  message: string;
  /** Other lines the message names ("already declared on line 9"), counted in the file too. */
  related?: { role: string; line: number }[];
}

export class FileReport {
  /** One line table per cell, built when the cell first needs a place: never a rescan per error. */
  private readonly lines = new Map<BpnbCell, LineIndex>();
  private printed = 0;
  private unprinted = 0;

  constructor(readonly file: string, private readonly terminal: Terminal) {}

  /** A line and column of the cell as a line and column of the file. */
  place(cell: BpnbCell, at: Place): { line: number; column: number } {
    let index = this.lines.get(cell);
    if (!index) this.lines.set(cell, (index = new LineIndex(cell.source)));
    const line = Math.min(Math.max(at.line, 1), index.lineCount);
    const shift = escapedInFile(cell.source, index.lineStart(line)) ? 1 : 0;
    return { line: cell.line + line - 1, column: Math.max(at.column, 1) + shift };
  }

  where(cell: BpnbCell, at: Place): string {
    const p = this.place(cell, at);
    return `${this.file}:${p.line}:${p.column}`;
  }

  diagnostic(cell: BpnbCell, d: Diagnostic): FileDiagnostic {
    const f: FileDiagnostic = { file: this.file, ...this.place(cell, d), severity: d.severity, code: d.code, message: messageOf(d, cell.line - 1) };
    if (d.related?.length) f.related = d.related.map((r) => ({ role: r.role, line: cell.line + r.line - 1 }));
    return f;
  }

  /** Prints what a cell's run has to say on stderr: its errors, an interrupt, an internal error. */
  cell(cell: BpnbCell, run: CellRun): void {
    if (run.status === 'crashed') this.error(`${this.where(cell, { line: 1, column: 1 })}: ${internalErrorText(run.message)}`);
    if (!('result' in run)) return;
    for (const d of run.result.errors) {
      if (this.printed >= MAX_LISTED_ERRORS) {
        this.unprinted += errorCount([d]);
        continue;
      }
      const f = this.diagnostic(cell, d);
      this.error(`${f.file}:${f.line}:${f.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${f.message}`);
    }
    if (run.result.interrupted) {
      const stopped = run.result.traces.find((t) => t.kind === 'train' && t.stopped?.reason === 'interrupted');
      this.terminal.err(`${this.where(cell, { line: stopped?.line ?? 1, column: 1 })}: interrupted: ${interruptNote(run.result)}\n`);
    }
  }

  problem(p: FileProblem): FileDiagnostic {
    return { file: this.file, line: p.line, column: p.column, severity: p.severity, code: p.code, message: messageOf(p) };
  }

  /** The reader's word on the whole file, before any cell runs. */
  fileProblems(problems: readonly FileProblem[]): void {
    for (const f of problems.map((p) => this.problem(p))) {
      this.terminal.err(`${f.file}:${f.line}:${f.column}: ${f.severity === 'note' ? 'note: ' : ''}${f.message}\n`);
    }
  }

  private error(line: string): void {
    this.printed++;
    this.terminal.err(`${line}\n`);
  }

  /** The closing lines: how many errors were left out, and which cells did not run. */
  finish(cells: readonly BpnbCell[], runs: readonly CellRun[]): void {
    const n = this.unprinted;
    if (n > 0) this.terminal.err(`${this.file}: … and ${n.toLocaleString('en-US')} more error${n === 1 ? '' : 's'}\n`);
    const notRun = runs.filter((r) => r.status === 'not-run').length;
    if (notRun === 0) return;
    const stopper = runs.findIndex((r) => r.status === 'error' || r.status === 'crashed' || r.status === 'interrupted');
    const after = stopper >= 0 ? ` after the cell at line ${cells[stopper].line}` : '';
    this.terminal.err(`${this.file}: stopped${after}; ${notRun} later cell${notRun === 1 ? ' was' : 's were'} not run\n`);
  }
}

/** 0 every cell ran and every check passed, 1 a check failed, 2 anything else went wrong. */
export function exitStatus(runs: readonly CellRun[]): number {
  let status = 0;
  for (const r of runs) {
    if (r.status === 'failed-checks') status = Math.max(status, 1);
    if (r.status === 'error' || r.status === 'crashed' || r.status === 'interrupted' || r.status === 'not-run') return 2;
  }
  return status;
}
