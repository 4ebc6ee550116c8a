/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by line breaks, a field with a
 * comma, a quote or a line break in double quotes, a quote inside one doubled. Reading also takes
 * LF or CR alone as a line break (spreadsheets and editors write all three) and a UTF-8 BOM.
 */
import type { Span } from '../language/syntax';

export interface CsvField extends Span { text: string }
export type CsvRecord = CsvField[];

/** Why a text is not CSV, at an offset. */
export interface CsvError extends Span { code: 'csv-unclosed-quote' | 'csv-quote-in-field' | 'csv-after-quote' }

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** The records of `text`, each field with its span; the first problem stops the reading. */
export function readCsv(text: string): { records: CsvRecord[]; error?: CsvError } {
  const records: CsvRecord[] = [];
  let record: CsvRecord = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i <= text.length) {
    const field = text.charCodeAt(i) === QUOTE ? quoted(text, i) : plain(text, i);
    if ('code' in field) return { records, error: field };
    record.push(field.field);
    i = field.next;
    const c = text.charCodeAt(i);
    if (c === COMMA) { i++; continue; }
    records.push(record);
    record = [];
    if (i >= text.length) break;
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    if (i >= text.length) break;
  }
  return { records };
}

function plain(text: string, start: number): { field: CsvField; next: number } | CsvError {
  let i = start;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === COMMA || c === LF || c === CR) break;
    if (c === QUOTE) return { code: 'csv-quote-in-field', start: i, end: i + 1 };
  }
  return { field: { text: text.slice(start, i), start, end: i }, next: i };
}

function quoted(text: string, start: number): { field: CsvField; next: number } | CsvError {
  let value = '';
  let from = start + 1;
  for (let i = from; i < text.length; i++) {
    if (text.charCodeAt(i) !== QUOTE) continue;
    value += text.slice(from, i);
    if (text.charCodeAt(i + 1) === QUOTE) { value += '"'; from = ++i + 1; continue; }
    const next = i + 1;
    const c = text.charCodeAt(next);
    if (next < text.length && c !== COMMA && c !== LF && c !== CR) return { code: 'csv-after-quote', start: next, end: next + 1 };
    return { field: { text: value, start, end: next }, next };
  }
  return { code: 'csv-unclosed-quote', start, end: start + 1 };
}

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records as CSV text, each ended by CRLF (RFC 4180). */
export function writeCsv(records: readonly (readonly string[])[]): string {
  return records.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
