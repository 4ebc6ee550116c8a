/**
 * What every statement's parse function shares: the cell's text and lines, the statements and
 * errors found so far, and the readers of the pieces statements are made of (numbers, names, whole
 * numbers, nothing more at the end of the line).
 */
import { DiagnosticList, LineIndex, type Problem } from '../semantics/diagnostics';
import type { DiagnosticArgs, DiagnosticCode } from '../semantics/messages';
import { LIMITS } from '../semantics/limits';
import { expandName } from './names';
import { scanNumber } from './numbers';
import { LineScanner, type Token } from './scanner';
import type { NameRef, NumberRef, Span, Statement } from './syntax';
import { isReservedWord } from './vocabulary';

/** What a reader expected, as the `expected` argument of its diagnostics (see EXPECTED in messages.ts),
 *  with the arguments its wording needs. */
export type Wanted = DiagnosticArgs & { expected: string };

/** A line's tokens (at least one) and where its statement is. */
export interface LineTokens {
  toks: Token[];
  head: Token;
  /** The statement's line and span, for the `Statement` made of it. */
  base: { line: number; start: number; end: number };
}

export class CellParser {
  readonly lines: LineIndex;
  readonly scanner: LineScanner;
  readonly errors: DiagnosticList;
  readonly statements: Statement[] = [];
  /** Neurons named so far in the cell (with `NAME[N]` lists expanded), against the limit. */
  private expanded = 0;

  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
    this.scanner = new LineScanner(text);
    this.errors = new DiagnosticList(this.lines);
  }

  error(span: Span, code: DiagnosticCode, args: DiagnosticArgs | (() => DiagnosticArgs) = {}): void {
    this.errors.add(span, code, args);
  }

  problem(span: Span, p: Problem): void {
    this.errors.add(span, p.code, p.args);
  }

  push(s: Statement): void {
    this.statements.push(s);
  }

  /** A number at `t`; when `t` is missing, the error goes just after `at`. */
  number(t: Token | undefined, wanted: Wanted, at: Span): NumberRef | undefined {
    if (!t) { this.error({ start: at.end, end: at.end }, 'expected', wanted); return undefined; }
    const p = scanNumber(this.text, t.start, t.end);
    if (!p) { this.error(t, 'not-a-number', { text: t.text, ...wanted }); return undefined; }
    return { value: p.value, text: t.text, halfUnit: p.halfUnit, start: t.start, end: t.end };
  }

  /** A whole number of at least `min`. */
  wholeNumber(t: Token | undefined, wanted: Wanted, at: Span, min = 1): number | undefined {
    const n = this.number(t, wanted, at);
    if (!n) return undefined;
    if (!Number.isInteger(n.value) || n.value < min) { this.error(n, 'not-whole-number', { ...wanted, min, text: n.text }); return undefined; }
    return n.value;
  }

  /** Names, with `NAME[N]` lists expanded; undefined (and errors) when one is not a name. */
  names(toks: Token[]): NameRef[] | undefined {
    const out: NameRef[] = [];
    let ok = true;
    for (const t of toks) {
      const e = expandName(t.text);
      if (!Array.isArray(e)) { this.problem(t, e); ok = false; continue; }
      this.expanded += e.length;
      // Checked here, before millions of names are built, so the limit costs no memory.
      if (this.expanded > LIMITS.maxNeurons) { this.error(t, 'cell-neuron-limit', { max: LIMITS.maxNeurons }); return undefined; }
      if (e.length === 1 && isReservedWord(e[0])) { this.error(t, 'reserved-name', { text: t.text }); ok = false; continue; }
      for (const name of e) out.push({ name, start: t.start, end: t.end });
    }
    return ok ? out : undefined;
  }

  /** One name (not a list) at `t`. */
  name(t: Token | undefined, wanted: Wanted, at: Span): NameRef | undefined {
    if (!t) { this.error({ start: at.end, end: at.end }, 'expected', wanted); return undefined; }
    const r = this.names([t]);
    if (!r) return undefined;
    if (r.length !== 1) { this.error(t, 'expected-one', wanted); return undefined; }
    return r[0];
  }

  /** An error for any tokens from `from` on. */
  extra(toks: Token[], from: number): void {
    if (toks.length <= from) return;
    const span = { start: toks[from].start, end: toks[toks.length - 1].end };
    this.error(span, 'unexpected-trailing', { text: this.text.slice(span.start, span.end) });
  }
}
