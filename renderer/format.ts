/**
 * Numbers in the renderer: the engine's shared formatter (so a value reads the same in the tables,
 * the text output and the command line), plus its TeX form for KaTeX.
 */
import { formatNumber } from '../src/engine/language/numbers';
import { texNumber } from '../src/engine/present/notation';

/** Plain text. A value that is not a number (an overflow that JSON turned into null) shows as a dash. */
export function fmt(x: number, digits: number): string {
  return typeof x === 'number' ? formatNumber(x, digits) : '—';
}

/** TeX source for a number (the formatters' own), or a dash where JSON turned an overflow into null. */
export function fmtTex(x: number, digits: number): string {
  return typeof x === 'number' ? texNumber(x, digits) : '\\text{—}';
}

/** A factor inside a product: negative or scientific numbers get parentheses, as a student writes them. */
export function fmtTexFactor(x: number, digits: number): string {
  const s = fmtTex(x, digits);
  return x < 0 || s.includes('times') ? `\\left(${s}\\right)` : s;
}
