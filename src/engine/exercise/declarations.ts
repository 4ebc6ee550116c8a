/**
 * The numbers a notebook declares, by name, with where each is written: every weight and bias of
 * its network cell (the cell with `input`), `rate`, and each value of its samples as `i1[1]` (input
 * i1 of sample 1) or `o1[1]` (target o1 of sample 1). An exercise draws some of them for each
 * student (`vary`), writes the drawn ones in place, and a submission is checked against all of them.
 */
import { parseCell } from '../language/parser';
import { tokenize } from '../language/scanner';
import type { CheckItem, ParseResult, Span, Statement } from '../language/syntax';
import { readNumber } from '../language/numbers';

/** Samples an exercise may declare: beyond them the values are not listed one by one. */
export const MAX_EXERCISE_SAMPLES = 1_000;

export interface CodeCell { index: number; source: string; parse: ParseResult }

/** The code cells of a notebook, parsed (Markdown cells left out; `index` is the cell's place). */
export function parseCells(cells: readonly { kind: string; source: string }[]): CodeCell[] {
  return cells.flatMap((c, index) => (c.kind === 'code' ? [{ index, source: c.source, parse: parseCell(c.source) }] : []));
}

export interface Declared { cell: number; span: Span; value: number }

export interface Declarations {
  /** The first declaration of each number. */
  numbers: Map<string, Declared>;
  /** Cells (by index) that define a network, and that declare samples. */
  networkCells: number[];
  sampleCells: number[];
  rateLines: number;
  /** True when the first sample cell has more samples than MAX_EXERCISE_SAMPLES. */
  tooManySamples: boolean;
}

export const sampleKey = (name: string, sample: number): string => `${name}[${sample}]`;

export function declarations(cells: readonly CodeCell[]): Declarations {
  const d: Declarations = { numbers: new Map(), networkCells: [], sampleCells: [], rateLines: 0, tooManySamples: false };
  const put = (key: string, cell: number, span: Span, value: number) => { if (!d.numbers.has(key)) d.numbers.set(key, { cell, span, value }); };
  for (const { index, source, parse } of cells) {
    const ss = parse.statements;
    if (ss.some((s) => s.kind === 'input')) {
      d.networkCells.push(index);
      for (const s of ss) if (s.kind === 'weight' || s.kind === 'bias') put(s.name.name, index, s.value, s.value.value);
    }
    for (const s of ss) {
      if (s.kind !== 'rate') continue;
      d.rateLines++;
      const t = tokenize(source, s.start, s.end)[1];
      put('rate', index, t, s.value);
    }
    if (ss.some((s) => s.kind === 'sample' || s.kind === 'data')) {
      if (d.sampleCells.length === 0) sampleValues(source, ss, (k, name, span, value) => put(sampleKey(name, k), index, span, value), d);
      d.sampleCells.push(index);
    }
  }
  return d;
}

type Put = (sample: number, name: string, span: Span, value: number) => void;

/** Each value of the cell's samples, sample by sample as the cell numbers them. */
function sampleValues(source: string, statements: Statement[], put: Put, d: Declarations): void {
  let k = 0;
  for (const s of statements) {
    if (s.kind === 'sample') {
      if (++k > MAX_EXERCISE_SAMPLES) { d.tooManySamples = true; return; }
      const toks = tokenize(source, s.start, s.end);
      for (let i = 1; i + 2 < toks.length; i++) if (toks[i + 1].text === '=') put(k, toks[i].text, toks[i + 2], readNumber(source, toks[i + 2].start, toks[i + 2].end) ?? NaN);
    } else if (s.kind === 'data') {
      const names = [...s.inputs, ...s.targets].map((n) => n.name);
      for (let r = 0; r < s.rows.count; r++) {
        if (++k > MAX_EXERCISE_SAMPLES) { d.tooManySamples = true; return; }
        const toks = tokenize(source, s.rows.spans[2 * r], s.rows.spans[2 * r + 1]).filter((t) => t.text !== '->');
        toks.forEach((t, c) => put(k, names[c], t, s.rows.values[r * names.length + c]));
      }
    }
  }
}

/** A check line of a notebook: its cell, its check statement (counted in the cell), its place in
 *  that statement's lines (and so in its trace's `lines`), and the statement's tolerance. */
export interface CheckRef { cell: number; statement: number; at: number; item: CheckItem; within?: number }

/** Every check line of the cells, in the order of the file. */
export function checkLines(cells: readonly CodeCell[]): CheckRef[] {
  const out: CheckRef[] = [];
  for (const { index, parse } of cells) {
    let statement = 0;
    for (const s of parse.statements) {
      if (s.kind !== 'check') continue;
      s.items.forEach((item, at) => out.push({ cell: index, statement, at, item, within: s.within }));
      statement++;
    }
  }
  return out;
}
