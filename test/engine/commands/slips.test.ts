/**
 * Every slip family of the backward pass `check` names, on Mazur's 2-2-2 network (seed 004): the
 * written value of each test is what the slip gives, computed here from reference.ts (finite
 * differences of E, never the engine's numbers) by the slip's own formula.
 */
import * as assert from 'assert';
import type { CheckLine } from '../../../src/engine/trace/schema';
import { checkWith, MAZUR } from './helpers';
import { dE, dOutdNet, forward, type RefNet, written } from './reference';

/** The one line of a check of `quantity = value`, the value written with `digits` significant digits. */
function one(quantity: string, value: number, digits = 4, net = MAZUR): CheckLine {
  const l = checkWith(net, [`${quantity} = ${written(value, digits)}`]).lines[0];
  assert.strictEqual(l.ok, false, `${quantity} = ${written(value, digits)} should be wrong (exact ${l.exact})`);
  return l;
}
const families = (l: CheckLine) => (l.slips ?? []).map((s) => s.family);

// Sample 1's values, by reference.
const v = forward(MAZUR, 0);
const dnet = (n: string) => dE(MAZUR, n, 'net', 0);
const fprime = (n: string) => dOutdNet(MAZUR, n, 0);

describe('check: slip families of the backward pass', () => {
  it('the reference agrees with the published values (seed 004)', () => {
    // ∂E/∂out(h1) = 0.036350306 and ∂E/∂w5 = 0.082167041 (Mazur).
    assert.ok(Math.abs(dE(MAZUR, 'h1', 'out', 0) - 0.036350306) < 1e-8);
    assert.ok(Math.abs(dnet('o1') * v.out.h1 - 0.082167041) < 1e-8);
  });

  describe('the wrong downstream weight inside a hidden sum (seed 001: w6 where w7 belongs)', () => {
    // ∂E/∂out(h1) = ∂E/∂net(o1)·w5 + ∂E/∂net(o2)·w7; with w6 = 0.45 in place of w7 = 0.5:
    const slipped = dnet('o1') * 0.4 + dnet('o2') * 0.45;
    it('at ∂E/∂out(h1)', () => {
      const l = one('dE/dout(h1)', slipped);
      assert.deepStrictEqual(families(l), ['downstream-weight']);
      assert.match(l.diagnosis!, /the term through o2 uses w6 = 0.45 where w7 = 0.5 \(h1 -> o2\) belongs/);
      // Only w7, the weight of o2's path, is blamed.
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [false, false, false, false, false, true]);
    });
    it('at ∂E/∂net(h1)', () => {
      assert.deepStrictEqual(families(one('dE/dnet(h1)', slipped * fprime('h1'))), ['downstream-weight']);
    });
    it('at the hidden ∂E/∂w1, blaming ∂E/∂out(h1)', () => {
      const l = one('dE/dw1', slipped * fprime('h1') * 0.05);
      assert.deepStrictEqual(families(l), ['downstream-weight']);
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [true, false, false]);
    });
  });

  describe('a term of a hidden sum left out below the first level', () => {
    it('∂E/∂w4 through o2 only', () => {
      // ∂E/∂w4 = (∂E/∂net(o1)·w6 + ∂E/∂net(o2)·w8) · f'(h2) · i2; through o2 only:
      const l = one('dE/dw4', dnet('o2') * 0.55 * fprime('h2') * 0.1);
      assert.deepStrictEqual(families(l), ['term-left-out']);
      assert.match(l.diagnosis!, /the term through o1 \(.*\) was left out/);
    });
    it('∂E/∂net(h2) from o1 only', () => {
      const l = one('dE/dnet(h2)', dnet('o1') * 0.45 * fprime('h2'));
      assert.deepStrictEqual(families(l), ['term-left-out']);
      assert.match(l.diagnosis!, /the term through o2 \(.*\) was left out/);
    });
  });

  describe('the loss factor of a gradient, from the loss records', () => {
    it('the ½ dropped: a hidden gradient twice the exact one', () => {
      const l = one('dE/dw1', 2 * dE(MAZUR, 'h1', 'net', 0) * 0.05);
      assert.deepStrictEqual(families(l), ['loss-factor']);
      assert.match(l.diagnosis!, /^the ½ of the loss dropped/);
    });
    it('∂E/∂out = 2(o − t) under half-sse', () => {
      // 2(0.75136507 − 0.01) = 1.48273014 (by hand).
      assert.deepStrictEqual(families(one('dE/dout(o1)', 2 * (v.out.o1 - 0.01))), ['loss-factor']);
    });
    it('mean versus sum: N times under mse, 1/N under sse, over a batch of 2', () => {
      const two: RefNet = { ...MAZUR, samples: [...MAZUR.samples, { x: [0.2, 0.4], t: [0.5, 0.3] }] };
      const mse = { ...two, loss: 'mse' as const };
      // The batch's ∂E/∂w5, summed where mse takes the mean: ×2.
      const g = (n: RefNet) => dE(n, 'o1', 'net', 0) * forward(n, 0).out.h1 + dE(n, 'o1', 'net', 1) * forward(n, 1).out.h1;
      assert.deepStrictEqual(families(one('dE/dw5', 2 * g(mse), 4, mse)), ['loss-factor']);
      // Under sse over 2 samples, ÷ N is also the factor 2 left out: both are named.
      const sse = { ...two, loss: 'sse' as const };
      const halved = one('dE/dw1', (dE(sse, 'h1', 'net', 0) * 0.05 + dE(sse, 'h1', 'net', 1) * 0.2) / 2, 4, sse);
      assert.deepStrictEqual(families(halved), ['loss-factor', 'loss-factor']);
      assert.match(halved.diagnosis!, /^2 slips give .* equally well: \(1\) the factor 2 of the squared error left out.*; \(2\) divided by the N samples/);
      // Over 3 samples, ÷ N is a third.
      const three = { ...sse, samples: [...two.samples, { x: [0.3, 0.1], t: [0.2, 0.6] }] };
      const l = one('dE/dw1', [0, 1, 2].reduce((s, k) => s + dE(three, 'h1', 'net', k) * three.samples[k].x[0], 0) / 3, 4, three);
      assert.deepStrictEqual(families(l), ['loss-factor']);
      assert.match(l.diagnosis!, /^divided by the N samples where the loss sums over the batch/);
    });
  });

  it('a bias forgotten in net when only out is written', () => {
    // out(h1) = σ(0.15·0.05 + 0.2·0.1) = σ(0.0275) without b1 = 0.35.
    const l = one('out(h1)', 1 / (1 + Math.exp(-0.0275)));
    assert.deepStrictEqual(families(l), ['bias-left-out']);
    assert.match(l.diagnosis!, /leave out the bias b1 = 0.35/);
  });

  describe('(−t − out) for (out − t)', () => {
    // seed 004: ∂E₂/∂w₈ = outh₂ × outO₂(1 − outO₂) × (−d₂ − outO₂).
    const wrong = (o: string, t: number) => -t - v.out[o];
    it('at ∂E/∂out(o2) and inside ∂E/∂w8', () => {
      assert.deepStrictEqual(families(one('dE/dout(o2)', wrong('o2', 0.99))), ['loss-derivative']);
      const l = one('dE/dw8', wrong('o2', 0.99) * fprime('o2') * v.out.h2);
      assert.deepStrictEqual(families(l), ['loss-derivative']);
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [true, false, false]);
    });
    it('carried into a hidden sum: every output\'s ∂E/∂out wrong', () => {
      const h1 = wrong('o1', 0.01) * fprime('o1') * 0.4 + wrong('o2', 0.99) * fprime('o2') * 0.5;
      assert.deepStrictEqual(families(one('dE/dout(h1)', h1)), ['loss-derivative']);
      assert.deepStrictEqual(families(one('dE/dw2', h1 * fprime('h1') * 0.1)), ['loss-derivative']);
    });
  });

  it('dnet(o2)/dw8 written as another neuron\'s out on its own line', () => {
    // w8 comes from h2: ∂net(o2)/∂w8 = out(h2); out(h1) written instead.
    const l = one('dnet(o2)/dw8', v.out.h1, 6);
    assert.deepStrictEqual(families(l), ['source-out']);
    assert.match(l.diagnosis!, /out\(h1\) = 0.59327 was written, but ∂net\(o2\)\/∂w8 is out\(h2\)/);
  });

  it('∂E/∂out written as the target (seed 001: 0,99 for ∂ℓ/∂a₁³)', () => {
    const own = checkWith(MAZUR, ['dE/dout(o1) = 0.010']).lines[0];
    assert.deepStrictEqual(families(own), ['target']);
    const other = checkWith(MAZUR, ['dE/dout(o1) = 0,99']).lines[0];
    assert.deepStrictEqual(families(other), ['target']);
    assert.match(other.diagnosis!, /the target of o2, 0.99, was written for ∂E\/∂out\(o1\)/);
  });

  it('the student\'s own wrong values carried on (seed 001: z = 0,3825, then a₁ = 0,594 and ∂z/∂θ = 0,594)', () => {
    // σ(0.3825) = 1/(1 + e^−0.3825) = 0.594475 (by hand), written 0,594: nearer than the exact 0.59327.
    const t = checkWith(MAZUR, ['net(h1) = 0,3825', 'out(h1) = 0,594', 'dnet(o1)/dw5 = 0,594']);
    assert.deepStrictEqual(families(t.lines[1]), ['carried']);
    assert.match(t.lines[1].diagnosis!, /^follows from the wrong net\(h1\) = 0.3825 you wrote$/);
    assert.deepStrictEqual(families(t.lines[2]), ['carried']);
    assert.match(t.lines[2].diagnosis!, /^follows from the wrong out\(h1\) = 0.594 you wrote/);
  });

  it('another edge\'s weight in net, and the bias left out of net', () => {
    // net(h2) = 0.25·0.05 + 0.3·0.1 + 0.35 = 0.3925; with w4 = 0.3 for w3: 0.015 + 0.03 + 0.35 = 0.395;
    // without b1: 0.0425 (by hand).
    assert.deepStrictEqual(families(one('net(h2)', 0.395)), ['edge-weight']);
    assert.deepStrictEqual(families(one('net(h2)', 0.0425, 3)), ['bias-left-out']);
  });

  it('a sign flipped, a factor left out, a wrong activation derivative (by hand)', () => {
    // ∂E/∂w5 = 0.082167041; −0.08217; without ∂out/∂net 0.74136507·0.59327 = 0.43983;
    // out/(1 − out)² = 0.75136507/0.24863493² = 12.1542.
    assert.deepStrictEqual(families(one('dE/dw5', -0.082167041)), ['sign']);
    assert.deepStrictEqual(families(one('dE/dw5', 0.43983)), ['factor-left-out']);
    assert.deepStrictEqual(families(one('dout(o1)/dnet(o1)', 12.1542)), ['activation-derivative']);
  });
});
