/**
 * A line pasted from a worked solution, as the equations it holds. The line is read where it is (all
 * places stay offsets into the cell): `$…$` and `$$…$$` are unwrapped, a label in front (`a)`, `(5)`,
 * `1)`, `\textcircled{4}`, `*`, `→`) is dropped, `\begin{aligned}` rows split at `\\` (and `&`
 * ignored), a Markdown table row is read as its equation and the number in its last column, and
 * what follows a `\quad` after the first `=` is an annotation. Each row is then split at its top-level
 * `=` (also `:=`, `≈`, `\approx`) into the parts of an equation chain.
 */
import { evaluate } from './arithmetic';
import { parseExpression } from './equations';
import { isBlank } from './scanner';
import type { Span } from './syntax';

export interface Part extends Span {
  /** What stands before this part: `=`, `:=` (an assignment), or nothing for the first. */
  sep: '' | '=' | ':=';
}

export interface Row {
  /** 1-based line in the cell. */
  line: number;
  /** The parts between the `=` signs; the first is empty when the row starts with `=` (it continues the chain above). */
  parts: Part[];
  /** Written inside `$…$`: math, even without an operator. */
  math: boolean;
}

/** Why a line holds no equation to read. */
export type LineSkip = 'notes-prose' | 'notes-table-row';

const LABEL = /^(?:\(\s*\d{1,2}\s*\)|\d{1,2}\s*[).]|\(?[a-z]\)|\\textcircled\s*\{[^{}]*\}|[\u2460-\u2473]|\*|•|§|\\rightarrow|\\Rightarrow|→|⇒)(?![0-9])/;
const ALIGNMENTS = new Set(['aligned', 'align', 'align*', 'gathered', 'gather', 'gather*', 'split', 'eqnarray', 'eqnarray*']);
const ANNOTATION = /^\\(?:quad|qquad|hspace)(?![A-Za-z])/;

/** Blanks skipped from `i` forwards (or backwards from `end`). */
function skipBlanks(text: string, i: number, end: number): number {
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  return i;
}
function trimEnd(text: string, start: number, end: number): number {
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return end;
}

/** The rows of the line `text[start, end)` (without its comment), or why it has none. */
export function readLine(text: string, line: number, start: number, end: number): Row[] | LineSkip {
  start = skipBlanks(text, start, end);
  end = trimEnd(text, start, end);
  if (text[start] === '|') return tableRow(text, line, start, end);
  const math = mathSegments(text, start, end);
  if (math === undefined) return 'notes-prose';
  const rows: Row[] = [];
  for (const seg of math.segments) for (const r of alignedRows(text, seg)) rows.push(...splitRow(text, line, r, math.isMath));
  return rows;
}

/**
 * The `$…$` / `$$…$$` contents of a line, or the whole line when it has none; undefined when text
 * other than a label stands outside the math (a sentence with a formula in it).
 */
function mathSegments(text: string, start: number, end: number): { segments: Span[]; isMath: boolean } | undefined {
  const segments: Span[] = [];
  let outside = '';
  let i = start;
  while (i < end) {
    const open = text.indexOf('$', i);
    if (open < 0 || open >= end) { outside += text.slice(i, end); break; }
    outside += text.slice(i, open);
    const width = text[open + 1] === '$' ? 2 : 1;
    const close = text.indexOf(width === 2 ? '$$' : '$', open + width);
    const stop = close < 0 || close >= end ? end : close;
    segments.push({ start: open + width, end: stop });
    i = stop + width;
  }
  if (segments.length === 0) return { segments: [{ start, end }], isMath: false };
  const rest = outside.trim().replace(LABEL, '').trim();
  return rest === '' ? { segments, isMath: true } : undefined;
}

/** Rows of an `aligned` block (split at `\\\\`); any other text is one row. */
function alignedRows(text: string, seg: Span): Span[] {
  const body = text.slice(seg.start, seg.end);
  if (!/\\(?:begin|\\)/.test(body)) return [seg];
  const rows: Span[] = [];
  let from = seg.start;
  let depth = 0;
  for (let i = seg.start; i < seg.end; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (c !== '\\') continue;
    else if (text[i + 1] === '\\' && depth === 0) { rows.push({ start: from, end: i }); from = i + 2; i++; } else {
      const env = environmentAt(text, i, seg.end);
      if (env?.align) { rows.push({ start: from, end: i }); from = env.end; } else if (env) depth += env.begin ? 1 : -1;
      i = (env?.end ?? i + 2) - 1;
    }
  }
  rows.push({ start: from, end: seg.end });
  return rows.filter((r) => text.slice(r.start, r.end).trim() !== '');
}

/** A `\\begin{…}` or `\\end{…}` at `i`: whether it opens, whether it is an alignment, where it ends. */
function environmentAt(text: string, i: number, end: number): { begin: boolean; align: boolean; end: number } | undefined {
  const m = /^\\(begin|end)\s*\{([A-Za-z*]+)\}/.exec(text.slice(i, Math.min(end, i + 40)));
  if (!m) return undefined;
  return { begin: m[1] === 'begin', align: ALIGNMENTS.has(m[2]), end: i + m[0].length };
}

/** A label at the row's start, and a `\quad` before the equation, are left out. */
function rowStart(text: string, start: number, end: number): number {
  let i = skipBlanks(text, start, end);
  for (let guard = 0; guard < 4; guard++) {
    const rest = text.slice(i, Math.min(end, i + 40));
    const m = LABEL.exec(rest) ?? ANNOTATION.exec(rest);
    if (!m) break;
    i = skipBlanks(text, i + m[0].length, end);
  }
  return i;
}

/** The row split at its top-level `=`; after the first of them, a `\quad` ends the row. */
function splitRow(text: string, line: number, seg: Span, math: boolean): Row[] {
  const start = rowStart(text, seg.start, seg.end);
  const parts: Part[] = [];
  let from = start;
  let sep: Part['sep'] = '';
  let depth = 0;
  let end = seg.end;
  const cut = (at: number, width: number, next: Part['sep']) => { parts.push(part(text, from, at, sep)); from = at + width; sep = next; };
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (depth > 0) {
      const env = c === '\\' ? environmentAt(text, i, end) : undefined;
      if (env) { depth += env.begin ? 1 : -1; i = env.end - 1; } else if (c === '\\') i++;
    } else if (c === '=') cut(i, 1, '=');
    else if (c === ':' && text[i + 1] === '=') { cut(i, 2, ':='); i++; } else if (c === '≈') cut(i, 1, '=');
    else if (c === '\\') {
      const rest = text.slice(i, Math.min(end, i + 8));
      const env = environmentAt(text, i, end);
      if (env) { depth += env.begin ? 1 : -1; i = env.end - 1; } else if (/^\\approx(?![A-Za-z])/.test(rest)) { cut(i, 7, '='); i += 6; } else if (parts.length > 0 && ANNOTATION.test(rest)) end = i;
      else i++;
    }
  }
  parts.push(part(text, from, end, sep));
  return parts.length === 1 && parts[0].start === parts[0].end ? [] : [{ line, parts, math }];
}

function part(text: string, start: number, end: number, sep: Part['sep']): Part {
  let s = skipBlanks(text, start, end);
  // `&` aligns the rows of an `aligned` block: `\frac{dJ}{dz_2} &= …`.
  while (s < end && text[s] === '&') s = skipBlanks(text, s + 1, end);
  let e = trimEnd(text, s, end);
  while (e > s && text[e - 1] === '&' && text[e - 2] !== '\\') e = trimEnd(text, s, e - 1);
  // A sentence's full stop or comma after the last number is not part of it.
  while (e > s && ',;.'.includes(text[e - 1]) && text[e - 2] !== '\\') e = trimEnd(text, s, e - 1);
  return { start: s, end: e, sep };
}

/** `| $J = …$ | $\frac{dJ}{d\hat{y}} = -(y - \hat{y})$ | -0.8 |`: the last equation, `=` the number after it. */
function tableRow(text: string, line: number, start: number, end: number): Row[] | LineSkip {
  const cells: Span[] = [];
  let from = start + 1;
  for (let i = start + 1; i < end; i++) {
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === '|') { cells.push({ start: from, end: i }); from = i + 1; }
  }
  if (from < end) cells.push({ start: from, end });
  const content = (c: Span) => text.slice(c.start, c.end).trim().replace(/^\$+|\$+$/g, '').trim();
  const last = [...cells].reverse().findIndex((c) => content(c) !== '');
  if (last < 0) return 'notes-table-row';
  const numberCell = cells[cells.length - 1 - last];
  if (!/^[-−+]?\d*[.,]?\d+$/.test(content(numberCell))) return 'notes-table-row';
  for (let k = cells.length - 2 - last; k >= 0; k--) {
    const rows = readLine(text, line, cells[k].start, cells[k].end);
    if (typeof rows === 'string' || rows.length !== 1 || rows[0].parts.length < 2) continue;
    const at = skipBlanks(text, numberCell.start, numberCell.end);
    const num = text.slice(at, numberCell.end).replace(/\$/g, ' ');
    const s = at + (num.length - num.trimStart().length);
    return [{ line, parts: [...rows[0].parts, { start: s, end: s + num.trim().length, sep: '=' }], math: true }];
  }
  return 'notes-table-row';
}

// ---- chains over lines ----

/** An equation chain, perhaps continued on the lines below (`= …` lines, or a bare expression). */
export interface ChainRows {
  line: number;
  endLine: number;
  /** The left side, then every part after an `=`. */
  parts: Part[];
  /** The rows of math it was read from (for a bare expression continuing it). */
  math: boolean;
  /** The first line as written (without blanks around it). */
  span: Span;
}

/** What a line holds once read, for the `check` block to turn into checks or reasons. */
export type NotesEntry =
  | { kind: 'chain'; chain: ChainRows }
  | { kind: 'skip'; line: number; span: Span; code: LineSkip | 'notes-no-equals' | 'notes-continues-nothing' | 'notes-question' };

/**
 * Joins rows into chains: a row that starts with `=` continues the chain above (blank lines and
 * other lines between them notwithstanding), and so does a bare expression right below a line of
 * that chain (`0.4 × 0.186815602 × 0.79136507` between two `=` lines of the notes).
 */
export class ChainBuilder {
  private current?: ChainRows;
  /** The line read last belonged to `current`. */
  private adjacent = false;

  constructor(private readonly text: string, private readonly emit: (e: NotesEntry) => void) {}

  line(number: number, start: number, end: number): void {
    const rows = readLine(this.text, number, start, end);
    const span = { start: skipBlanks(this.text, start, end), end: trimEnd(this.text, start, end) };
    if (typeof rows === 'string') { this.skip(number, span, rows); return; }
    if (rows.length === 0) { this.skip(number, span, 'notes-no-equals'); return; }
    let joined = false;
    for (const row of rows) joined = this.row(row, span) || joined;
    this.adjacent = joined || (rows.length > 0 && this.current?.line === number);
  }

  finish(): void {
    if (this.current) this.emit({ kind: 'chain', chain: this.current });
    this.current = undefined;
  }

  /** Adds a row; true when it joined the chain above. */
  private row(row: Row, span: Span): boolean {
    const [first, ...rest] = row.parts;
    if (first.start === first.end && rest.length > 0) {
      if (!this.current) { this.skip(row.line, span, 'notes-continues-nothing'); return false; }
      this.current.parts.push(...rest);
      this.current.endLine = row.line;
      return true;
    }
    if (rest.length === 0) {
      if (this.current && this.adjacent && (row.math || this.current.math) && this.arithmetic(first)) {
        this.current.parts.push({ ...first, sep: '=' });
        this.current.endLine = row.line;
        return true;
      }
      this.skip(row.line, span, /\?\s*$/.test(this.text.slice(first.start, first.end)) ? 'notes-question' : 'notes-no-equals');
      return false;
    }
    this.finish();
    this.current = { line: row.line, endLine: row.line, parts: row.parts, math: row.math, span };
    return false;
  }

  /** A bare line that is a computation of numbers only (`0.4 × 0.186815602 × 0.79136507`). */
  private arithmetic(p: Span): boolean {
    const e = parseExpression(this.text, p.start, p.end);
    return !('code' in e) && e.k === 'bin' && evaluate(e) !== undefined;
  }

  private skip(line: number, span: Span, code: Extract<NotesEntry, { kind: 'skip' }>['code']): void {
    this.adjacent = false;
    this.emit({ kind: 'skip', line, span, code });
  }
}
