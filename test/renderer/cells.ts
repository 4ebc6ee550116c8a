/** The issue's example cells and the larger ones the renderer tests and benchmark run through the engine. */
import { Session } from '../../src/engine/session';
import type { Trace } from '../../src/engine/trace/schema';
import { messageOf } from '../../src/engine/semantics/messages';

// The issue's cells, shared with the engine tests.
export { MAZUR_CELL as NET_222, DATA_TABLE_CELL as BATCH } from '../engine/fixtures';

/** A 32-32-32-10 sigmoid network with generated weights and a few deterministic samples. */
export function bigNet(samples = 4): string {
  const xs = Array.from({ length: 32 }, (_, i) => `x${i + 1}`);
  const ys = Array.from({ length: 10 }, (_, i) => `y${i + 1}`);
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = Array.from({ length: samples }, () => `  ${xs.map(() => rnd().toFixed(3)).join(' ')} -> ${ys.map(() => rnd().toFixed(2)).join(' ')}`);
  return `input x[32]
layer h[32] sigmoid
layer k[32] sigmoid
layer y[10] sigmoid
init xavier seed 1
loss half-mse
rate 0.5
data
  ${xs.join(' ')} -> ${ys.join(' ')}
${rows.join('\n')}
`;
}

/** Runs cells in one session; returns the traces of each cell, failing loudly on any error. */
export function run(...cells: string[]): Trace[][] {
  const s = new Session();
  return cells.map((c) => {
    const r = s.runSync(c);
    if (r.errors.length) throw new Error(`cell failed: ${r.errors.map((e) => `${e.line}:${e.column} ${messageOf(e)}`).join('; ')}\n${c}`);
    return r.traces;
  });
}

/** The trace of the last command of the last cell. */
export function last(...cells: string[]): Trace {
  const all = run(...cells);
  const t = all[all.length - 1];
  return t[t.length - 1];
}
