/**
 * CONTRACT (engine helper fills in): the cell language's vocabulary with one-line meanings, shared by
 * the parser, the extension's completions and hovers, and docs/language.md.
 */
export interface Word {
  word: string;
  /** One line, shown in hovers and completions. */
  doc: string;
  /** Example use, e.g. "train 100 every 10". */
  usage: string;
}
export declare const KEYWORDS: readonly Word[];
export declare const ACTIVATIONS: readonly Word[];
export declare const LOSSES: readonly Word[];
