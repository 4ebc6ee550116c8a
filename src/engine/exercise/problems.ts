/**
 * What is wrong with a template, a roster or a student's variant, as diagnostics (codes and
 * arguments; English from semantics/messages.ts). Each is placed in a cell of the template, or in
 * the file as a whole; the edges print it as `FILE:LINE:COL: message` with `placeInFile`.
 */
import { diagnosticAt, LineIndex, type Diagnostic } from '../semantics/diagnostics';
import type { DiagnosticArgs, DiagnosticCode } from '../semantics/messages';
import { messageOf } from '../semantics/messages';
import { escapedInFile } from '../notebook';
import type { Span } from '../language/syntax';

/** A diagnostic whose line and column are in cell `cell` of the template, or in the file when it has none. */
export interface Located extends Diagnostic { cell?: number }

export function inCell(cell: number, source: string, span: Span, code: DiagnosticCode, args: DiagnosticArgs = {}): Located {
  return { ...diagnosticAt(new LineIndex(source), span, code, args), cell };
}

export function inFile(code: DiagnosticCode, args: DiagnosticArgs = {}, line = 1, column = 1): Located {
  return { code, args, span: { start: 0, end: 0 }, line, column, severity: 'error' };
}

/** The line and column of a problem in the file the cells were read from (cells as `readBpnb` gives them). */
export function placeInFile(p: Located, cells: readonly { source: string; line: number }[]): { line: number; column: number; offset: number } {
  const cell = p.cell === undefined ? undefined : cells[p.cell];
  if (!cell) return { line: p.line, column: p.column, offset: 0 };
  const lines = new LineIndex(cell.source);
  // A cell line written `\%%` in the file is one column further right there (see file/bpnb.ts).
  const shift = escapedInFile(cell.source, lines.lineStart(p.line)) ? 1 : 0;
  return { line: cell.line + p.line - 1, column: p.column + shift, offset: cell.line - 1 };
}

/** `FILE:LINE:COL: message`, every line the message names counted in the file too. */
export function describeProblem(file: string, p: Located, cells: readonly { source: string; line: number }[]): string {
  const at = placeInFile(p, cells);
  return `${file}:${at.line}:${at.column}: ${messageOf(p, at.offset)}`;
}
