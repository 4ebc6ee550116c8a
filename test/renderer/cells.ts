/** The issue's example cells and the larger ones the renderer tests and benchmark run through the engine. */
import { Session } from '../../src/engine/session';
import type { Trace } from '../../src/engine/trace';

export const NET_222 = `# Mazur's step-by-step example
input  i1 i2
layer  h1 h2  sigmoid
layer  o1 o2  sigmoid
w1  i1 -> h1 = 0.15
w2  i2 -> h1 = 0.20
w3  i1 -> h2 = 0.25
w4  i2 -> h2 = 0.30
w5  h1 -> o1 = 0.40
w6  h2 -> o1 = 0.45
w7  h1 -> o2 = 0.50
w8  h2 -> o2 = 0.55
bias b1 -> h1 h2 = 0.35        # one parameter shared by h1 and h2
bias b2 -> o1 o2 = 0.60
freeze b1 b2                   # training never changes them
loss half-sse                  # E = Σ ½ (t − o)²
rate 0.5
sample i1=0.05 i2=0.10 -> o1=0.01 o2=0.99
`;

export const BATCH = `input x1 x2
layer h1 h2 relu
layer y linear
init xavier seed 3
loss sse
rate 0.00001
mode batch
data
  x1  x2  -> y
  90  40  -> 10
  30  50  -> 25
  20  60  -> 36
`;

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
    if (r.errors.length) throw new Error(`cell failed: ${r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}\n${c}`);
    return r.traces;
  });
}

/** The trace of the last command of the last cell. */
export function last(...cells: string[]): Trace {
  const all = run(...cells);
  const t = all[all.length - 1];
  return t[t.length - 1];
}
