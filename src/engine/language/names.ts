/** Names in the cell language: their shape and length, `NAME[N]` lists and "did you mean" suggestions. */
import type { Problem } from '../semantics/diagnostics';
import type { DiagnosticCode } from '../semantics/messages';

/** Largest N accepted in `NAME[N]`; a layer wider than this is almost certainly a typo. */
export const MAX_LIST = 1_000_000;

/**
 * Longest name one may write. A name is shown in every table, hover and formula: a longer one is
 * almost certainly a paste gone wrong, and a 100,000-letter one would stall the notebook's drawing.
 * A generated name `w_FROM_TO` joins two names, so it may be as long as two plus its `w_` and `_`.
 */
export const MAX_NAME_LENGTH = 64;
const MAX_GENERATED_LENGTH = 2 * MAX_NAME_LENGTH + 3;

/** Why a token is not a name (or list of names). */
export interface NameProblem extends Problem {
  code: 'not-a-name' | 'empty-list' | 'list-too-long' | 'name-too-long';
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 95;

/** True when `text[start, end)` is a letter, then letters, digits or `_`. */
function isNameShape(text: string, start: number, end: number): boolean {
  if (end <= start || !isLetter(text.charCodeAt(start))) return false;
  for (let i = start + 1; i < end; i++) if (!isNameChar(text.charCodeAt(i))) return false;
  return true;
}

function tooLong(name: string, length = name.length): NameProblem | undefined {
  const max = name.startsWith('w_') ? MAX_GENERATED_LENGTH : MAX_NAME_LENGTH;
  return length > max ? { code: 'name-too-long', args: { max, length, start: name.slice(0, 16) } } : undefined;
}

/** Why `name` cannot be one name, or undefined when it can. */
export function nameProblem(name: string): NameProblem | undefined {
  if (!isNameShape(name, 0, name.length)) return { code: 'not-a-name', args: { text: name } };
  return tooLong(name);
}

/** `x[3]` → x1 x2 x3; a plain name → itself; otherwise why not. */
export function expandName(token: string): string[] | NameProblem {
  const open = token.indexOf('[');
  if (open < 0) {
    const problem = nameProblem(token);
    return problem ?? [token];
  }
  const close = token.length - 1;
  let digits = close > open + 1 && token.charCodeAt(close) === 93;
  for (let i = open + 1; digits && i < close; i++) digits = token.charCodeAt(i) >= 48 && token.charCodeAt(i) <= 57;
  if (!digits || !isNameShape(token, 0, open)) return { code: 'not-a-name', args: { text: token } };
  const n = Number(token.slice(open + 1, close));
  if (n < 1) return { code: 'empty-list', args: { text: token } };
  if (n > MAX_LIST) return { code: 'list-too-long', args: { text: token, max: MAX_LIST } };
  const base = token.slice(0, open);
  // The longest name of the list is the one with the most digits.
  const problem = tooLong(base, base.length + String(n).length);
  if (problem) return problem;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = `${base}${i + 1}`;
  return out;
}

/** Levenshtein distance, cut off early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The declared name closest to `name` (case-insensitive first), or undefined when nothing is close. */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  // Half the name's length, at least one edit: 'w9' → 'w1', but no 'b1' offered for a one-letter 'E'.
  const limit = Math.max(1, Math.floor(name.length / 2));
  let looked = 0;
  for (const c of candidates) {
    // A million generated names would make a typo slow to report; the first ones are enough.
    if (++looked > 200_000) break;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase(), Math.min(bestD, limit));
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}

/** "unknown neuron 'w9'", with the declared name nearest to it as `near` when one is close,
 *  as data (`code` may be a variant of `unknown-name` with the same arguments). */
export function unknownName(what: 'neuron' | 'parameter', name: string, candidates: Iterable<string>, code: DiagnosticCode = 'unknown-name'): Problem {
  const near = nearestName(name, candidates);
  return { code, args: near === undefined ? { what, name } : { what, name, near } };
}
