/**
 * A file's lines as a table of offsets (three typed arrays), not as one string and one object per
 * line: a 60 MB file of empty lines would otherwise need gigabytes.
 */

export type LineEnding = '\n' | '\r\n' | '\r';

const ENDINGS: readonly (LineEnding | '')[] = ['', '\n', '\r\n', '\r'];

export class LineTable {
  count = 0;
  private starts = new Int32Array(1024);
  private ends = new Int32Array(1024);
  /** Index into ENDINGS. */
  private endings = new Uint8Array(1024);

  constructor(readonly text: string) {}

  start(i: number): number { return this.starts[i]; }
  end(i: number): number { return this.ends[i]; }
  /** The line's text, without its ending. */
  line(i: number): string { return this.text.slice(this.starts[i], this.ends[i]); }
  /** '' for a last line without an ending. */
  ending(i: number): LineEnding | '' { return ENDINGS[this.endings[i]]; }
  /** The first character of line `i`, as a code (NaN for an empty line). */
  firstChar(i: number): number { return this.starts[i] < this.ends[i] ? this.text.charCodeAt(this.starts[i]) : NaN; }
  isEmpty(i: number): boolean { return this.starts[i] === this.ends[i]; }

  push(start: number, end: number, ending: number): void {
    if (this.count === this.starts.length) this.grow();
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.endings[this.count] = ending;
    this.count++;
  }

  /** Forgets lines from `count` on (they become unread text). */
  cut(count: number): void {
    this.count = Math.min(this.count, count);
  }

  /** Offset just after the last line and its ending: where text not in the table begins. */
  readEnd(): number {
    return this.count === 0 ? 0 : this.ends[this.count - 1] + ENDINGS[this.endings[this.count - 1]].length;
  }

  private grow(): void {
    const n = 2 * this.starts.length;
    const starts = new Int32Array(n); starts.set(this.starts); this.starts = starts;
    const ends = new Int32Array(n); ends.set(this.ends); this.ends = ends;
    const endings = new Uint8Array(n); endings.set(this.endings); this.endings = endings;
  }
}

/**
 * Splits on CRLF, LF and lone CR, as an editor does, reading at most `max` lines. `more` is true
 * when text is left after them.
 */
export function splitLines(text: string, max: number): { table: LineTable; more: boolean } {
  const table = new LineTable(text);
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (table.count === max) return { table, more: true };
    const crlf = c === 13 && text.charCodeAt(i + 1) === 10;
    table.push(start, i, c === 10 ? 1 : crlf ? 2 : 3);
    if (crlf) i++;
    start = i + 1;
  }
  if (start < text.length) {
    if (table.count === max) return { table, more: true };
    table.push(start, text.length, 0);
  }
  return { table, more: false };
}
