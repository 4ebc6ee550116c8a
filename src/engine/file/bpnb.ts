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
 * Reading never throws. Whatever a file holds beyond the cells — the line ending (and lines whose
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

export type LineEnding = '\n' | '\r\n' | '\r';

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
  return /^\\*%%/.test(line) ? '\\' + line : line;
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

interface SplitLine {
  text: string;
  /** '' for a last line without an ending. */
  eol: LineEnding | '';
}

/** Split on CRLF, LF and lone CR, as an editor does. */
function splitLines(text: string): SplitLine[] {
  const lines: SplitLine[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lines.push({ text: text.slice(start, i), eol: '\n' });
      start = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        lines.push({ text: text.slice(start, i), eol: '\r\n' });
        i++;
      } else {
        lines.push({ text: text.slice(start, i), eol: '\r' });
      }
      start = i + 1;
    }
  }
  if (start < text.length) lines.push({ text: text.slice(start), eol: '' });
  return lines;
}

/** Read a `.bpnb` text (already decoded). Never throws. */
export function parseBpnb(text: string): { cells: BpnbCell[]; format: Omit<BpnbFileFormat, 'encoding' | 'bom'> } {
  const lines = splitLines(text);
  const counts = { '\n': 0, '\r\n': 0, '\r': 0 };
  for (const l of lines) if (l.eol) counts[l.eol]++;
  let eol: LineEnding = '\n';
  if (counts['\r\n'] > counts[eol]) eol = '\r\n';
  if (counts['\r'] > counts[eol]) eol = '\r';
  const finalNewline = lines.length === 0 || lines[lines.length - 1].eol !== '';

  const markers: number[] = [];
  lines.forEach((l, i) => {
    if (markerKind(l.text) !== undefined) markers.push(i);
  });

  const cells: BpnbCell[] = [];
  let preamble: string | undefined;
  const leadEnd = markers.length ? markers[0] : lines.length;
  if (leadEnd > 0) {
    const lead = lines.slice(0, leadEnd).map((l) => l.text);
    if (markers.length && lead.every((l) => l.trim() === '')) {
      preamble = lead.join('\n');
    } else {
      cells.push(makeCell('code', lead, 1, null, markers.length > 0));
    }
  }
  markers.forEach((m, k) => {
    const end = k + 1 < markers.length ? markers[k + 1] : lines.length;
    const marker = lines[m].text;
    const kind = markerKind(marker)!;
    const canonical = kind === 'markdown' ? MARKDOWN_MARKER : CODE_MARKER;
    const body = lines.slice(m + 1, end).map((l) => l.text);
    cells.push(makeCell(kind, body, m + 2, marker === canonical ? undefined : marker, k + 1 < markers.length));
  });

  const format: Omit<BpnbFileFormat, 'encoding' | 'bom'> = { eol, finalNewline };
  if (preamble !== undefined) format.preamble = preamble;
  const odd: [number, LineEnding][] = [];
  lines.forEach((l, i) => {
    if (l.eol && l.eol !== eol) odd.push([i, l.eol]);
  });
  if (odd.length) format.mixedEol = { hash: hashText(lines.map((l) => l.text).join('\n')), lines: odd };
  return { cells, format };
}

function makeCell(kind: CellKind, body: string[], line: number, marker: string | null | undefined, followedByMarker: boolean): BpnbCell {
  const format: BpnbCellFormat = {};
  if (marker !== undefined) format.marker = marker;
  if (followedByMarker) {
    if (body.length > 0 && body[body.length - 1] === '') body = body.slice(0, -1);
    else format.separator = false;
  }
  if (body.length === 1 && body[0] === '') format.emptyLine = true;
  const cell: BpnbCell = { kind, source: body.map(unescapeLine).join('\n'), line };
  if (Object.keys(format).length) cell.format = format;
  return cell;
}

/** Write cells as `.bpnb` text (not yet encoded). */
export function serializeBpnb(cells: readonly BpnbCellInput[], format: Partial<BpnbFileFormat> = {}): string {
  const out: string[] = [];
  if (format.preamble !== undefined) out.push(...format.preamble.split('\n'));
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
    out.push(...body);
    if (i + 1 < cells.length && cell.format?.separator !== false) out.push('');
  });
  if (out.length === 0) return '';
  const eol = format.eol ?? '\n';
  const endings: string[] = out.map(() => eol);
  if (format.mixedEol && hashText(out.join('\n')) === format.mixedEol.hash) {
    for (const [i, e] of format.mixedEol.lines) if (i >= 0 && i < endings.length) endings[i] = e;
  }
  // An empty last line must keep its ending, or it would vanish (a file never ends in an unended '').
  if (format.finalNewline === false && out[out.length - 1] !== '') endings[endings.length - 1] = '';
  let text = '';
  for (let i = 0; i < out.length; i++) text += out[i] + endings[i];
  return text;
}

const BOM = [0xef, 0xbb, 0xbf];

/** Read a `.bpnb` file's bytes. Never throws: bytes that are not UTF-8 are read as latin1. */
export function readBpnb(bytes: Uint8Array): BpnbDocument {
  const bom = bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  let encoding: BpnbFileFormat['encoding'] = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    encoding = 'latin1';
    text = decodeLatin1(body);
  }
  const { cells, format } = parseBpnb(text);
  return { cells, format: { encoding, bom, ...format } };
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

function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return text;
}

/** Characters up to U+00FF become their byte; anything typed later beyond that is written as UTF-8
 *  rather than lost. */
function encodeLatin1(text: string): Uint8Array {
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c <= 0xff) bytes.push(c);
    else bytes.push(...utf8.encode(ch));
  }
  return Uint8Array.from(bytes);
}
