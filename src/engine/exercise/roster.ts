/**
 * The roster: a CSV file whose header names a column `id` (other columns are allowed and ignored).
 * Each id becomes a file name (`DIR/ID.bpnb`), so it must be a safe one on every system: letters,
 * digits, `_`, `-` and `.`, starting with a letter, digit or `_`, at most 64 characters, not a
 * Windows device name (CON, NUL, COM1, …), and unique even when case is ignored.
 */
import { diagnosticAt, LineIndex, type Diagnostic } from '../semantics/diagnostics';
import type { DiagnosticArgs, DiagnosticCode } from '../semantics/messages';
import { readCsv, type CsvField } from './csv';

/** Students one roster may list. */
export const MAX_STUDENTS = 10_000;
export const MAX_ID_LENGTH = 64;

const SAFE_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Why `id` cannot name a student's files, or undefined when it can. */
export function idProblem(id: string): DiagnosticCode | undefined {
  if (id === '') return 'roster-empty-id';
  if (id.length > MAX_ID_LENGTH || !SAFE_ID.test(id) || id.endsWith('.') || DEVICE.test(id)) return 'roster-unsafe-id';
  return undefined;
}

/** The ids of the roster in its order, or its problems (line and column in the file). */
export function readRoster(text: string): { ids: string[]; errors: Diagnostic[] } {
  const lines = new LineIndex(text);
  const errors: Diagnostic[] = [];
  const fail = (at: { start: number; end: number }, code: DiagnosticCode, args: DiagnosticArgs = {}) => {
    errors.push(diagnosticAt(lines, at, code, args));
    return { ids: [], errors };
  };
  const { records, error } = readCsv(text);
  if (error) return fail(error, error.code);
  // A blank line is no student; a quoted empty field ("") is one with an empty id.
  const blank = (f: CsvField) => f.text.trim() === '' && f.end - f.start === f.text.length;
  const rows = records.filter((r) => !(r.length === 1 && blank(r[0])));
  if (rows.length === 0) return fail({ start: 0, end: 0 }, 'roster-no-header');
  const column = rows[0].findIndex((f) => f.text.trim().toLowerCase() === 'id');
  if (column < 0) return fail(rows[0][0], 'roster-no-id-column', { header: rows[0].map((f) => f.text.trim()).slice(0, 8) });
  if (rows.length === 1) return fail(rows[0][column], 'roster-no-students');
  if (rows.length - 1 > MAX_STUDENTS) return fail(rows[MAX_STUDENTS + 1][0], 'roster-too-many', { max: MAX_STUDENTS });
  const ids: string[] = [];
  const seen = new Map<string, CsvField>();
  for (const row of rows.slice(1)) {
    const field = row[column];
    if (!field) { errors.push(diagnosticAt(lines, { start: row[row.length - 1].end, end: row[row.length - 1].end }, 'roster-missing-id', { column: column + 1 })); continue; }
    const id = field.text.trim();
    const problem = idProblem(id);
    const twin = seen.get(id.toLowerCase());
    if (problem) errors.push(diagnosticAt(lines, field, problem, { id, max: MAX_ID_LENGTH }));
    else if (twin) errors.push(diagnosticAt(lines, field, 'roster-duplicate-id', { id, line: lines.positionAt(twin.start).line }));
    else { seen.set(id.toLowerCase(), field); ids.push(id); }
  }
  return { ids: errors.length ? [] : ids, errors };
}
