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
const NUMBER_RE = /^([+\-\u2212]?)(\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE]([+\-\u2212]?\d+))?$/;

export interface ParsedNumber {
  value: number;
  /** Half a unit of the last written digit: 0.0005 for `0.359`, 0.5 for `2`, 5e-7 for `3.5e-5`. */
  halfUnit: number;
}

/** Parses `0.15 .15 -2 3.5e-5 0,15`; `undefined` for anything else (including NaN, Infinity, `1,000.5`). */
export function parseNumber(text: string): ParsedNumber | undefined {
  const m = NUMBER_RE.exec(text);
  if (!m) return undefined;
  const mantissa = m[2].replace(',', '.');
  const exponent = m[3] ? Number(m[3].replace('\u2212', '-')) : 0;
  const value = Number(`${m[1].replace('\u2212', '-')}${mantissa}e${exponent}`);
  if (!Number.isFinite(value)) return undefined;
  const dot = mantissa.indexOf('.');
  const decimals = dot < 0 ? 0 : mantissa.length - dot - 1;
  // Built from the decimal exponent directly so that 5e-9 is exactly what `Number('5e-9')` gives.
  const halfUnit = Number(`5e${exponent - decimals - 1}`);
  return { value: value === 0 ? 0 : value, halfUnit };
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
