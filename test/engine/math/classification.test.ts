// The records of classification and of the optimizers against values computed independently of
// them: a published softmax example, central differences, and first momentum and Adam steps by hand.
import * as assert from 'assert';
import { ACTIVATION_RECORDS, layerwise } from '../../../src/engine/math/activations';
import { LOSS_RECORDS } from '../../../src/engine/math/losses';
import { emptyState, OPTIMIZER_RECORDS, optimizerRecord, updateRule } from '../../../src/engine/math/optimizers';
import { mathText } from '../../../src/engine/present/notation';
import { net, out, target } from '../../../src/engine/present/formula';

const softmax = layerwise('softmax')!;
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);
const values = (nets: number[]) => { const o = new Float64Array(nets.length); softmax.values(nets, o); return o; };

describe('softmax record', () => {
  it("gives Wikipedia's example: softmax(1, 2, 3, 4, 1, 2, 3) = (0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175)", () => {
    const o = values([1, 2, 3, 4, 1, 2, 3]);
    [0.024, 0.064, 0.175, 0.475, 0.024, 0.064, 0.175].forEach((p, k) => close(o[k], p, 0.0005, `out ${k}`));
    close(o.reduce((a, b) => a + b, 0), 1, 1e-15, 'sum');
  });

  it('is computed stably: nets of 1000 give the same outs as nets of 0, where e^1000 overflows', () => {
    assert.deepStrictEqual([...values([1000, 1001, 1002])], [...values([0, 1, 2])]);
    assert.ok([...values([0, -800])].every(Number.isFinite));
    assert.strictEqual(values([0, -800])[1], 0);
  });

  it('its Jacobian is the slope of its values (central differences), cross terms included', () => {
    const nets = [0.37, 0.09, -0.07, 1.2];
    const o = values(nets);
    for (let j = 0; j < nets.length; j++) {
      const up = values(nets.map((z, i) => (i === j ? z + 1e-6 : z)));
      const down = values(nets.map((z, i) => (i === j ? z - 1e-6 : z)));
      for (let k = 0; k < nets.length; k++) close(softmax.jacobian(o, k, j), (up[k] - down[k]) / 2e-6, 1e-8, `∂out_${k}/∂net_${j}`);
      close(softmax.diagonal(o[j]), softmax.jacobian(o, j, j), 1e-16, 'diagonal');
    }
  });

  it('backward is the Jacobian sum Σ_k g_k · ∂out_k/∂net_j, in place', () => {
    const o = values([0.5, -0.2, 0.1]);
    const g = Float64Array.from([0.3, -1.7, 2.2]);
    const expected = [0, 1, 2].map((j) => [0, 1, 2].reduce((s, k) => s + g[k] * softmax.jacobian(o, k, j), 0));
    softmax.backward(o, 0, g, g, 0, 3);
    expected.forEach((e, j) => close(g[j], e, 1e-15, `∂E/∂net_${j}`));
  });

  it('with cross-entropy and targets that sum to 1, ∂E/∂net = out − t (the textbook simplification)', () => {
    const o = values([0.367843, 0.0940274, -0.0672923]);
    const t = [0, 1, 0];
    const ce = LOSS_RECORDS['cross-entropy'];
    const g = Float64Array.from([0, 1, 2].map((k) => ce.dTerm(o[k], t[k])));
    softmax.backward(o, 0, g, g, 0, 3);
    [0, 1, 2].forEach((j) => close(g[j], o[j] - t[j], 1e-15, `net ${j}`));
    assert.strictEqual(ce.canonical?.activation, 'softmax');
    assert.strictEqual(LOSS_RECORDS.bce.canonical?.activation, 'sigmoid');
  });

  it('the slip of the cross terms left out: 0 for the classes that are not the target, where out − t = out', () => {
    const o = values([0.4, 0.1, -0.3]);
    const g = [0, -1 / o[1], 0];
    // One-hot target 2nd: the target's own ∂E/∂net comes out right (−(1 − out)); the others' do not.
    close(softmax.slips[0].dEdnet(o, g, 1), o[1] - 1, 1e-15, 'the target class');
    assert.strictEqual(softmax.slips[0].dEdnet(o, g, 0), 0);
    assert.ok(o[0] > 0.3, 'the right ∂E/∂net of class 1 is out − 0');
  });

  it('formula trees print as the textbooks write them', () => {
    assert.strictEqual(mathText(softmax.jacobianFormula(out('o1'), out('o1'), true)), 'out_o1 · (1 − out_o1)');
    assert.strictEqual(mathText(softmax.jacobianFormula(out('o2'), out('o1'), false)), '−out_o2 · out_o1');
    assert.strictEqual(mathText(LOSS_RECORDS['cross-entropy'].termFormula(out('o1'), target('o1'))), '−t_o1 · ln(out_o1)');
    assert.strictEqual(mathText(LOSS_RECORDS.bce.termFormula(out('y'), target('y'))), '−(t_y · ln(out_y) + (1 − t_y) · ln(1 − out_y))');
    assert.ok(ACTIVATION_RECORDS.sigmoid.unitRange && softmax.unitRange && !('unitRange' in ACTIVATION_RECORDS.linear));
    assert.strictEqual(mathText(softmax.valueFormula(net('o1'), net('x'))), 'e^net_o1/net_x');
  });
});

describe('classification loss records', () => {
  it('cross-entropy of a one-hot target is −ln of its output; 0 · ln 0 is 0', () => {
    const ce = LOSS_RECORDS['cross-entropy'];
    close(ce.term(0.315857, 1), -Math.log(0.315857), 1e-15, 'term');
    assert.strictEqual(ce.term(0, 0), 0);
    assert.strictEqual(ce.dTerm(0, 0), 0);
    assert.strictEqual(ce.term(0, 1), Infinity);
    assert.ok(ce.logZero!(0, 1) && !ce.logZero!(0, 0) && !ce.logZero!(0.2, 1));
  });

  it('bce is −[t ln o + (1 − t) ln(1 − o)]: by hand at o = 0.8, t = 1 and t = 0', () => {
    const bce = LOSS_RECORDS.bce;
    close(bce.term(0.8, 1), 0.2231435513, 1e-10, 'ln(1/0.8)');
    close(bce.term(0.8, 0), 1.6094379124, 1e-10, 'ln(1/0.2)');
    close(bce.dTerm(0.8, 1), -1.25, 1e-15, '−1/0.8');
    assert.strictEqual(bce.term(1, 1), 0);
    assert.ok(bce.logZero!(1, 0) && bce.logZero!(0, 1) && !bce.logZero!(1, 1));
  });

  it('the means divide by N; log₁₀ slips divide the natural-log values by ln 10', () => {
    assert.strictEqual(LOSS_RECORDS['mean-cross-entropy'].scale(4), 0.25);
    assert.strictEqual(LOSS_RECORDS['mean-bce'].scale(5), 0.2);
    const slip = LOSS_RECORDS['cross-entropy'].termSlips![0];
    close(slip.term(0.25, 1), -Math.log10(0.25), 1e-15, 'log10');
  });
});

describe('optimizer records', () => {
  const x = { p: 0.4, g: 0.082167041, v: 0, m: 0, t: 1, rate: 0.5 };

  it('momentum by hand: v = 0.9·0 + 0.082167041, p′ = 0.4 − 0.5·v; then v = 0.9·v + g again', () => {
    const r = OPTIMIZER_RECORDS.momentum;
    const s = r.spec([0.9]);
    const first = r.update(s, x);
    assert.strictEqual(first.v, 0.082167041);
    close(0.4 - first.step, 0.3589164795, 1e-12, 'w5′');
    const second = r.update(s, { ...x, p: 0.4 - first.step, v: first.v, t: 2 });
    close(second.v, 0.9 * 0.082167041 + 0.082167041, 1e-15, 'v after two');
  });

  it('Adam by hand: the first step is η·sign(g) (m̂ = g, v̂ = g²), to ε', () => {
    const r = OPTIMIZER_RECORDS.adam;
    const s = r.spec([0.9, 0.999, 1e-8]);
    const first = r.update(s, x);
    close(first.m, 0.1 * 0.082167041, 1e-15, 'm = (1 − β₁)·g');
    close(first.v, 0.001 * 0.082167041 ** 2, 1e-18, 'v = (1 − β₂)·g²');
    close(first.mHat!, 0.082167041, 1e-15, 'm̂');
    close(first.vHat!, 0.082167041 ** 2, 1e-15, 'v̂');
    close(first.step, 0.5 * 0.082167041 / (0.082167041 + 1e-8), 1e-14, 'step ≈ η');
    // The second, by hand: m = 0.9·0.0082167041 + 0.1·(−0.05), v = 0.999·v₁ + 0.001·0.0025, t = 2.
    const g2 = -0.05;
    const second = r.update(s, { ...x, g: g2, m: first.m, v: first.v, t: 2 });
    const m = 0.9 * 0.0082167041 + 0.1 * g2;
    const v = 0.999 * (0.001 * 0.082167041 ** 2) + 0.001 * g2 * g2;
    close(second.step, 0.5 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 ** 2)) + 1e-8), 1e-12, 'second step');
  });

  it('apply is update, parameter by parameter, bit for bit, and leaves frozen ones and their state alone', () => {
    for (const [name, settings] of [['sgd', []], ['momentum', [0.8]], ['adam', [0.9, 0.99, 1e-6]]] as const) {
      const r = optimizerRecord(name);
      const spec = r.spec(settings);
      const p = Float64Array.from([0.4, -0.2, 1.5, 0]);
      const g = Float64Array.from([0.08, -0.3, 1e-9, 0.7]);
      const st = emptyState(4);
      st.v.set([0.01, 0.02, 0, 0.3]);
      st.m.set([0.001, -0.002, 0, 0.1]);
      const expected = [...p].map((pi, i) => pi - r.update(spec, { p: pi, g: g[i], v: st.v[i], m: st.m[i], t: 3, rate: 0.1 }).step);
      r.apply(spec, p, g, st, Uint8Array.from([0, 0, 0, 1]), 0.1, 3);
      for (let i = 0; i < 3; i++) assert.ok(Object.is(p[i], expected[i]), `${name} [${i}]`);
      assert.strictEqual(p[3], 0, `${name}: frozen`);
      if (name !== 'sgd') assert.strictEqual(st.v[3], 0.3, `${name}: frozen state`);
    }
  });

  it('every slip gives another value than the right update, where students meet it', () => {
    for (const name of ['momentum', 'adam'] as const) {
      const r = optimizerRecord(name);
      const spec = r.spec(name === 'momentum' ? [0.9] : [0.9, 0.999, 1e-8]);
      const input = { p: 0.4, g: 0.08, v: 0.05, m: 0.01, t: 2, rate: 0.5 };
      const right = r.update(spec, input);
      for (const s of r.slips) {
        const value = s.value(input, spec);
        const exact = s.quantity === 'after' ? input.p - right.step : s.quantity === 'v' ? right.v : right.m;
        assert.ok(Math.abs(value - exact) > 1e-6, `${name}: ${s.text}`);
      }
    }
  });

  it('rules print as PyTorch writes them', () => {
    assert.deepStrictEqual(updateRule('momentum').map(mathText), ["v' = β · v + g", "p' = p − η · v'"]);
    assert.deepStrictEqual(updateRule('adam').map(mathText), [
      "m' = β₁ · m + (1 − β₁) · g", "v' = β₂ · v + (1 − β₂) · g²", "m̂ = m'/(1 − β₁^t)", "v̂ = v'/(1 − β₂^t)", "p' = p − η · m̂/(√v̂ + ε)",
    ]);
  });
});
