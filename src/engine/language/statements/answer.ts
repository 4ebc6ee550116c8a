/**
 * The written side of a check line, as exercises extend it (see engine/exercise/): `?` is a blank
 * for the student to fill in, and a trailing `[2 points]` (or `[1 point]`) is the line's weight
 * when the exercise is graded. Both may appear on any check line, so that a student's filled-in
 * notebook and the teacher's answer key run like any other.
 */
import type { CellParser } from '../cell';
import { parseNumber } from '../numbers';
import type { Span } from '../syntax';

export interface Answer {
  /** The value as written, trimmed, without the weight. */
  text: string;
  span: Span;
  blank: boolean;
  points?: number;
}

const POINTS = /\[\s*(\S+)\s+points?\s*\]$/;

/** Reads `raw` (the text after the line's last `=`, comment removed) starting at offset `at`;
 *  undefined (and an error) when the weight is malformed. */
export function readAnswer(p: CellParser, raw: string, at: number): Answer | undefined {
  let text = raw.trim();
  const start = at + (raw.length - raw.trimStart().length);
  let points: number | undefined;
  const open = text.lastIndexOf('[');
  if (text.endsWith(']') && open >= 0) {
    const m = POINTS.exec(text.slice(open));
    const n = m ? parseNumber(m[1]) : undefined;
    const weight = { start: start + open, end: start + text.length };
    if (!n || !(n.value > 0)) { p.error(weight, 'points-syntax', { text: text.slice(open) }); return undefined; }
    points = n.value;
    text = text.slice(0, open).trimEnd();
  }
  return { text, span: { start, end: start + text.length }, blank: text === '?', ...(points !== undefined ? { points } : {}) };
}
