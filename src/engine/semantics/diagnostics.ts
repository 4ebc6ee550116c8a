/**
 * Errors as plain data. The engine never throws at a user for bad input: it returns these, and each
 * edge converts them (the extension to `vscode.Range` through the document, the command line to
 * `FILE:LINE:COL`), as microsoft/vscode-github-issue-notebooks does with its parser errors.
 */
export interface Diagnostic {
  message: string;
  /** Offsets into the cell text, `end` exclusive (`end === start` for a point). */
  start: number;
  end: number;
  /** 1-based line and column of `start` in the cell. */
  line: number;
  column: number;
  severity: 'error' | 'warning';
}

/** 1-based line and column of `offset` in `text` (CRLF and LF both end a line). */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: stop - lineStart + 1 };
}

export function diagnostic(text: string, start: number, end: number, message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  const { line, column } = positionAt(text, start);
  return { message, start, end: Math.max(start, end), line, column, severity };
}
