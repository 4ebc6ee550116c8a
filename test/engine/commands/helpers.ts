/** Networks and a runner shared by the `check` tests. */
import * as assert from 'assert';
import { Session } from '../../../src/engine/session';
import type { CheckTrace } from '../../../src/engine/trace/schema';
import { cellOf, type RefNet } from './reference';

/** Mazur's 2-2-2 network (seed 004). */
export const MAZUR: RefNet = {
  layers: [['i1', 'i2'], ['h1', 'h2'], ['o1', 'o2']],
  act: 'sigmoid',
  weights: {
    w1: ['i1', 'h1', 0.15], w2: ['i2', 'h1', 0.2], w3: ['i1', 'h2', 0.25], w4: ['i2', 'h2', 0.3],
    w5: ['h1', 'o1', 0.4], w6: ['h2', 'o1', 0.45], w7: ['h1', 'o2', 0.5], w8: ['h2', 'o2', 0.55],
  },
  biases: { b1: [['h1', 'h2'], 0.35], b2: [['o1', 'o2'], 0.6] },
  loss: 'half-sse',
  rate: 0.5,
  samples: [{ x: [0.05, 0.1], t: [0.01, 0.99] }],
};

/** A check of `lines` against `net`, declared as a cell of its own. */
export function checkWith(net: RefNet, lines: string[]): CheckTrace {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(cellOf(net)).errors, []);
  const r = s.runSync(`check\n${lines.map((l) => `  ${l}\n`).join('')}`);
  assert.deepStrictEqual(r.errors, []);
  const t = r.traces[0];
  assert.ok(t.kind === 'check');
  return t;
}

