/**
 * The batch rule of `check`: without `[k]`, E, E(o), dE/dp, dE/dout(n) and dE/dnet(n) are of the
 * whole batch — the derivative of E when that value moves in every sample — and net, out, dout/dnet
 * and dnet/dp are sample 1's; the output says which. Expected values are finite differences of E
 * (reference.ts), not the engine's.
 */
import * as assert from 'assert';
import { tracesToText } from '../../../src/engine/present/text';
import type { CheckLine } from '../../../src/engine/trace/schema';
import { dE, dEdp, dOutdNet, forward, loss, type RefNet, written } from './reference';
import { checkWith, MAZUR } from './helpers';

const THREE: RefNet = {
  ...MAZUR, loss: 'half-mse',
  samples: [{ x: [0.05, 0.1], t: [0.01, 0.99] }, { x: [0.3, -0.2], t: [0.6, 0.2] }, { x: [-0.1, 0.5], t: [0.4, 0.7] }],
};
const families = (l: CheckLine) => (l.slips ?? []).map((s) => s.family);
// Six digits: finite differences of E are good to about 1e-10.
const digits = (v: number) => written(v, 6);

describe('check: sums over a batch', () => {
  it('without [k], E, E(o), dE/dp, dE/dout and dE/dnet are of the whole batch; per-sample values are sample 1\'s', () => {
    const v1 = forward(THREE, 0);
    const expected: [string, number][] = [
      ['E', loss(THREE)],
      ['E(o2)', loss(THREE, undefined, undefined, ['o2'])],
      ['dE/dw1', dEdp(THREE, 'w1')],
      ['dE/db2', dEdp(THREE, 'b2')],
      ['dE/dout(h1)', dE(THREE, 'h1', 'out')],
      ['dE/dnet(h2)', dE(THREE, 'h2', 'net')],
      ['dE/dout(o1)', dE(THREE, 'o1', 'out')],
      ['net(h1)', v1.net.h1],
      ['out(o2)', v1.out.o2],
      ['dout(h2)/dnet(h2)', dOutdNet(THREE, 'h2', 0)],
      ['dnet(o1)/dw6', v1.out.h2],
      ['dE/dout(h1)[2]', dE(THREE, 'h1', 'out', 1)],
      ['dE/dw1[3]', dEdp(THREE, 'w1', 2)],
      ['E[2]', loss(THREE, undefined, [1])],
    ];
    const t = checkWith(THREE, expected.map(([q, v]) => `${q} = ${digits(v)}`));
    for (const l of t.lines) assert.ok(l.ok, `${l.quantity}: wrote ${l.writtenText}, engine ${l.exact}`);
    assert.deepStrictEqual(t.lines.map((l) => l.batch), [
      { of: 3 }, { of: 3 }, { of: 3 }, { of: 3 }, { of: 3 }, { of: 3 }, { of: 3 },
      { of: 3, sample: 1 }, { of: 3, sample: 1 }, { of: 3, sample: 1 }, { of: 3, sample: 1 },
      { of: 3, sample: 2 }, { of: 3, sample: 3 }, { of: 3, sample: 2 },
    ]);
  });

  it('the output says "sample 1 of 3" or "sum of 3"; one sample says nothing', () => {
    const t = checkWith(THREE, [`dE/dout(h1) = ${digits(dE(THREE, 'h1', 'out'))}`, `out(h1) = ${digits(forward(THREE, 0).out.h1)}`]);
    const text = tracesToText([t]);
    assert.match(text, /Samples/);
    assert.match(text, /dE\/dout\(h1\) +sum of 3 /);
    assert.match(text, /out\(h1\) +1 of 3 /);
    const single = checkWith(MAZUR, ['E = 0.298371109']);
    assert.strictEqual(single.lines[0].batch, undefined);
    assert.doesNotMatch(tracesToText([single]), /Samples/);
  });

  it('one sample\'s value written for the sum, and the sum written for one sample', () => {
    const own = checkWith(THREE, [`dE/dout(h1) = ${written(dE(THREE, 'h1', 'out', 0))}`]).lines[0];
    assert.deepStrictEqual(families(own), ['one-sample']);
    assert.match(own.diagnosis!, /^this is sample 1's dE\/dout\(h1\) alone .*; without \[k\], dE\/dout\(h1\) is the sum over the 3 samples/);
    const sum = checkWith(THREE, [`dE/dw5[2] = ${written(dEdp(THREE, 'w5'))}`]).lines[0];
    assert.deepStrictEqual(families(sum), ['batch-for-sample']);
  });

  it('a slip made in every sample of a sum: the wrong downstream weight, the ½ dropped, ÷ N left out', () => {
    // ∂E/∂w1 = Σ_k ∂E/∂out(h1)[k] · f'(h1)[k] · i1[k], with w6 = 0.45 for w7 = 0.5 in each sample's sum.
    const slipped = [0, 1, 2].reduce((s, k) => {
      const h1 = dE(THREE, 'o1', 'net', k) * 0.4 + dE(THREE, 'o2', 'net', k) * 0.45;
      return s + h1 * dOutdNet(THREE, 'h1', k) * THREE.samples[k].x[0];
    }, 0);
    const l = checkWith(THREE, [`dE/dw1 = ${written(slipped)}`]).lines[0];
    assert.deepStrictEqual(families(l), ['downstream-weight']);
    assert.match(l.diagnosis!, /in each of the 3 samples/);
    // half-mse over 3 samples: the ½ dropped doubles every gradient, the ÷ N left out triples it.
    const g = dE(THREE, 'h2', 'net');
    assert.deepStrictEqual(families(checkWith(THREE, [`dE/dnet(h2) = ${written(2 * g)}`]).lines[0]), ['loss-factor']);
    const n = checkWith(THREE, [`dE/dnet(h2) = ${written(3 * g)}`]).lines[0];
    assert.deepStrictEqual(families(n), ['loss-factor']);
    assert.match(n.diagnosis!, /^summed over the batch where the loss takes the mean/);
  });

  it('no slip: each sample\'s share is listed', () => {
    const l = checkWith(THREE, [`dE/dw5 = ${written(1.37 * dEdp(THREE, 'w5'))}`]).lines[0];
    assert.strictEqual(l.slips, undefined);
    assert.match(l.diagnosis!, /Without \[k\] it is the sum over the 3 samples: .* \(sample 1\) \+ .* \(sample 2\) \+ .* \(sample 3\)$/);
  });
});
