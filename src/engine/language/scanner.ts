/**
 * The scanner: a cell's text as lines, and a line as tokens (words, `->` and `=`). Both walk the
 * characters once; a line is made only when the parser asks for it, so a cell of a million lines
 * never holds a million line records.
 */
import type { Span } from './syntax';

export interface Token extends Span { text: string }

export interface Line extends Span {
  /** 1-based line in the cell. */
  number: number;
  /** Starts with a space or a tab: a row of the `data` or `check` block above. */
  indented: boolean;
  /** Only blanks, or a comment. */
  blank: boolean;
}

/**
 * Blanks between words: what JavaScript's `\s` matches, so the no-break and other Unicode spaces
 * that text pasted from a PDF or a web page carries count (`rate\u00a00.5` would otherwise be one
 * unknown word that prints as two).
 */
export function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const HASH = 35;
const EQUALS = 61;
const MINUS = 45;
const GREATER = 62;
const ARROW = 0x2192; // →

/** Length of the arrow at `i` (`->` or `→`), or 0. */
export function arrowAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === ARROW) return 1;
  return c === MINUS && text.charCodeAt(i + 1) === GREATER ? 2 : 0;
}

/** End of the word starting at `i`: up to a blank, `#`, `=` or an arrow, at most `end`. */
export function wordEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (isBlank(c) || c === HASH || c === EQUALS || arrowAt(text, j) > 0) break;
    j++;
  }
  return j;
}

/** Splits `text[start, end)` into words, `->` (`→` too) and `=`; stops at `#`. */
export function tokenize(text: string, start: number, end: number): Token[] {
  const out: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) { i++; continue; }
    if (c === HASH) break;
    if (c === EQUALS) { out.push({ text: '=', start: i, end: i + 1 }); i++; continue; }
    const arrow = arrowAt(text, i);
    if (arrow) { out.push({ text: '->', start: i, end: i + arrow }); i += arrow; continue; }
    const j = wordEnd(text, i, end);
    out.push({ text: text.slice(i, j), start: i, end: j });
    i = j;
  }
  return out;
}

/** The cell's lines, one at a time, with one line of lookahead. */
export class LineScanner {
  private pos = 0;
  private count = 0;
  private done = false;
  private ahead?: Line;

  constructor(private readonly text: string) {}

  /** The next line without consuming it. */
  peek(): Line | undefined {
    if (!this.ahead && !this.done) this.ahead = this.read();
    return this.ahead;
  }

  next(): Line | undefined {
    const line = this.peek();
    this.ahead = undefined;
    return line;
  }

  /** Consumes the indented block that follows (blank lines included) and calls `each` on its lines
   *  that are not blank. */
  block(each: (line: Line) => void): void {
    for (let l = this.peek(); l && (l.indented || l.blank); l = this.peek()) {
      this.next();
      if (!l.blank) each(l);
    }
  }

  /** Counts the lines that are not blank in the indented block that follows, consuming nothing. */
  blockSize(): number {
    const { pos, count, done, ahead } = this;
    let n = 0;
    this.block(() => n++);
    this.pos = pos;
    this.count = count;
    this.done = done;
    this.ahead = ahead;
    return n;
  }

  private read(): Line {
    const { text } = this;
    const start = this.pos;
    let end = text.indexOf('\n', start);
    if (end < 0) { end = text.length; this.done = true; }
    this.pos = end + 1;
    const contentEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    let i = start;
    while (i < contentEnd && isBlank(text.charCodeAt(i))) i++;
    const first = text.charCodeAt(start);
    return {
      start, end: contentEnd, number: ++this.count,
      indented: start < contentEnd && (first === 32 || first === 9),
      blank: i === contentEnd || text.charCodeAt(i) === HASH,
    };
  }
}
