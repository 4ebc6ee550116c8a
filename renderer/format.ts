/**
 * Numbers as plain text in the renderer: the engine's shared formatter, so a value reads the same
 * in the tables, the text output and the command line. (Numbers inside formulas are typeset from
 * the notation layer's trees.)
 */
import { formatNumber } from '../src/engine/language/numbers';

/** Plain text; anything that is not a number (only a malformed trace has one) shows as a dash. */
export function fmt(x: number, digits: number): string {
  return typeof x === 'number' ? formatNumber(x, digits) : '—';
}
