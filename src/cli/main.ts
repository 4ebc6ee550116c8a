/**
 * `bpnb`: run a `.bpnb` notebook from the command line.
 *
 *   bpnb run FILE.bpnb [--format text|markdown|latex|json]
 *
 * Exit status: 0 when every cell ran and every check passed, 1 when a check failed, 2 on any error
 * (bad usage, unreadable file, a cell with errors, a training run that diverged). Errors go to stderr
 * as `FILE:LINE:COL: message`, LINE counted in the file. Nothing reaches the user as a stack trace.
 *
 * `main` takes its arguments and writers and returns the exit code, so tests drive it in-process.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { version } from '../../package.json';
import { readBpnb, type BpnbCell } from '../engine/file/bpnb';
import { Session, type CellResult, type Progress } from '../engine/session';
import type { Diagnostic } from '../engine/semantics/diagnostics';
import type { Trace } from '../engine/trace/schema';
import { TEXT_WIDTH, tracesToText } from '../engine/present/text';
import { notebookToMarkdown, type ExportCell } from '../engine/present/markdown';
import { notebookToLatex } from '../engine/present/latex';
import { formatNumber } from '../engine/language/numbers';

export type OutputFormat = 'text' | 'markdown' | 'latex' | 'json';
const FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'latex', 'json'];

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: long `train`s then show their progress there. */
  errIsTTY?: boolean;
  /** Set by a Ctrl-C handler: a running `train` stops at the end of its current epoch. */
  cancelled?(): boolean;
  /** Width of the terminal stdout goes to; text output is laid out for 100 columns otherwise. */
  columns?: number;
}

/** Files larger than this are refused rather than read: a notebook is text a person wrote. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const USAGE = `Usage: bpnb run FILE.bpnb [--format text|markdown|latex|json]

Runs every code cell of a Backprop Notebook in order and prints what each computed.

Options:
  -f, --format FORMAT  text (default): tables as plain text
                       markdown: the worked solution as Markdown with $…$ math
                       latex: the worked solution as a LaTeX document
                       json: every cell's traces and errors as JSON
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 all cells ran and every check passed, 1 a check failed, 2 an error.
`;

interface RunArgs {
  file: string;
  format: OutputFormat;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): RunArgs | 'help' | 'version' {
  const rest: string[] = [];
  let format: OutputFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help' || a === 'help') return 'help';
    if (a === '-v' || a === '--version') return 'version';
    let value: string | undefined;
    if (a === '-f' || a === '--format') {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${a} needs a value: ${FORMATS.join(', ')}`);
    } else if (a.startsWith('--format=')) {
      value = a.slice('--format='.length);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      rest.push(a);
      continue;
    }
    if (!(FORMATS as readonly string[]).includes(value)) {
      throw new UsageError(`unknown format '${value}': use ${FORMATS.join(', ')}`);
    }
    format = value as OutputFormat;
  }
  if (rest.length === 0) throw new UsageError('missing command: bpnb run FILE.bpnb');
  if (rest[0] !== 'run') throw new UsageError(`unknown command '${rest[0]}'${rest[0].endsWith('.bpnb') ? ` (did you mean 'bpnb run ${rest[0]}'?)` : ''}`);
  if (rest.length < 2) throw new UsageError('missing file: bpnb run FILE.bpnb');
  if (rest.length > 2) throw new UsageError(`one file at a time: unexpected '${rest[2]}'`);
  return { file: rest[1], format };
}

/** Reads at most MAX_FILE_BYTES, in chunks, so that a pipe or a device like /dev/zero cannot hang
 *  the command or exhaust memory. Returns the bytes, or why they could not be read. */
function readFile(file: string): Uint8Array | string {
  let fd: number | undefined;
  try {
    if (statSync(file).isDirectory()) return 'is a directory';
    fd = openSync(file, 'r');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_FILE_BYTES) return `is too large (more than ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes)`;
      chunks.push(chunk.subarray(0, n));
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'is a directory';
    return (e as Error).message ?? String(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A cell's line and column as a line and column of the file. */
function position(cell: BpnbCell, line: number, column: number): { line: number; column: number } {
  const l = Math.max(line, 1);
  // A cell line beginning with `%%` is written `\%%` in the file: one column further right there.
  const escaped = /^\\*%%/.test(cell.source.split('\n')[l - 1] ?? '') ? 1 : 0;
  return { line: cell.line + l - 1, column: Math.max(column, 1) + escaped };
}

/**
 * The engine names another line of the same cell ("already declared on line 2") by its line in the
 * cell, as an editor shows it; on the command line it is counted in the file, like the error's own LINE.
 */
function inFile(cell: BpnbCell, message: string): string {
  return message.replace(/(\bon line |\(line )(\d+)\b(?! of its cell)/g, (_m, words: string, n: string) => `${words}${cell.line + Number(n) - 1}`);
}

function where(file: string, cell: BpnbCell, line: number, column: number): string {
  const p = position(cell, line, column);
  return `${file}:${p.line}:${p.column}`;
}

/** One code cell's run, as the output formats need it. */
interface CellRun {
  cell: BpnbCell;
  index: number;
  result: CellResult;
  /** Problems found in the traces that the engine reported as data only (a diverged `train`). */
  extraErrors: { line: number; column: number; message: string }[];
}

function divergence(result: CellResult): { line: number; column: number; message: string }[] {
  const out: { line: number; column: number; message: string }[] = [];
  for (const t of result.traces) {
    if (t.kind === 'train' && t.stopped?.reason === 'diverged') {
      const reported = result.errors.some((e) => e.severity === 'error' && e.line === t.line);
      if (!reported) out.push({ line: t.line, column: 1, message: t.stopped.message });
    }
  }
  return out;
}

async function runCell(session: Session, source: string, io: CliIo, file: string, cell: BpnbCell): Promise<CellResult> {
  if (!io.errIsTTY) return session.runSync(source);
  let shown = false;
  const result = await session.run(source, {
    onProgress(p: Progress) {
      shown = true;
      io.err(`\r\x1b[K${file}:${cell.line + p.line - 1}: train: epoch ${p.epoch.toLocaleString('en-US')} of ${p.epochs.toLocaleString('en-US')}, E = ${formatNumber(p.loss, 6)}`);
    },
    isCancelled: () => io.cancelled?.() ?? false,
  });
  if (shown) io.err('\r\x1b[K');
  return result;
}

function printDiagnostics(io: CliIo, file: string, run: CellRun): void {
  for (const d of run.result.errors) {
    io.err(`${where(file, run.cell, d.line, d.column)}: ${d.severity === 'warning' ? 'warning: ' : ''}${inFile(run.cell, d.message)}\n`);
  }
  for (const e of run.extraErrors) io.err(`${where(file, run.cell, e.line, e.column)}: ${e.message}\n`);
  if (run.result.interrupted) {
    const stopped = run.result.traces.find((t) => t.kind === 'train' && t.stopped?.reason === 'interrupted');
    io.err(`${where(file, run.cell, stopped?.line ?? 1, 1)}: interrupted: the weights are those of the last whole epoch\n`);
  }
}

function jsonDiagnostic(file: string, cell: BpnbCell, d: Pick<Diagnostic, 'line' | 'column' | 'message'> & { severity?: string }) {
  return { file, ...position(cell, d.line, d.column), severity: d.severity ?? 'error', message: inFile(cell, d.message) };
}

/** Runs `bpnb` with `argv` (without `node` and the script); returns the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await mainUnguarded(argv, io);
  } catch (e) {
    // The last resort: whatever went wrong, one line and status 2, never a stack trace.
    const message = e instanceof Error ? e.message : String(e);
    io.err(`bpnb: internal error: ${message}\n`);
    return 2;
  }
}

async function mainUnguarded(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`bpnb: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (args === 'version') {
    io.out(`bpnb ${version}\n`);
    return 0;
  }
  const { file, format } = args;
  const bytes = readFile(file);
  if (typeof bytes === 'string') {
    io.err(`${file}: cannot read: ${bytes}\n`);
    return 2;
  }

  const doc = readBpnb(bytes);
  const session = new Session();
  const runs: CellRun[] = [];
  let status = 0;
  let stoppedAt: CellRun | undefined;
  let codeIndex = 0;
  for (const cell of doc.cells) {
    if (cell.kind !== 'code') continue;
    codeIndex++;
    let result: CellResult;
    try {
      result = await runCell(session, cell.source, io, file, cell);
    } catch (e) {
      io.err(`${file}:${cell.line}:1: internal error while running this cell: ${e instanceof Error ? e.message : String(e)}\n`);
      status = 2;
      break;
    }
    const run: CellRun = { cell, index: codeIndex, result, extraErrors: divergence(result) };
    runs.push(run);
    if (format === 'text') printCellText(io, file, run);
    printDiagnostics(io, file, run);
    if (result.checksFailed > 0) status = Math.max(status, 1);
    const failed = result.errors.some((e) => e.severity === 'error') || run.extraErrors.length > 0 || result.interrupted;
    if (failed) {
      status = 2;
      stoppedAt = run;
      break;
    }
  }
  const remaining = doc.cells.filter((c) => c.kind === 'code').length - runs.length;
  if (stoppedAt && remaining > 0) {
    io.err(`${file}: stopped after the cell at line ${stoppedAt.cell.line}; ${remaining} later cell${remaining === 1 ? ' was' : 's were'} not run\n`);
  }

  if (format === 'json') {
    io.out(JSON.stringify({
      file,
      exitCode: status,
      cells: runs.map((r) => ({
        cell: r.index,
        line: r.cell.line,
        errors: [...r.result.errors.map((d) => jsonDiagnostic(file, r.cell, d)), ...r.extraErrors.map((d) => jsonDiagnostic(file, r.cell, d))],
        checksFailed: r.result.checksFailed,
        interrupted: r.result.interrupted,
        traces: r.result.traces,
      })),
    }, jsonNumbers, 2) + '\n');
  } else if (format === 'markdown' || format === 'latex') {
    const ran = new Map(runs.map((r) => [r.cell, r]));
    const cells: ExportCell[] = [];
    for (const cell of doc.cells) {
      if (cell.kind === 'markdown') {
        cells.push({ kind: 'markdown', source: cell.source });
        continue;
      }
      const r = ran.get(cell);
      if (!r) continue;
      const errors = [...r.result.errors.map((d) => ({ ...d })), ...r.extraErrors]
        .map((d) => `${where(file, cell, d.line, d.column)}: ${inFile(cell, d.message)}`);
      cells.push({ kind: 'code', source: cell.source, traces: r.result.traces, errors });
    }
    const title = (file.split(/[\\/]/).pop() ?? file).replace(/\.bpnb$/i, '');
    io.out(format === 'markdown' ? notebookToMarkdown(cells) : notebookToLatex(cells, title));
  }
  return status;
}

function printCellText(io: CliIo, file: string, run: CellRun): void {
  const traces: Trace[] = run.result.traces;
  if (traces.length === 0) return;
  // A very narrow terminal would wrap every formula at each operator; 60 columns is the least used.
  const columns = io.columns !== undefined && io.columns >= 60 ? io.columns : TEXT_WIDTH;
  io.out(`── cell ${run.index} (${file}:${run.cell.line}) ──\n\n${tracesToText(traces, columns)}\n\n`);
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
    process.stderr.write(`bpnb: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  });
  void cli();
}
