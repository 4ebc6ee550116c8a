/**
 * Deterministic initial weights. The same seed gives the same numbers in Node, a web worker and the
 * command line, so a notebook with `init xavier seed 3` shows the same tables everywhere.
 */

/** mulberry32: tiny, fast, and good enough for initial weights; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = (seed | 0) ^ 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type InitKind = { kind: 'xavier' } | { kind: 'uniform'; low: number; high: number };

/**
 * A sampler for the weights of the edges into a layer with `fanIn` sources and `fanOut` neurons.
 * Xavier/Glorot uniform: U(−r, r) with r = √(6 / (fanIn + fanOut)).
 */
export function weightSampler(init: InitKind, fanIn: number, fanOut: number, rand: () => number): () => number {
  if (init.kind === 'xavier') {
    const r = Math.sqrt(6 / (fanIn + fanOut));
    return () => (2 * rand() - 1) * r;
  }
  const { low, high } = init;
  return () => low + (high - low) * rand();
}
