/**
 * Every character the command line writes goes through `Terminal`: a notebook may come from anyone,
 * and its text (names echoed in messages, check lines, Markdown, even the file's name) must not be
 * able to clear the terminal, retitle the window or move the cursor. Control characters are written
 * escaped (`\x1b`), so what was in the file can still be read; only newlines and tabs pass.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: long `train`s then show their progress there. */
  errIsTTY?: boolean;
  /** Set by a Ctrl-C handler: a running `train` stops at the end of its current epoch. */
  cancelled?(): boolean;
  /** Width of the terminal stdout goes to; text output is laid out for 100 columns otherwise. */
  columns?: number;
}

// C0 controls but tab and newline, DEL, and the C1 controls (U+009B is a CSI for some terminals).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Carriage return and "erase to end of line": the progress line redraws itself in place. */
const REDRAW = '\r\x1b[K';

export class Terminal {
  private progressShown = false;

  constructor(private readonly io: CliIo) {}

  out(text: string): void {
    this.io.out(escapeControls(text));
  }

  err(text: string): void {
    this.clearProgress();
    this.io.err(escapeControls(text));
  }

  /** A line on stderr that the next one replaces (only on a terminal: the caller checks `errIsTTY`). */
  progress(text: string): void {
    this.progressShown = true;
    this.io.err(REDRAW + escapeControls(text));
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.progressShown = false;
    this.io.err(REDRAW);
  }
}
