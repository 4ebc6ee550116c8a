/**
 * Errors as plain data: a code, its arguments and where it is. The engine never throws at a user for
 * bad input and never writes English into a diagnostic: it returns these, and each edge makes the
 * words with `messageOf` (semantics/messages.ts) and converts the place (the extension to
 * `vscode.Range` through the document, the command line to `FILE:LINE:COL`), as
 * microsoft/vscode-github-issue-notebooks does with its parser errors.
 */
import type { DiagnosticArgs, DiagnosticCode } from './messages';

export interface Span { start: number; end: number }

/** What is wrong, without the place: a function that finds a problem returns this, and its caller,
 *  which knows where the text was, turns it into a diagnostic. */
export interface Problem { code: DiagnosticCode; args: DiagnosticArgs }

/** Another place a diagnostic speaks of ("first defined on line 3"), in the same cell. */
export interface RelatedPlace {
  /** What the place is, as an argument name of the message (e.g. `defined`). */
  role: string;
  /** 1-based line in the cell. */
  line: number;
}

export interface Diagnostic {
  code: DiagnosticCode;
  args: DiagnosticArgs;
  /** Offsets into the cell text, `end` exclusive (`end === start` for a point). */
  span: Span;
  /** 1-based line and column of `span.start` in the cell. */
  line: number;
  column: number;
  severity: 'error' | 'warning';
  related?: RelatedPlace[];
}

/**
 * 1-based line and column of offsets in one text, from a table of line starts built once: finding a
 * position is a binary search, so a cell with many errors is still handled in linear time.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Offset where 1-based `line` starts. */
  lineStart(line: number): number {
    return this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1];
  }

  positionAt(offset: number): { line: number; column: number } {
    const at = Math.min(Math.max(offset, 0), this.text.length);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo] + 1 };
  }
}

/** The index of the text last asked about: callers that place one diagnostic at a time in the same
 *  cell (the transitional `diagnostic`) then cost a binary search each, not a scan of the cell. */
let lastIndex: LineIndex | undefined;

/** 1-based line and column of `offset` in `text` (CRLF and LF both end a line). Code that places
 *  many diagnostics builds a `LineIndex` once and keeps it. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  if (lastIndex?.text !== text) lastIndex = new LineIndex(text);
  return lastIndex.positionAt(offset);
}

/** A diagnostic at `span` of the text that `lines` indexes. */
export function diagnosticAt(
  lines: LineIndex, span: Span, code: DiagnosticCode, args: DiagnosticArgs = {},
  options: { severity?: Diagnostic['severity']; related?: RelatedPlace[] } = {},
): Diagnostic {
  const { line, column } = lines.positionAt(span.start);
  const d: Diagnostic = {
    code, args, span: { start: span.start, end: Math.max(span.start, span.end) }, line, column,
    severity: options.severity ?? 'error',
  };
  if (options.related?.length) d.related = options.related;
  return d;
}

/** The index of `source`, built when it is a cell's text (callers holding one pass it on). */
export function lineIndexOf(source: string | LineIndex): LineIndex {
  return typeof source === 'string' ? new LineIndex(source) : source;
}

/**
 * Diagnostics reported for one cell at most (per producer: parser, network, samples). A pasted file
 * of junk gives one error a line; beyond this many, the rest are only counted, so that reporting
 * them costs nothing and the list says how many there were (`more-errors`).
 */
export const MAX_DIAGNOSTICS = 100;

/** The diagnostics of one cell, capped at `max`; `finish()` adds "… and N more errors" if some were left out. */
export class DiagnosticList {
  private readonly items: Diagnostic[] = [];
  private dropped = 0;
  private firstDropped?: Span;

  constructor(readonly lines: LineIndex, private readonly max = MAX_DIAGNOSTICS) {}

  get count(): number {
    return this.items.length + this.dropped;
  }

  /** Reports a diagnostic. `args` may be a function, so that costly arguments (a suggestion found
   *  among thousands of names) are only worked out for diagnostics that are kept. */
  add(
    span: Span, code: DiagnosticCode, args: DiagnosticArgs | (() => DiagnosticArgs) = {},
    options?: { severity?: Diagnostic['severity']; related?: RelatedPlace[] },
  ): void {
    if (this.items.length >= this.max) {
      if (this.dropped++ === 0) this.firstDropped = { start: span.start, end: span.end };
      return;
    }
    this.items.push(diagnosticAt(this.lines, span, code, typeof args === 'function' ? args() : args, options));
  }

  /** The kept diagnostics, then one that counts those left out (placed where the first of them was). */
  finish(): Diagnostic[] {
    if (this.dropped === 0) return this.items;
    return [...this.items, diagnosticAt(this.lines, this.firstDropped!, 'more-errors', { count: this.dropped })];
  }
}
