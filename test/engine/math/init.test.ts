import * as assert from 'assert';
import { prng, weightSampler } from '../../../src/engine/math/init';

describe('init', () => {
  it('the generator is deterministic per seed and uniform-looking in [0, 1)', () => {
    const a = prng(3);
    const b = prng(3);
    const c = prng(4);
    const xs = Array.from({ length: 10_000 }, () => a());
    assert.deepStrictEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
    assert.notStrictEqual(xs[0], c());
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.02, `mean ${mean}`);
    assert.strictEqual(new Set(xs).size, xs.length);
  });

  it('xavier draws from ±√(6/(fan_in + fan_out)); uniform A B from [A, B)', () => {
    const x = weightSampler({ kind: 'xavier' }, 2, 4, prng(1));
    const r = Math.sqrt(6 / 6);
    const xs = Array.from({ length: 2000 }, x);
    assert.ok(xs.every((v) => Math.abs(v) <= r));
    assert.ok(Math.max(...xs) > 0.9 * r && Math.min(...xs) < -0.9 * r);
    const u = weightSampler({ kind: 'uniform', low: -0.5, high: 0.25 }, 3, 3, prng(1));
    const us = Array.from({ length: 2000 }, u);
    assert.ok(us.every((v) => v >= -0.5 && v < 0.25));
  });
});
