/**
 * `bpnb`: run a `.bpnb` notebook from the command line.
 *
 *   bpnb run FILE.bpnb [--format text|markdown|latex|json]
 *
 * and make and grade per-student exercises from a template (exercise.ts, grade.ts).
 *
 * Exit status: 0 when every cell ran and every check passed, 1 when a check failed, 2 on any error
 * (bad usage, unreadable file, a cell with errors, a training run that diverged). Errors go to stderr
 * as `FILE:LINE:COL: message`, LINE counted in the file. Nothing reaches the user as a stack trace,
 * and nothing a notebook holds reaches the terminal as a control character (see terminal.ts).
 *
 * The cells run through the engine's `runNotebook`, as in the editor and its export, so the
 * Markdown and LaTeX written here are the documents "Export Worked Solution" writes.
 *
 * `main` takes its arguments and writers and returns the exit code, so tests drive it in-process.
 */
import { version } from '../../package.json';
import { readBpnb, type BpnbCell, type BpnbDocument } from '../engine/file/bpnb';
import { Session } from '../engine/session';
import { TEXT_WIDTH, tracesToText } from '../engine/present/text';
import { formatNumber } from '../engine/language/numbers';
import {
  fileProblems, runNotebook, solutionCells, solutionDocument, type CellRun, type FileProblem, type NotebookHooks,
} from '../engine/notebook';
import { USAGE, UsageError, readArgs, type OutputFormat } from './args';
import { readFile } from './read';
import { exitStatus, FileReport } from './report';
import { runExercise } from './exercise';
import { runGrade } from './grade';
import { Terminal, type CliIo } from './terminal';
import { escapeControl } from '../engine/present/controls';

export type { CliIo } from './terminal';
export type { OutputFormat } from './args';
export { USAGE } from './args';
export { MAX_FILE_BYTES } from './read';

/** Runs `bpnb` with `argv` (without `node` and the script); returns the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const terminal = new Terminal(io);
  try {
    return await mainUnguarded(argv, io, terminal);
  } catch (e) {
    // The last resort: whatever went wrong, one line and status 2, never a stack trace.
    terminal.err(`bpnb: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

async function mainUnguarded(argv: readonly string[], io: CliIo, terminal: Terminal): Promise<number> {
  let args: ReturnType<typeof readArgs>;
  try {
    args = readArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    terminal.err(`bpnb: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    terminal.out(USAGE);
    return 0;
  }
  if (args === 'version') {
    terminal.out(`bpnb ${version}\n`);
    return 0;
  }
  if (args.command === 'exercise') return runExercise(args, terminal);
  if (args.command === 'grade') return runGrade(args, terminal);
  const bytes = readFile(args.file);
  if (typeof bytes === 'string') {
    terminal.err(`${args.file}: cannot read: ${bytes}\n`);
    return 2;
  }
  return runFile(args.file, readBpnb(bytes), args.format, io, terminal);
}

/** Runs the cells of a file that was read, prints them in `format`, returns the exit status. */
async function runFile(file: string, doc: BpnbDocument, format: OutputFormat, io: CliIo, terminal: Terminal): Promise<number> {
  const report = new FileReport(file, terminal);
  const problems = fileProblems(doc);
  report.fileProblems(problems);
  const { cells } = doc;
  const codeNumber = numberCodeCells(cells);
  const hooks: NotebookHooks = {
    isCancelled: () => io.cancelled?.() ?? false,
    onCellDone(i, run) {
      if (format === 'text') printCellText(terminal, io, `── cell ${codeNumber[i]} (${file}:${cells[i].line}) ──`, run, cells[i].line);
      report.cell(cells[i], run);
    },
  };
  if (io.errIsTTY) {
    hooks.onProgress = (i, p) => terminal.progress(`${file}:${cells[i].line + p.line - 1}: train: epoch ${p.epoch.toLocaleString('en-US')} of ${p.epochs.toLocaleString('en-US')}, E = ${formatNumber(p.loss, 6)}`);
  }
  const runs = await runNotebook(cells, new Session(), hooks);
  report.finish(cells, runs);
  // Cells past a limit of the reader were not read: that is an error whatever the rest did.
  const status = problems.some((p) => p.severity === 'error') ? 2 : exitStatus(runs);
  if (format === 'json') terminal.out(jsonReport(report, cells, runs, status, problems));
  else if (format !== 'text') terminal.out(solutionDocument(format, file, solutionCells(cells, runs)));
  return status;
}

/** Code cells are numbered 1, 2, … in the file, Markdown cells left out. */
function numberCodeCells(cells: readonly BpnbCell[]): number[] {
  let n = 0;
  return cells.map((c) => (c.kind === 'code' ? ++n : 0));
}

/** A cell's output on the terminal; check lines are numbered in the file, like every other place printed. */
function printCellText(terminal: Terminal, io: CliIo, heading: string, run: CellRun, fileLine: number): void {
  if (!('result' in run) || run.result.traces.length === 0) return;
  // A very narrow terminal would wrap every formula at each operator; 60 columns is the least used.
  const columns = io.columns !== undefined && io.columns >= 60 ? io.columns : TEXT_WIDTH;
  terminal.out(`${heading}\n\n${tracesToText(run.result.traces, columns, { fileLine })}\n\n`);
}

function jsonReport(report: FileReport, cells: readonly BpnbCell[], runs: readonly CellRun[], exitCode: number, problems: readonly FileProblem[]): string {
  const codeNumber = numberCodeCells(cells);
  const ran = runs.flatMap((run, i) => ('result' in run ? [{ run, cell: cells[i], index: codeNumber[i] }] : []));
  return JSON.stringify({
    file: report.file,
    exitCode,
    problems: problems.map((p) => report.problem(p)),
    cells: ran.map(({ run, cell, index }) => ({
      cell: index,
      line: cell.line,
      errors: run.result.errors.map((d) => report.diagnostic(cell, d)),
      checksFailed: run.result.checksFailed,
      interrupted: run.result.interrupted,
      traces: run.result.traces,
    })),
  }, jsonNumbers, 2).replace(/[\u007f-\u009f]/g, jsonEscape) + '\n';
}

/** JSON.stringify leaves DEL and the C1 controls raw; written as `\u009b` they stay valid JSON and
 *  never reach the terminal as controls. */
function jsonEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** JSON has no NaN or Infinity; a diverged run holds them, so they are written as strings. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}

/** The process entry: real streams, Ctrl-C stops a `train` cleanly, a second Ctrl-C exits. */
async function cli(): Promise<void> {
  let cancelled = false;
  process.on('SIGINT', () => {
    if (cancelled) process.exit(130);
    cancelled = true;
  });
  for (const stream of [process.stdout, process.stderr]) {
    // `bpnb run … | head` closes the pipe early; that is not an error worth a stack trace.
    stream.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 2));
  }
  const code = await main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    errIsTTY: Boolean(process.stderr.isTTY),
    cancelled: () => cancelled,
    columns: process.stdout.isTTY ? process.stdout.columns : undefined,
  });
  process.exitCode = code;
}

if (typeof require !== 'undefined' && require.main === module) {
  process.on('uncaughtException', (e) => {
    process.stderr.write(escapeControl(`bpnb: internal error: ${e instanceof Error ? e.message : String(e)}\n`));
    process.exit(2);
  });
  void cli();
}
