/**
 * Axis ticks for the loss curve, from d3-scale: round values (1, 2 or 5 × 10^k) on a linear axis,
 * powers of ten on a log axis when at least two fit. At most MAX_TICKS labels per axis, and every
 * computation is bounded for any finite input — a constant curve, or one whose values differ only
 * in the last bit ([0.30000000000000004, 0.3]), gets an axis of its own around the value.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { formatNumber } from '../src/engine/language/numbers';

export const MAX_TICKS = 6;
const MIN_NORMAL = 2.2250738585072014e-308;

export interface Axis {
  /** Data value → pixel. */
  at(v: number): number;
  ticks: { value: number; label: string }[];
}

/** [lo, hi] when it spans something; else an interval around the value (the values are all equal, to within rounding). */
function spread(lo: number, hi: number, log: boolean): [number, number] {
  const size = Math.max(Math.abs(lo), Math.abs(hi));
  // A span whose sixth is a denormal number cannot be divided into ticks without rounding to 0.
  if (hi - lo > size * 1e-9 && (hi - lo) / MAX_TICKS > MIN_NORMAL && Number.isFinite(hi - lo)) return [lo, hi];
  const c = lo / 2 + hi / 2;
  if (log) return [c / 1.25, c * 1.25];
  const pad = Math.abs(c) * 0.05 || 1;
  return [c === 0 ? 0 : c - pad, c + pad];
}

/** The most ticks `make` gives, asking for fewer until they are at most MAX_TICKS. */
function fewest(make: (count: number) => number[]): number[] {
  for (let count = MAX_TICKS; count >= 1; count--) {
    const t = make(count);
    if (t.length <= MAX_TICKS) return t;
  }
  return [];
}

/** Labels with as many digits as the spacing of the ticks needs, so neighbours never read the same. */
function labels(values: number[]): { value: number; label: string }[] {
  let step = Infinity;
  for (let i = 1; i < values.length; i++) step = Math.min(step, values[i] - values[i - 1]);
  const size = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const decimals = Number.isFinite(step) && step > 0 ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : 3;
  const digits = Number.isFinite(step) && step > 0 && size > 0 ? Math.min(17, Math.max(1, Math.floor(Math.log10(size)) - Math.floor(Math.log10(step)) + 1)) : 3;
  return values.map((value) => ({ value, label: size >= 1e6 || decimals > 8 ? formatNumber(value, digits) : value.toFixed(decimals) }));
}

const isPowerOfTen = (v: number) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

function decade(v: number): string {
  const k = Math.round(Math.log10(v));
  return k >= 0 && k < 6 ? String(10 ** k) : k < 0 && k > -6 ? (10 ** k).toFixed(-k) : `1e${k}`;
}

/** A linear axis over [lo, hi] drawn between the pixels `from` and `to`, widened to round ends. */
export function linearAxis(lo: number, hi: number, from: number, to: number): Axis {
  const [a, b] = spread(lo, hi, false);
  let scale = scaleLinear().domain([a, b]).range([from, to]);
  const values = fewest((count) => {
    const nice = scaleLinear().domain([a, b]).range([from, to]).nice(count);
    // Rounding the ends out may overflow next to the largest double: keep the ends as they are then.
    scale = nice.domain().every(Number.isFinite) ? nice : scaleLinear().domain([a, b]).range([from, to]);
    return scale.ticks(count);
  });
  return { at: (v) => scale(v), ticks: labels(values) };
}

/** A log axis over [lo, hi] (both > 0): powers of ten when two or more fit, else round values. */
export function logAxis(lo: number, hi: number, from: number, to: number): Axis {
  const [a, b] = spread(lo, hi, true);
  const scale = scaleLog().domain([a, b]).range([from, to]);
  const powers = fewest((count) => scale.ticks(count).filter(isPowerOfTen));
  if (powers.length >= 2) return { at: (v) => scale(v), ticks: powers.map((value) => ({ value, label: decade(value) })) };
  const round = fewest((count) => scaleLinear().domain([a, b]).ticks(count));
  return { at: (v) => scale(v), ticks: labels(round) };
}

/** Whole epochs along x, labelled compactly (20k, 1.5M) so six of them fit side by side. */
export function epochAxis(first: number, last: number, from: number, to: number): Axis {
  const scale = scaleLinear().domain([first, last > first ? last : first + 1]).range([from, to]);
  let format = scale.tickFormat(MAX_TICKS, '~s');
  const values = fewest((count) => {
    format = scale.tickFormat(count, '~s');
    return scale.ticks(count).filter(Number.isInteger);
  });
  return { at: (v) => scale(v), ticks: values.map((value) => ({ value, label: format(value).replace('\u2212', '-') })) };
}
