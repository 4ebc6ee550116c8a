/**
 * Every character the command line writes goes through `Terminal`: a notebook may come from anyone,
 * and its text (names echoed in messages, check lines, Markdown, even the file's name) must not be
 * able to clear the terminal, retitle the window or move the cursor. Control characters are written
 * escaped (`\x1b`), so what was in the file can still be read; only newlines and tabs pass.
 */
import { escapeControl } from '../engine/present/controls';

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


/** Carriage return and "erase to end of line": the progress line redraws itself in place. */
const REDRAW = '\r\x1b[K';

export class Terminal {
  private progressShown = false;

  constructor(private readonly io: CliIo) {}

  out(text: string): void {
    this.io.out(escapeControl(text));
  }

  err(text: string): void {
    this.clearProgress();
    this.io.err(escapeControl(text));
  }

  /** A line on stderr that the next one replaces (only on a terminal: the caller checks `errIsTTY`). */
  progress(text: string): void {
    this.progressShown = true;
    this.io.err(REDRAW + escapeControl(text));
  }

  clearProgress(): void {
    if (!this.progressShown) return;
    this.progressShown = false;
    this.io.err(REDRAW);
  }
}
