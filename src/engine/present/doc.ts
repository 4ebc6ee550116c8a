/**
 * The worked solution as a small document: headings, paragraphs, tables and chains of equalities.
 * `document.ts` turns traces into it once; `text.ts`, `markdown.ts` and `latex.ts` only print it, so the
 * three formats cannot drift apart in what they show.
 */
import type { M } from './notation';

/** Plain text (escaped by each printer) mixed with formulas. */
export type Inline = (string | M)[];

export type Block =
  | { k: 'h'; level: 1 | 2 | 3 | 4; text: Inline }
  | { k: 'p'; text: Inline }
  /** Something left out or gone wrong: printed so it stands out. */
  | { k: 'note'; text: Inline }
  | { k: 'list'; items: Inline[] }
  | { k: 'table'; head: Inline[]; rows: Inline[][] }
  /** Each item is `a = b = c …`, printed with the `=` signs lined up where the format allows. */
  | { k: 'chains'; items: M[][] };

export const isMath = (part: string | M): part is M => typeof part !== 'string';
