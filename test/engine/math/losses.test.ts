import * as assert from 'assert';
import { LOSS_NAMES, LOSS_RECORDS, lossDerivative } from '../../../src/engine/math/losses';

describe('loss records', () => {
  it("E of Mazur's example under half-sse: ½(0.01 − 0.75136507)² + ½(0.99 − 0.772928465)² = 0.298371109", () => {
    const r = LOSS_RECORDS['half-sse'];
    const e = r.scale(1) * (r.term(0.75136507, 0.01) + r.term(0.772928465, 0.99));
    assert.ok(Math.abs(e - 0.298371109) < 1e-9);
  });

  it('the scales follow the conventions for a batch of N (½, 1, 1/(2N), 1/N)', () => {
    assert.deepStrictEqual((['half-sse', 'sse', 'half-mse', 'mse'] as const).map((n) => LOSS_RECORDS[n].scale(4)), [0.5, 1, 1 / 8, 1 / 4]);
  });

  it('∂E/∂out is the slope of scale · term (central differences), for every loss and batch size', () => {
    for (const name of LOSS_NAMES) {
      const r = LOSS_RECORDS[name];
      for (const n of [1, 3]) {
        // The logs of the classification losses take outputs in (0, 1) and targets in [0, 1].
        const points = r.unitOutputs ? [[0.75, 0.01], [0.2, 0.9], [0.5, 0], [0.3, 1]] : [[0.75, 0.01], [0.2, 0.9], [-1.5, 2]];
        for (const [o, t] of points) {
          const h = 1e-6;
          const numeric = r.scale(n) * (r.term(o + h, t) - r.term(o - h, t)) / (2 * h);
          assert.ok(Math.abs(lossDerivative(name, o, t, n) - numeric) < 1e-6, `${name} N=${n} at ${o}, ${t}`);
        }
      }
    }
  });
});
