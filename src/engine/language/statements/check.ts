/**
 * `check [notes] [within TOL]` and its indented lines. A line is `QUANTITY = NUMBER`, or an equation
 * chain as the notes write it, plain or LaTeX (`z_1 = x_1 w_1 + x_2 w_2 + b_1 = 0.05 · 0.15 + … =
 * 0.3825`), whose last part is the number checked; a line starting with `=` continues the chain above.
 * A left side that is the student's own symbol is resolved by planning (semantics/notation.ts).
 * Under `check notes` a line that cannot be checked is listed with the reason instead of being an error.
 */
import type { CellParser, LineTokens } from '../cell';
import { evaluate, leaves, literal } from '../arithmetic';
import { parseExpression, type EquationError } from '../equations';
import { ChainBuilder, type ChainRows, type NotesEntry, type Part } from '../notes';
import { scanNumber } from '../numbers';
import { parseQuantity } from '../quantities';
import type { Line } from '../scanner';
import { derivativeOf, normalizeSymbol } from '../symbols';
import type { ChainPart, CheckItem, NumberRef, Quantity, SkippedLine, Span, Statement, WrittenLeft } from '../syntax';
import type { Problem } from '../../semantics/diagnostics';
import { readAnswer } from './answer';

type CheckStatement = Extract<Statement, { kind: 'check' }>;

export function parseCheck(p: CellParser, { toks, head, base }: LineTokens): void {
  let within: number | undefined;
  let notes = false;
  const skipBlock = () => p.scanner.block(() => undefined);
  let i = 1;
  if (toks[i]?.text === 'notes') { notes = true; i++; }
  if (toks[i]?.text === 'within') {
    const n = p.number(toks[i + 1], { expected: 'tolerance' }, toks[i]);
    if (!n) { skipBlock(); return; }
    if (!(n.value >= 0)) { p.error(n, 'tolerance-negative', { text: n.text }); skipBlock(); return; }
    within = n.value;
    i += 2;
  }
  if (!notes && toks[i]?.text === 'notes') { notes = true; i++; }
  p.extra(toks, i);
  const s: CheckStatement = { ...base, kind: 'check', within, items: [], ...(notes ? { notes, skipped: [] } : {}) };
  const lines = readBlock(p, s);
  if (lines === 0) { reportUnindented(p, head); return; }
  p.push(s);
}

/** Reads the block's lines into `s`; returns how many there were. */
function readBlock(p: CellParser, s: CheckStatement): number {
  let lines = 0;
  const builder = new ChainBuilder(p.text, (e) => entry(p, s, e));
  p.scanner.block((line) => {
    lines++;
    builder.line(line.number, line.start, bodyEnd(p.text, line));
  });
  builder.finish();
  const byPlace = (a: Span, b: Span) => a.start - b.start;
  s.items.sort(byPlace);
  s.skipped?.sort(byPlace);
  return lines;
}

/** The line without its comment. */
function bodyEnd(text: string, line: Line): number {
  const hash = text.indexOf('#', line.start);
  return hash >= 0 && hash < line.end ? hash : line.end;
}

function entry(p: CellParser, s: CheckStatement, e: NotesEntry): void {
  if (e.kind === 'skip') {
    const last = s.skipped?.[s.skipped.length - 1];
    if (last && last.line === e.line && last.code === e.code) return;
    if (s.notes) s.skipped!.push({ ...e.span, line: e.line, text: p.text.slice(e.span.start, e.span.end), code: e.code, args: {} });
    else p.error(e.span, 'check-line-syntax');
    return;
  }
  const made = chainItem(p, e.chain, !!s.notes);
  if (!made) return;
  if ('code' in made) s.skipped!.push(made);
  else s.items.push(made);
}

/** What one chain is: a check line (resolved or not yet), a line not checked, or nothing (an error was reported). */
function chainItem(p: CellParser, chain: ChainRows, notes: boolean): CheckItem | SkippedLine | undefined {
  const { parts } = chain;
  const left = parts[0];
  const last = parts[parts.length - 1];
  const leftText = p.text.slice(left.start, left.end);
  const first = p.text.slice(chain.span.start, chain.span.end);
  const skip = (problem: Problem, value?: NumberRef, symbol?: string): SkippedLine | undefined => {
    if (!notes) return undefined;
    return {
      start: left.start, end: last.end, line: chain.line, ...(chain.endLine > chain.line ? { endLine: chain.endLine } : {}),
      text: first, code: problem.code, args: problem.args, ...(value ? { value } : {}), ...(symbol ? { symbol } : {}),
    };
  };
  const value = finalValue(p, last, notes);
  if ('code' in value) return skip(value);
  const middle: ChainPart[] = [];
  for (const part of parts.slice(1, -1)) {
    const c = chainPart(p, chain, part, notes);
    if (!c) return undefined;
    middle.push(c);
  }
  const { blank, points, ...number } = value;
  const common = {
    line: chain.line, start: left.start, end: last.end, qStart: left.start, qEnd: left.end, value: number,
    ...(blank ? { blank } : {}), ...(points !== undefined ? { points } : {}),
    ...(middle.length ? { chain: middle } : {}), ...(chain.endLine > chain.line ? { endLine: chain.endLine } : {}),
    ...(middle.length || first !== `${leftText} = ${p.text.slice(last.start, last.end)}` ? { text: first } : {}),
  };
  const read = readLeft(leftText);
  if ('code' in read) {
    if (notes) return skip(read, value, read.code === 'unknown-quantity' ? leftText.trim() : undefined);
    const problem = read.code === 'notes-left-is-computation' ? { code: 'unknown-quantity' as const, args: { text: leftText.trim() } } : read;
    p.problem({ start: left.start, end: Math.max(left.end, left.start + 1) }, problem);
    return undefined;
  }
  if ('q' in read) return { ...common, quantity: leftText.replace(/\s+/g, ''), parsed: read.q };
  const mentions = middle.flatMap((m) => (m.expr ? leaves(m.expr).filter((l) => l.k === 'sym').map((l) => normalizeSymbol(p.text.slice(l.start, l.end))) : []));
  const update = parts[1].sep === ':=' || (read.left.kind === 'symbol' && mentions.includes(read.left.name));
  const symbol = leftText.trim();
  // Until planning resolves the symbol: what it reads as alone (a parameter's value), or a stand-in.
  return { ...common, quantity: symbol, symbol, parsed: read.fallback ?? { kind: 'E' }, left: { ...read.left, ...(read.fallback ? { fallback: true as const } : {}) }, update };
}

const QUANTITY_LIKE = /^(?:E\(|net\(|out\(|dE\/|dout\(|dnet\()/;

type LeftRead = { q: Quantity } | { left: WrittenLeft; fallback?: Quantity } | Problem;

/** The left side: a quantity as `check` writes it, or the student's symbol (a derivative of symbols), or why neither. */
function readLeft(text: string): LeftRead {
  const q = parseQuantity(text);
  if (!('code' in q)) {
    if (q.kind !== 'value') return { q };
    return { left: { kind: 'symbol', name: normalizeSymbol(text) ?? q.param }, fallback: q };
  }
  // Written like one of check's own quantities, but none of them: a slip in the quantity, not a symbol.
  if (q.code !== 'unknown-quantity' || QUANTITY_LIKE.test(text.trim())) return q;
  const d = derivativeOf(text);
  const name = normalizeSymbol(text);
  if (d) return { left: { kind: 'derivative', name: name ?? '', ...d } };
  const e = parseExpression(text, 0, text.length);
  if (!/\p{L}/u.test(text) || (!('code' in e) && evaluate(e) !== undefined)) return { code: 'notes-left-is-computation', args: { left: text.trim() } };
  return name ? { left: { kind: 'symbol', name } } : q;
}

/** The number a chain ends in: `0.3825`, `-0,594`, `\underline{0.0821}`, `4,33 \cdot 10^{-4}`; or, in a
 *  plain `check`, a blank `?` of an exercise, and a weight `[2 points]` after either (answer.ts). */
function finalValue(p: CellParser, last: Part, notes: boolean): (NumberRef & { blank?: true; points?: number }) | Problem {
  const answer = notes ? undefined : readAnswer(p, p.text.slice(last.start, last.end), last.start);
  if (!notes && !answer) return { code: 'points-syntax', args: {} };
  const { text, span } = answer ?? { text: p.text.slice(last.start, last.end), span: last };
  const weight = answer?.points !== undefined ? { points: answer.points } : {};
  if (answer?.blank) return { value: NaN, text, halfUnit: 0, ...span, blank: true, ...weight };
  const plain = scanNumber(p.text, span.start, span.end);
  if (plain) return { value: plain.value, text, halfUnit: plain.halfUnit, ...span, ...weight };
  const e = text ? parseExpression(p.text, span.start, span.end) : undefined;
  const lit = e && !('code' in e) ? literal(e) : undefined;
  if (lit) return { value: lit.value, text: p.text.slice(lit.span.start, lit.span.end), halfUnit: lit.halfUnit, start: lit.span.start, end: lit.span.end, ...weight };
  if (!notes) {
    if (text) p.error(span, 'not-a-number', { text });
    else p.error({ start: span.start, end: span.start }, 'expected', { expected: 'number-after-equals' });
    return { code: 'not-a-number', args: { text } };
  }
  if (!text) return { code: 'notes-no-number', args: { last: '' } };
  if (text.endsWith('?')) return { code: 'notes-question', args: {} };
  return { code: e && !('code' in e) && leaves(e).every((l) => l.k !== 'sym' && l.k !== 'opaque') ? 'notes-ends-in-expression' : 'notes-no-number', args: { last: text } };
}

function chainPart(p: CellParser, chain: ChainRows, part: Part, notes: boolean): ChainPart | undefined {
  const e = parseExpression(p.text, part.start, part.end);
  const line = chain.line + countBreaks(p.text, chain.parts[0].start, part.start);
  const text = p.text.slice(part.start, part.end);
  if (!('code' in e)) return { start: part.start, end: part.end, line, text, expr: e };
  if (!notes) { reportEquation(p, e); return undefined; }
  return { start: part.start, end: part.end, line, text };
}

function reportEquation(p: CellParser, e: EquationError): void {
  p.error(e, e.code, { text: e.text });
}

function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Check lines written flush left would each read as an unknown statement or parameter ('E'):
 *  report them once, as what they are. */
function reportUnindented(p: CellParser, head: Span): void {
  let stray: Span | undefined;
  for (let l = p.scanner.peek(); l && !l.blank && looksLikeCheckLine(p.text, l); l = p.scanner.peek()) {
    p.scanner.next();
    stray = { start: stray?.start ?? l.start, end: l.end };
  }
  if (stray) p.error(stray, 'check-not-indented');
  else p.error(head, 'check-needs-lines');
}

/** `E = 0.3`, `dE/dw5 = 0.08`, `w5' = 0.36`: a check line (a parameter's plain `w5 = 0.3` is a statement). */
function looksLikeCheckLine(text: string, line: Line): boolean {
  const body = text.slice(line.start, line.end).split('#')[0];
  const eq = body.lastIndexOf('=');
  if (eq < 0) return false;
  const q = parseQuantity(body.slice(0, eq));
  return !('code' in q) && q.kind !== 'value';
}
