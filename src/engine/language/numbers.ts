/**
 * Numbers as students write them and as every output shows them. The parser, `check` and all
 * formatters (text, Markdown, LaTeX, the renderer) go through here so that a number reads the same
 * everywhere.
 */

/** Default significant digits shown (`digits N` changes it per notebook). */
export const DEFAULT_DIGITS = 6;

// A decimal comma is accepted because many students write `0,15`; lists of names and numbers are
// separated by blanks, so a comma inside a number token is never ambiguous. The minus sign − (U+2212)
// is read as -: it is what typeset notes show, and it looks just like it.
//
// The grammar, read by a character loop rather than a regular expression because a data table is
// hundreds of thousands of numbers:  [+-−]? (D+ ([.,] D*)? | [.,] D+) ([eE] [+-−]? D+)?
// (D a digit 0-9, − the typeset minus U+2212).

export interface ParsedNumber {
  value: number;
  /** Half a unit of the last written digit: 0.0005 for `0.359`, 0.5 for `2`, 5e-7 for `3.5e-5`. */
  halfUnit: number;
}

const PLUS = 43;
const MINUS = 45;
const TYPESET_MINUS = 0x2212;
const DOT = 46;
const COMMA = 44;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isSign = (c: number) => c === PLUS || c === MINUS || c === TYPESET_MINUS;

/** What the last successful `scanShape` saw (module state, so a table's numbers allocate nothing). */
let decimals = 0;
/** The written exponent (0 without one). */
let exponent = 0;
/** All mantissa digits as one integer, exact while `digits` ≤ 15 (below 2^53). */
let mantissa = 0;
let digits = 0;
let negative = false;

const TEN = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Reads digits from `i` into `mantissa`; returns where they end. */
function digitsFrom(text: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) break;
    mantissa = mantissa * 10 + (c - 48);
    digits++;
  }
  return i;
}

/** True when `text[start, end)` is a number of the grammar above. */
function scanShape(text: string, start: number, end: number): boolean {
  let i = start;
  decimals = exponent = mantissa = digits = 0;
  negative = i < end && text.charCodeAt(i) !== PLUS && isSign(text.charCodeAt(i));
  if (i < end && isSign(text.charCodeAt(i))) i++;
  i = digitsFrom(text, i, end);
  const intDigits = digits;
  const sep = i < end ? text.charCodeAt(i) : 0;
  if (sep === DOT || sep === COMMA) {
    const fracStart = ++i;
    i = digitsFrom(text, i, end);
    decimals = i - fracStart;
  }
  if (intDigits === 0 && decimals === 0) return false;
  if (i < end && (text.charCodeAt(i) | 32) === 101) {
    i++;
    const sign = i < end && isSign(text.charCodeAt(i)) ? text.charCodeAt(i++) : PLUS;
    const digitsStart = i;
    for (; i < end && isDigit(text.charCodeAt(i)); i++) exponent = exponent * 10 + (text.charCodeAt(i) - 48);
    if (i === digitsStart) return false;
    if (sign !== PLUS) exponent = -exponent;
  }
  return i === end;
}

/** The value of the number `text[start, end)` (correctly rounded, as `Number` reads it), or
 *  undefined when it is not one or is beyond ±1.8e308. */
export function readNumber(text: string, start: number, end: number): number | undefined {
  if (!scanShape(text, start, end)) return undefined;
  const scale = exponent - decimals;
  let value: number;
  // Clinger's fast path: an integer and a power of ten both exact in a double, so one division or
  // multiplication rounds correctly. Others go through `Number`, which rounds correctly always.
  if (digits <= 15 && scale >= -22 && scale <= 22) value = scale < 0 ? mantissa / TEN[-scale] : mantissa * TEN[scale];
  else value = Math.abs(Number(text.slice(start, end).replace(',', '.').replace(/\u2212/g, '-')));
  if (!Number.isFinite(value)) return undefined;
  return value === 0 ? 0 : negative ? -value : value;
}

/** Parses `text[start, end)` as `0.15 .15 -2 3.5e-5 0,15`, with half a unit of its last digit. */
export function scanNumber(text: string, start: number, end: number): ParsedNumber | undefined {
  const value = readNumber(text, start, end);
  if (value === undefined) return undefined;
  // Built from the decimal exponent directly so that 5e-9 is exactly what `Number('5e-9')` gives.
  return { value, halfUnit: Number(`5e${exponent - decimals - 1}`) };
}

/** Parses `0.15 .15 -2 3.5e-5 0,15`; `undefined` for anything else (including NaN, Infinity, `1,000.5`). */
export function parseNumber(text: string): ParsedNumber | undefined {
  return scanNumber(text, 0, text.length);
}

/**
 * `x` with `digits` significant digits, trailing zeros dropped: 0.0821670405 → "0.082167",
 * 1.2 → "1.2", 3.5e-5 → "3.5e-5". Exponent form below 1e-4 and from 10^digits up.
 */
export function formatNumber(x: number, digits: number = DEFAULT_DIGITS): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return '0';
  const d = Math.min(Math.max(Math.round(digits), 1), 17);
  const abs = Math.abs(x);
  let text: string;
  if (abs < 1e-4 || abs >= 10 ** d) {
    const [mant, exp] = x.toExponential(d - 1).split('e');
    text = `${stripZeros(mant)}e${Number(exp)}`;
  } else {
    text = stripZeros(x.toPrecision(d));
    // toPrecision may still choose exponent form near the boundaries; fall back to plain digits.
    if (text.includes('e')) text = stripZeros(x.toFixed(Math.max(0, d - 1 - Math.floor(Math.log10(abs)))));
  }
  return text === '-0' ? '0' : text;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** True when `exact` lies within `tolerance` of `written` (inclusive, with a hair for binary rounding). */
export function withinTolerance(written: number, exact: number, tolerance: number): boolean {
  if (!Number.isFinite(exact)) return false;
  const slack = 4 * Number.EPSILON * Math.max(Math.abs(written), Math.abs(exact));
  return Math.abs(exact - written) <= tolerance + slack;
}

/**
 * Significant digits to show an exact value beside one a student wrote: never fewer than they wrote
 * (plus two, so a near miss shows where it parts), so that 0.298371109 is not set against 0.298371.
 */
export function digitsBeside(writtenText: string, digits: number): number {
  const mantissa = writtenText.split(/[eE]/)[0].replace(/[^0-9]/g, '').replace(/^0+/, '');
  return Math.max(digits, Math.min(15, mantissa.length + 2));
}
