import { decode, encodeLatin1, type DecodeNote } from './encoding';
import { splitLines, type LineEnding, type LineTable } from './lines';
import type { DiagnosticArgs } from '../semantics/messages';

export type { DecodeNote };

/**
 * Lines and cells read from one file at most. Everything the engine accepts fits well within them:
 * a `data` table of the most samples allowed (1,000,000 rows) is a million lines, and a notebook of
 * ten thousand cells is more than anyone scrolls through; a file of 64 MB (the command line's read
 * limit) may hold 64 million line breaks, which are past any use.
 */
export const BPNB_LIMITS: BpnbLimits = {
  maxLines: 4_000_000,
  maxCells: 10_000,
};

export interface BpnbLimits { readonly maxLines: number; readonly maxCells: number }

/** Why reading stopped early, and at which 1-based line of the file. */
export interface BpnbReadError {
  code: 'file-too-many-lines' | 'file-too-many-cells';
  args: DiagnosticArgs;
  line: number;
  column: 1;
}

/**
 * The `.bpnb` file format: plain text split into cells by marker lines.
 *
 *   %% markdown      starts a Markdown cell
 *   %%  or  %% bpnb  starts a code cell (any other `%% WORD` too: the word is kept, the cell is code)
 *
 * Text before the first marker is a first code cell. A blank line just before a marker separates
 * cells and is not part of the cell above it; a cell line that itself begins with `%%` is written
 * `\%%`, and one that begins with `\%%` gets one more backslash, so every line round-trips.
 *
 * Reading never throws, and its time and memory are linear in the file's size: a file past the
 * limits on lines or cells (`BPNB_LIMITS`) is read up to them, the rest is kept as it is (`tail`)
 * and the document says so (`error`).
 *
 * Whatever a file holds beyond the cells — the line ending (and lines whose
 * ending differs), a BOM, a missing final newline, bytes that are not UTF-8, an odd marker spelling,
 * a cell not followed by a blank line — is kept in small plain-JSON records (`BpnbFileFormat` for the
 * file, `BpnbCellFormat` per cell) so that writing what was read gives back the same bytes. The
 * extension keeps them in notebook and cell metadata; per-cell records travel with their cell, so
 * adding or moving cells in the editor does not misplace them.
 *
 * Pure: no Node APIs (it runs in the web extension host too).
 */

export type CellKind = 'code' | 'markdown';

/** How one cell was written, beyond its text. Absent fields mean the canonical form. */
export interface BpnbCellFormat {
  /** The exact marker line when it is not the canonical `%%` / `%% markdown`; `null`: the cell had
   *  no marker (it was the text before the first marker). */
  marker?: string | null;
  /** False when no blank line followed the cell before the next marker. */
  separator?: false;
  /** True for an empty cell written as one empty line rather than no line at all. */
  emptyLine?: true;
}

export interface BpnbCell {
  kind: CellKind;
  /** Lines joined by `\n`, whatever the file's line ending. */
  source: string;
  /** 1-based line in the file of the cell's first source line (where it would be, if it has none). */
  line: number;
  format?: BpnbCellFormat;
}

/** A cell to write: `line` is not needed. */
export interface BpnbCellInput {
  kind: CellKind;
  source: string;
  format?: BpnbCellFormat;
}

export type { LineEnding };

/** How the whole file was written. Plain JSON; every field optional when writing. */
export interface BpnbFileFormat {
  /** `latin1` when the bytes were not valid UTF-8: each byte became the character with its code. */
  encoding: 'utf-8' | 'latin1';
  bom: boolean;
  /** The most common line ending (`\n` when there was none). */
  eol: LineEnding;
  /** Whether the last line ended with a line ending. */
  finalNewline: boolean;
  /** Whitespace-only lines before the first marker (kept, not made into a cell), joined by `\n`. */
  preamble?: string;
  /** Lines whose ending differs from `eol`, by 0-based line index in the file; applied only while
   *  the text still hashes to `hash` (after an edit, every line gets `eol`). */
  mixedEol?: { hash: number; lines: [number, LineEnding][] };
  /** The text past a limit (`BpnbDocument.error`), not read into cells and written back as it is. */
  tail?: string;
}

export const DEFAULT_FILE_FORMAT: Readonly<BpnbFileFormat> = Object.freeze({
  encoding: 'utf-8',
  bom: false,
  eol: '\n',
  finalNewline: true,
});

export interface BpnbDocument {
  cells: BpnbCell[];
  format: BpnbFileFormat;
  /** Set when the file is past `BPNB_LIMITS`: the cells are those before `error.line`. */
  error?: BpnbReadError;
  /** Set when the bytes were not UTF-8 (so read as Latin-1): where the first offending byte is. */
  decodeNote?: DecodeNote;
}

const CODE_MARKER = '%%';
const MARKDOWN_MARKER = '%% markdown';

/** The kind of cell a marker line starts, or undefined when the line is not a marker. */
export function markerKind(line: string): CellKind | undefined {
  if (!line.startsWith('%%')) return undefined;
  const word = line.slice(2).trim().toLowerCase();
  return word === 'markdown' || word === 'md' ? 'markdown' : 'code';
}

function escapeLine(line: string): string {
  const c = line.charCodeAt(0);
  return (c === 37 || c === 92) && /^\\*%%/.test(line) ? '\\' + line : line;
}

function unescapeLine(line: string): string {
  return /^\\+%%/.test(line) ? line.slice(1) : line;
}

/** FNV-1a over UTF-16 code units: cheap, stable, enough to notice that the text was edited. */
function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type ParsedText = { cells: BpnbCell[]; format: Omit<BpnbFileFormat, 'encoding' | 'bom'>; error?: BpnbReadError };

/** Read a `.bpnb` text (already decoded). Never throws. */
export function parseBpnb(text: string, limits: BpnbLimits = BPNB_LIMITS): ParsedText {
  const { table, more } = splitLines(text, limits.maxLines);
  let error: BpnbReadError | undefined = more ? readError('file-too-many-lines', limits.maxLines, table.count + 1) : undefined;
  const markers: number[] = [];
  let leadIsCell = false;
  for (let i = 0; i < table.count; i++) {
    if (!isMarkerAt(table, i)) continue;
    if (markers.length === 0) leadIsCell = i > 0 && !allBlank(table, 0, i);
    if (markers.length + (leadIsCell ? 1 : 0) === limits.maxCells) {
      error = readError('file-too-many-cells', limits.maxCells, i + 1);
      table.cut(i);
      break;
    }
    markers.push(i);
  }
  const cut = error !== undefined;
  const cells: BpnbCell[] = [];
  const format = lineFormat(table, cut);
  const leadEnd = markers.length ? markers[0] : table.count;
  if (leadEnd > 0) {
    if (markers.length && !leadIsCell) format.preamble = joinLines(table, 0, leadEnd, false);
    else cells.push(makeCell('code', table, 0, leadEnd, 1, null, markers.length > 0));
  }
  markers.forEach((m, k) => {
    const last = k + 1 === markers.length;
    const marker = table.line(m);
    const kind = markerKind(marker)!;
    const canonical = kind === 'markdown' ? MARKDOWN_MARKER : CODE_MARKER;
    // The last cell before a cut keeps its blank line: the writer puts no separator before the tail.
    cells.push(makeCell(kind, table, m + 1, last ? table.count : markers[k + 1], m + 2, marker === canonical ? undefined : marker, !last));
  });
  if (cut) format.tail = text.slice(table.readEnd());
  return error ? { cells, format, error } : { cells, format };
}

function readError(code: BpnbReadError['code'], max: number, line: number): BpnbReadError {
  return { code, args: { max }, line, column: 1 };
}

function isMarkerAt(table: LineTable, i: number): boolean {
  return table.firstChar(i) === 37 && table.text.charCodeAt(table.start(i) + 1) === 37 && table.end(i) - table.start(i) >= 2;
}

function allBlank(table: LineTable, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!table.isEmpty(i) && table.line(i).trim() !== '') return false;
  return true;
}

/** The line ending, final newline and mixed endings of the lines read. */
function lineFormat(table: LineTable, cut: boolean): Omit<BpnbFileFormat, 'encoding' | 'bom'> {
  const counts = { '\n': 0, '\r\n': 0, '\r': 0 };
  for (let i = 0; i < table.count; i++) { const e = table.ending(i); if (e) counts[e]++; }
  let eol: LineEnding = '\n';
  if (counts['\r\n'] > counts[eol]) eol = '\r\n';
  if (counts['\r'] > counts[eol]) eol = '\r';
  const finalNewline = cut || table.count === 0 || table.ending(table.count - 1) !== '';
  const format: Omit<BpnbFileFormat, 'encoding' | 'bom'> = { eol, finalNewline };
  const odd: [number, LineEnding][] = [];
  for (let i = 0; i < table.count; i++) { const e = table.ending(i); if (e && e !== eol) odd.push([i, e]); }
  if (odd.length) format.mixedEol = { hash: hashLines(table), lines: odd };
  return format;
}

/** `hashText` of the lines joined by `\n`, without joining them. */
function hashLines(table: LineTable): number {
  let h = 0x811c9dc5;
  const { text } = table;
  for (let l = 0; l < table.count; l++) {
    if (l > 0) h = Math.imul(h ^ 10, 0x01000193);
    for (let i = table.start(l); i < table.end(l); i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** Lines [from, to) joined by `\n`, unescaped when `unescape`. One slice when they already are. */
function joinLines(table: LineTable, from: number, to: number, unescape: boolean): string {
  if (to <= from) return '';
  let plain = true;
  for (let i = from; i < to && plain; i++) plain = (i + 1 === to || table.ending(i) === '\n') && !(unescape && table.firstChar(i) === 92);
  if (plain) return table.text.slice(table.start(from), table.end(to - 1));
  const parts = new Array<string>(to - from);
  for (let i = from; i < to; i++) parts[i - from] = unescape ? unescapeLine(table.line(i)) : table.line(i);
  return parts.join('\n');
}

function makeCell(kind: CellKind, table: LineTable, from: number, to: number, line: number, marker: string | null | undefined, followedByMarker: boolean): BpnbCell {
  const format: BpnbCellFormat = {};
  if (marker !== undefined) format.marker = marker;
  if (followedByMarker) {
    if (to > from && table.isEmpty(to - 1)) to--;
    else format.separator = false;
  }
  if (to - from === 1 && table.isEmpty(from)) format.emptyLine = true;
  const cell: BpnbCell = { kind, source: joinLines(table, from, to, true), line };
  if (Object.keys(format).length) cell.format = format;
  return cell;
}

/** Write cells as `.bpnb` text (not yet encoded). */
export function serializeBpnb(cells: readonly BpnbCellInput[], format: Partial<BpnbFileFormat> = {}): string {
  const out: string[] = [];
  // Loops, not push(...lines): a cell may have millions of lines, more than a call takes arguments.
  const put = (lines: string[]) => { for (const l of lines) out.push(l); };
  if (format.preamble !== undefined) put(format.preamble.split('\n'));
  cells.forEach((cell, i) => {
    const source = cell.source.replace(/\r\n?/g, '\n');
    const body = source === '' ? (cell.format?.emptyLine ? [''] : []) : source.split('\n').map(escapeLine);
    const marker = cell.format?.marker;
    // A cell goes without a marker only where reading would give it back: first, code, and either
    // alone with some line or holding more than whitespace (else it would read back as preamble).
    const bare = marker === null && i === 0 && out.length === 0 && cell.kind === 'code'
      && (cells.length === 1 ? body.length > 0 : source.trim() !== '');
    if (!bare) {
      const fallback = cell.kind === 'markdown' ? MARKDOWN_MARKER : CODE_MARKER;
      const keep = typeof marker === 'string' && !/[\r\n]/.test(marker) && markerKind(marker) === cell.kind;
      out.push(keep ? marker : fallback);
    }
    put(body);
    if (i + 1 < cells.length && cell.format?.separator !== false) out.push('');
  });
  const tail = typeof format.tail === 'string' ? format.tail : '';
  if (out.length === 0) return tail;
  const eol = format.eol ?? '\n';
  const endings: string[] = out.map(() => eol);
  if (format.mixedEol && hashText(out.join('\n')) === format.mixedEol.hash) {
    for (const [i, e] of format.mixedEol.lines) if (i >= 0 && i < endings.length) endings[i] = e;
  }
  // An empty last line must keep its ending, or it would vanish (a file never ends in an unended '').
  // Before a tail every line has its ending.
  if (format.finalNewline === false && out[out.length - 1] !== '' && !tail) endings[endings.length - 1] = '';
  let text = '';
  for (let i = 0; i < out.length; i++) text += out[i] + endings[i];
  return text + tail;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Read a `.bpnb` file's bytes. Never throws: bytes that are not UTF-8 are read as latin1 (and
 * `decodeNote` says where the first offending byte is); a file past `BPNB_LIMITS` is read up to them
 * (and `error` says where reading stopped).
 */
export function readBpnb(bytes: Uint8Array, limits: BpnbLimits = BPNB_LIMITS): BpnbDocument {
  const bom = bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
  const { text, encoding, decodeNote } = decode(bom ? bytes.subarray(3) : bytes);
  const { cells, format, error } = parseBpnb(text, limits);
  const doc: BpnbDocument = { cells, format: { encoding, bom, ...format } };
  if (error) doc.error = error;
  if (decodeNote) doc.decodeNote = decodeNote;
  return doc;
}

/** Write cells as the bytes of a `.bpnb` file; `format` (from `readBpnb`) reproduces the original. */
export function writeBpnb(cells: readonly BpnbCellInput[], format: Partial<BpnbFileFormat> = {}): Uint8Array {
  const text = serializeBpnb(cells, format);
  const body = format.encoding === 'latin1' ? encodeLatin1(text) : new TextEncoder().encode(text);
  if (!format.bom) return body;
  const bytes = new Uint8Array(body.length + 3);
  bytes.set(BOM, 0);
  bytes.set(body, 3);
  return bytes;
}
