/** Training samples: `sample NAME=NUMBER … -> NAME=NUMBER …` lines and `data` tables. */
import type { CellParser, LineTokens } from '../cell';
import { expandName } from '../names';
import { parseNumber, readNumber } from '../numbers';
import { arrowAt, isBlank, tokenize, wordEnd, type Line, type Token } from '../scanner';
import type { DataRows, NameRef, Span } from '../syntax';

type Pair = { name: NameRef; value: number };

export function parseSample(p: CellParser, { toks, head, base }: LineTokens): void {
  const arrow = toks.findIndex((t) => t.text === '->');
  if (arrow < 0) { p.error(head, 'sample-needs-arrow'); return; }
  const inputs = pairs(p, toks.slice(1, arrow));
  const targets = pairs(p, toks.slice(arrow + 1));
  if (!inputs || !targets) return;
  if (targets.length === 0) { p.error(toks[arrow], 'sample-needs-target'); return; }
  p.push({ ...base, kind: 'sample', inputs, targets });
}

/** NAME = NUMBER triples ('=' is its own token). */
function pairs(p: CellParser, toks: Token[]): Pair[] | undefined {
  const out: Pair[] = [];
  let ok = true;
  for (let i = 0; i < toks.length;) {
    const n = toks[i];
    if (toks[i + 1]?.text !== '=') { p.error(n, 'expected-pair', { text: n.text }); ok = false; i++; continue; }
    const e = expandName(n.text);
    if (!Array.isArray(e) || e.length !== 1) {
      if (Array.isArray(e)) p.error(n, 'pair-needs-one-name'); else p.problem(n, e);
      ok = false;
      i += 3;
      continue;
    }
    const v = p.number(toks[i + 2], { expected: 'sample-value', name: n.text }, toks[i + 1]);
    if (v) out.push({ name: { name: e[0], start: n.start, end: n.end }, value: v.value }); else ok = false;
    i += 3;
  }
  return ok ? out : undefined;
}

/** data, then an indented header `x1 x2 -> y` and one indented row of numbers per sample. */
export function parseData(p: CellParser, { toks, head, base }: LineTokens): void {
  p.extra(toks, 1);
  const size = p.scanner.blockSize();
  if (size === 0) { reportUnindented(p, head); return; }
  let first = p.scanner.next()!;
  while (first.blank) first = p.scanner.next()!;
  const header = parseHeader(p, first);
  if (!header) { p.scanner.block(() => undefined); return; }
  const rows = new RowReader(p, header.inputs.length, header.targets.length, size - 1);
  p.scanner.block((line) => rows.read(line));
  if (!rows.ok) return;
  if (rows.count === 0) { p.error(header.at, 'data-no-rows'); return; }
  p.push({ ...base, kind: 'data', inputs: header.inputs, targets: header.targets, rows: rows.finish() });
}

/** A table written flush left would read as weight lines and bad names: report it once. */
function reportUnindented(p: CellParser, head: Token): void {
  const tableLike = (l: Line) => {
    const t = tokenize(p.text, l.start, l.end);
    return t.length > 0 && !t.some((x) => x.text === '=') && (t.some((x) => x.text === '->') || t.every((x) => parseNumber(x.text)));
  };
  let stray: Span | undefined;
  for (let l = p.scanner.peek(); l && !l.blank && tableLike(l); l = p.scanner.peek()) {
    p.scanner.next();
    stray = { start: stray?.start ?? l.start, end: l.end };
  }
  if (stray) p.error(stray, 'data-not-indented');
  else p.error(head, 'data-needs-header');
}

function parseHeader(p: CellParser, line: Line): { inputs: NameRef[]; targets: NameRef[]; at: Token } | undefined {
  const h = tokenize(p.text, line.start, line.end);
  const arrow = h.findIndex((t) => t.text === '->');
  if (arrow < 0) { p.error(h[0], 'data-header-needs-arrow'); return undefined; }
  const inputs = p.names(h.slice(0, arrow));
  const targets = p.names(h.slice(arrow + 1));
  if (!inputs || !targets) return undefined;
  if (inputs.length === 0) { p.error(h[arrow], 'data-header-needs-inputs'); return undefined; }
  if (targets.length === 0) { p.error(h[arrow], 'data-header-needs-targets'); return undefined; }
  return { inputs, targets, at: h[0] };
}

/**
 * Reads the rows of a table straight from the cell text into typed arrays: one pass over the
 * characters of a row, no token objects and no per-row arrays, since a table may have a million rows.
 */
class RowReader {
  ok = true;
  count = 0;
  private values: Float64Array;
  private readonly lines: Int32Array;
  private readonly spans: Int32Array;
  private readonly width: number;

  constructor(private readonly p: CellParser, private readonly inputs: number, private readonly targets: number, rows: number) {
    this.width = inputs + targets;
    // A row of w numbers is at least 2w characters (indent, numbers, blanks): the cell's length
    // bounds what a valid table can hold, whatever the row count times the header's width.
    this.values = new Float64Array(Math.min(rows * this.width, Math.ceil(p.text.length / 2) + this.width));
    this.lines = new Int32Array(rows);
    this.spans = new Int32Array(2 * rows);
  }

  read(line: Line): void {
    const { p, width } = this;
    const text = p.text;
    const at = this.count * width;
    if (at + width > this.values.length) this.grow(at + width);
    let numbers = 0;
    let bad = false;
    let arrows = 0;
    let before = 0;
    let arrowSpan: Span | undefined;
    let first = -1;
    let last = -1;
    for (let i = line.start; i < line.end;) {
      const c = text.charCodeAt(i);
      if (isBlank(c)) { i++; continue; }
      if (c === 35) break; // '#'
      const arrow = arrowAt(text, i);
      // '=' is a token of its own, and not a number.
      const end = arrow ? i + arrow : c === 61 ? i + 1 : wordEnd(text, i, line.end);
      if (first < 0) first = i;
      last = end;
      if (arrow) {
        if (++arrows === 1) before = numbers;
        if (arrows <= 2) arrowSpan = { start: i, end };
      } else {
        const v = readNumber(text, i, end);
        if (v === undefined) { bad = true; p.error({ start: i, end }, 'not-a-number', { text: text.slice(i, end), expected: 'number' }); }
        else if (numbers < width) this.values[at + numbers] = v;
        numbers++;
      }
      i = end;
    }
    if (this.check({ start: first, end: last }, numbers, bad, arrows, before, arrowSpan)) {
      this.lines[this.count] = line.number;
      this.spans[2 * this.count] = first;
      this.spans[2 * this.count + 1] = last;
      this.count++;
    } else this.ok = false;
  }

  /** The row's shape against the header's; false (with an error) when it does not fit. */
  private check(row: Span, numbers: number, bad: boolean, arrows: number, before: number, arrow: Span | undefined): boolean {
    const { p } = this;
    if (numbers === 0) { p.error(row, 'data-row-empty'); return false; }
    if (bad) return false;
    if (numbers !== this.width) { p.error(row, 'data-row-width', { numbers, inputs: this.inputs, targets: this.targets }); return false; }
    // The arrow is optional in rows, but where it is written it must split them as the header does.
    if (arrows > 1) { p.error(arrow!, 'data-row-arrows'); return false; }
    if (arrows === 1 && before !== this.inputs) { p.error(arrow!, 'data-row-arrow-place', { before, inputs: this.inputs }); return false; }
    return true;
  }

  private grow(need: number): void {
    const bigger = new Float64Array(Math.max(need, 2 * this.values.length));
    bigger.set(this.values);
    this.values = bigger;
  }

  finish(): DataRows {
    return {
      count: this.count, values: this.values.subarray(0, this.count * this.width),
      lines: this.lines.subarray(0, this.count), spans: this.spans.subarray(0, 2 * this.count),
    };
  }
}
