/** Timing: warm up, then the median of a few repeats, each from the same initial parameters. */
import { performance } from 'node:perf_hooks';
import type { Prepared } from './impls/types';

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  repeats: number;
}

export interface TimingPolicy {
  /** Measured repeats are added until this much time is spent (at least `minRepeats`). */
  budgetMs: number;
  minRepeats: number;
  maxRepeats: number;
}

function timeOnce(p: Prepared, epochs: number): number {
  p.reset();
  const t0 = performance.now();
  p.run(epochs);
  return performance.now() - t0;
}

export function measure(p: Prepared, epochs: number, policy: TimingPolicy): Timing {
  // The warm-up lets V8 optimise the hot loops and tfjs allocate its buffers; a tenth of the epochs
  // does that as well as all of them. Not counted.
  timeOnce(p, Math.ceil(epochs / 10));
  const times: number[] = [];
  let spent = 0;
  while (times.length < policy.maxRepeats && (times.length < policy.minRepeats || spent < policy.budgetMs)) {
    const t = timeOnce(p, epochs);
    times.push(t);
    spent += t;
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { medianMs, minMs: times[0], maxMs: times[times.length - 1], repeats: times.length };
}

/**
 * A plain-text table with right-aligned numeric columns. A row shorter than the header is a note: its
 * last cell runs on freely and does not widen the columns.
 */
export function table(header: string[], rows: string[][], leftColumns = 1): string {
  const fixed = (r: string[]) => (r.length === header.length ? r : r.slice(0, -1));
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => fixed(r)[c]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === cells.length - 1 && cells.length < header.length ? cell
      : c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Three significant digits, without exponent notation for the ranges a benchmark prints. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(x))));
  return x.toFixed(Math.min(digits, 6));
}
