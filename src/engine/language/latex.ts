/**
 * Math as students paste it from their notes, plain or LaTeX, as tokens with their places in the
 * cell: numbers (with a decimal comma too), letter runs, `\commands`, and single characters. Spacing
 * commands and `\left` / `\right` are dropped here (a `\left(` is just its parenthesis), so the
 * readers above (equations.ts, symbols.ts) see only what carries meaning.
 */
import { isBlank } from './scanner';
import type { Span } from './syntax';

export interface Tok extends Span {
  kind: 'num' | 'word' | 'cmd' | 'char';
  /** The token as written; a command without its backslash (`frac`, `,`). */
  text: string;
  /** A blank (or a spacing command) comes right before it. */
  spaced: boolean;
}

/** Commands that only space things out. */
const SPACING = new Set([',', ';', ':', '!', ' ', 'quad', 'qquad', 'enspace', 'thinspace', 'medspace', 'thickspace', 'displaystyle', 'textstyle', 'limits', 'nolimits']);

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const LETTER = /\p{L}/u;
const isLetterAt = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return isAsciiLetter(c) || (c > 127 && LETTER.test(text[i]));
};

/** End of the number starting at `i` (digits, one `.` or `,` before more digits, an exponent `e-5`). */
function numberEnd(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && isDigit(text.charCodeAt(j))) j++;
  const sep = text.charCodeAt(j);
  if ((sep === 46 || sep === 44) && j + 1 < end && isDigit(text.charCodeAt(j + 1)) && (j > i || sep === 46)) {
    j++;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
  }
  // An exponent only when digits follow: `2e^{x}` is 2 times e to the x.
  if (j > i && (text.charCodeAt(j) | 32) === 101) {
    let k = j + 1;
    const s = text.charCodeAt(k);
    if (s === 43 || s === 45 || s === 0x2212) k++;
    if (k < end && isDigit(text.charCodeAt(k))) {
      while (k < end && isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j;
}

/** Tokens of `text[start, end)`, stopping at a `#` (a comment, as everywhere in the language). */
export function lexMath(text: string, start: number, end: number): Tok[] {
  const out: Tok[] = [];
  let spaced = false;
  let i = start;
  const push = (kind: Tok['kind'], s: number, e: number, t = text.slice(s, e)) => { out.push({ kind, text: t, start: s, end: e, spaced }); spaced = false; };
  while (i < end) {
    const c = text.charCodeAt(i);
    // `&` aligns the rows of an `aligned` block: it means nothing to the arithmetic.
    if (isBlank(c) || c === 126 /* ~ */ || c === 38 /* & */) { spaced = true; i++; continue; }
    if (c === 35) break;
    if (c === 92 /* \ */) {
      let j = i + 1;
      while (j < end && isAsciiLetter(text.charCodeAt(j))) j++;
      if (j === i + 1 && j < end) j++;
      const name = text.slice(i + 1, j);
      if (SPACING.has(name)) { spaced = true; i = j; continue; }
      if (name === 'left' || name === 'right' || name === 'bigl' || name === 'bigr' || name === 'Bigl' || name === 'Bigr' || name === 'big' || name === 'Big') {
        i = delimiterAfter(text, j, end, push);
        continue;
      }
      push('cmd', i, j, name);
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      const j = numberEnd(text, i, end);
      push('num', i, j);
      i = j;
      continue;
    }
    if (isLetterAt(text, i)) {
      let j = i + 1;
      while (j < end && isLetterAt(text, j)) j++;
      push('word', i, j);
      i = j;
      continue;
    }
    // One character (a surrogate pair counts as one).
    const j = c >= 0xd800 && c <= 0xdbff ? i + 2 : i + 1;
    push('char', i, Math.min(j, end));
    i = j;
  }
  return out;
}

/** After `\left` or `\right`: the delimiter as a plain character token (`\{` as `{`), none for `.`. */
function delimiterAfter(text: string, i: number, end: number, push: (kind: Tok['kind'], s: number, e: number, t?: string) => void): number {
  while (i < end && isBlank(text.charCodeAt(i))) i++;
  if (i >= end) return i;
  if (text[i] === '.') return i + 1;
  if (text[i] === '\\') {
    let j = i + 1;
    while (j < end && isAsciiLetter(text.charCodeAt(j))) j++;
    if (j === i + 1) j++;
    const name = text.slice(i + 1, j);
    const plain = name === '{' ? '(' : name === '}' ? ')' : name === 'langle' ? '(' : name === 'rangle' ? ')' : name === '|' || name === 'vert' ? '|' : undefined;
    if (plain) push('char', i, j, plain);
    return j;
  }
  push('char', i, i + 1);
  return i + 1;
}
