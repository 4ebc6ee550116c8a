import * as assert from 'assert';
import { prng } from '../../../src/engine/math/init';
import { computeLayout } from '../../../src/engine/compute/layout';
import { createTrainer, DenseTrainer, type DenseSpec } from '../../../src/engine/compute/trainer';
import { lossScale } from '../../../src/engine/math/losses';
import type { Activation, LossName, Mode } from '../../../src/engine/trace/schema';
import { assertFusedIsGeneral } from './fused';

const ACTS: Activation[] = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear'];
const LOSSES: LossName[] = ['half-sse', 'sse', 'half-mse', 'mse'];
const MODES: Mode[] = [{ kind: 'batch' }, { kind: 'sample' }, { kind: 'minibatch', size: 2 }];

function randomSpec(seed: number, act: Activation, loss: LossName, mode: Mode): DenseSpec {
  const r = prng(seed);
  const sizes = [3, 4, 3, 2];
  const S = 5;
  const inputs = Float64Array.from({ length: S * sizes[0] }, () => 2 * r() - 1);
  const targets = Float64Array.from({ length: S * sizes[3] }, () => r());
  const layout = computeLayout(sizes);
  const params = Float64Array.from({ length: layout.paramCount }, () => r() - 0.5);
  // The last layer uses a different activation so that every pair of layers is exercised.
  return { sizes, activations: [act, act, act === 'linear' ? 'sigmoid' : 'linear'], loss, rate: 0.1, mode, inputs, targets, params };
}

/** Central differences of the loss of samples [start, start+count) with respect to every parameter. */
function numericGradient(t: DenseTrainer, start: number, count: number): Float64Array {
  const g = new Float64Array(t.params.length);
  for (let i = 0; i < g.length; i++) {
    const v = t.params[i];
    const h = 1e-6;
    t.params[i] = v + h;
    const up = t.lossOf(start, count, count);
    t.params[i] = v - h;
    const down = t.lossOf(start, count, count);
    t.params[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, what: string) {
  for (let i = 0; i < a.length; i++) {
    const tol = 1e-6 * Math.max(1, Math.abs(b[i]));
    assert.ok(Math.abs(a[i] - b[i]) <= tol, `${what}[${i}]: analytic ${a[i]} vs numeric ${b[i]}`);
  }
}

describe('trainer', () => {
  for (const act of ACTS) for (const loss of LOSSES) for (const mode of MODES) {
    const name = `${act}, ${loss}, ${mode.kind}`;
    it(`gradients agree with finite differences (${name})`, () => {
      const t = new DenseTrainer(randomSpec(ACTS.indexOf(act) * 100 + LOSSES.indexOf(loss) * 10 + MODES.indexOf(mode), act, loss, mode));
      // One epoch in the mode, checking each update's gradient at the weights it is taken at.
      for (const [start, count] of t.groups()) {
        const numeric = numericGradient(t, start, count);
        t.gradient(start, count);
        assertClose(t.grad, numeric, name);
        t.apply();
      }
    });
  }

  it('an update uses the gradient at the current weights for every parameter (p ← p − η·g)', () => {
    const t = new DenseTrainer(randomSpec(7, 'sigmoid', 'half-sse', { kind: 'batch' }));
    const before = t.params.slice();
    const numeric = numericGradient(t, 0, t.sampleCount);
    t.epoch();
    for (let i = 0; i < before.length; i++) assert.ok(Math.abs(t.params[i] - (before[i] - 0.1 * numeric[i])) < 1e-8);
  });

  it('sample mode updates once per sample, in order', () => {
    const spec = randomSpec(3, 'tanh', 'mse', { kind: 'sample' });
    const a = new DenseTrainer(spec);
    const b = new DenseTrainer({ ...spec, params: spec.params!.slice(), mode: { kind: 'batch' } });
    a.epoch();
    for (let s = 0; s < b.sampleCount; s++) b.update(s, 1);
    assert.deepStrictEqual(Array.from(a.params), Array.from(b.params));
    assert.deepStrictEqual(a.groups(), [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]]);
    const m = new DenseTrainer({ ...spec, mode: { kind: 'minibatch', size: 2 } });
    assert.deepStrictEqual(m.groups(), [[0, 2], [2, 2], [4, 1]]);
  });

  it('the fused per-sample pass is the general update for one sample, to the sign of a zero', () => {
    // x = (0, 1): the first weight of each hidden row, −0, gets the term δ·0 = ±0. The fused pass
    // writes w − η·(δ·x); the general update agrees to the sign only because its gradient entries
    // start at −0 (with +0, −0 − η·(+0 + (−0)) = −0 where the fused pass gives +0).
    const spec: DenseSpec = {
      sizes: [2, 3, 2], activations: ['relu', 'sigmoid'], loss: 'half-sse', rate: 0.5, mode: { kind: 'sample' },
      inputs: Float64Array.of(0, 1, 0.5, -0.25), targets: Float64Array.of(1, 0, 0, 1),
      params: Float64Array.of(-0, 0.3, -0, -0.2, -0, 0.7, 0.1, -0.1, 0.2, -0.4, 0.5, 0.6, -0, 0.05, -0.3, 0.4, -0.2),
    };
    const fused = new DenseTrainer(spec);
    const general = new DenseTrainer({ ...spec, params: spec.params!.slice() });
    for (let e = 0; e < 3; e++) {
      fused.epoch();
      for (const [s, n] of general.groups()) general.update(s, n);
      fused.params.forEach((p, i) => assert.ok(Object.is(p, general.params[i]), `epoch ${e + 1}, param ${i}: ${p} vs ${general.params[i]}`));
    }
  });

  // The same zeros under every optimizer and decay: the fused steps of compute/optimizer-steps.ts.
  const optimizers: { name: string; optimizer?: DenseSpec['optimizer']; decay?: number }[] = [
    { name: 'sgd, decay 0.1', decay: 0.1 },
    { name: 'momentum 0.9', optimizer: { name: 'momentum', beta: 0.9 } },
    { name: 'momentum 0.9, decay 0.1', optimizer: { name: 'momentum', beta: 0.9 }, decay: 0.1 },
    { name: 'adam', optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
    { name: 'adam, decay 0.1', optimizer: { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }, decay: 0.1 },
  ];
  for (const o of optimizers) for (const kernels of ['js', 'wasm'] as const) {
    it(`the fused per-sample pass under ${o.name} (${kernels}) is the general update for one sample, state and loss included`, () => {
      const spec: DenseSpec = {
        sizes: [2, 3, 2], activations: ['relu', 'sigmoid'], loss: 'half-sse', rate: 0.5, mode: { kind: 'sample' },
        inputs: Float64Array.of(0, 1, 0.5, -0.25, 1, 0), targets: Float64Array.of(1, 0, 0, 1, 1, 1),
        params: Float64Array.of(-0, 0.3, -0, -0.2, -0, 0.7, 0.1, -0.1, 0.2, -0.4, 0.5, 0.6, -0, 0.05, -0.3, 0.4, -0.2),
        optimizer: o.optimizer, decay: o.decay, kernels,
      };
      assertFusedIsGeneral(spec, 4);
    });
  }

  it('loss conventions: ½ΣΣ, ΣΣ, 1/(2N)ΣΣ, 1/NΣΣ', () => {
    assert.strictEqual(lossScale('half-sse', 4), 0.5);
    assert.strictEqual(lossScale('sse', 4), 1);
    assert.strictEqual(lossScale('half-mse', 4), 1 / 8);
    assert.strictEqual(lossScale('mse', 4), 1 / 4);
    // One linear neuron y = w·x, two samples: errors (t − o) = (1 − 2) and (3 − 1) → Σ = 1 + 4 = 5.
    const spec = (loss: LossName): DenseSpec => ({ sizes: [1, 1], activations: ['linear'], loss, rate: 1, mode: { kind: 'batch' }, inputs: Float64Array.of(2, 1), targets: Float64Array.of(1, 3), params: Float64Array.of(1, 0) });
    assert.strictEqual(createTrainer(spec('half-sse')).loss(), 2.5);
    assert.strictEqual(createTrainer(spec('sse')).loss(), 5);
    assert.strictEqual(createTrainer(spec('half-mse')).loss(), 1.25);
    assert.strictEqual(createTrainer(spec('mse')).loss(), 2.5);
  });

  it('activation derivatives at the kink: relu\' = 0 and leaky\' = 0.01 at net = 0', () => {
    // y = act(w·x) with x = 0: net = 0 exactly. ∂E/∂b = ∂E/∂y · act'(0).
    for (const [act, slope] of [['relu', 0], ['leaky-relu', 0.01]] as const) {
      const t = new DenseTrainer({ sizes: [1, 1], activations: [act], loss: 'half-sse', rate: 1, mode: { kind: 'batch' }, inputs: Float64Array.of(0), targets: Float64Array.of(1), params: Float64Array.of(0.5, 0) });
      t.gradient(0, 1);
      assert.ok(t.grad[1] === (0 - 1) * slope, `${act}: ${t.grad[1]}`);
    }
  });

  it('tied parameters move together with their summed gradient; frozen ones do not move', () => {
    const base = randomSpec(11, 'sigmoid', 'half-sse', { kind: 'batch' });
    const lay = computeLayout(base.sizes);
    const [s0, s1] = [lay.biasSlot[1][0], lay.biasSlot[1][1]];
    const params = base.params!.slice();
    params[s1] = params[s0];
    const p0 = params[s0];
    const w0 = params[0];
    const t = new DenseTrainer({ ...base, params, tied: [[s0, s1]], frozen: [0] });
    const untied = new DenseTrainer({ ...base, params: params.slice() });
    untied.gradient(0, untied.sampleCount);
    t.epoch();
    assert.strictEqual(t.params[s0], t.params[s1]);
    const expected = p0 - 0.1 * (untied.grad[s0] + untied.grad[s1]);
    assert.ok(Math.abs(t.params[s0] - expected) < 1e-15, `${t.params[s0]} vs ${expected}`);
    assert.strictEqual(t.params[0], w0);
  });

  it('createTrainer: the contract\'s layout, init and trainEpochs', () => {
    const t = createTrainer({ sizes: [2, 3, 1], activations: ['tanh', 'linear'], loss: 'mse', rate: 0.05, mode: { kind: 'batch' }, inputs: Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1), targets: Float64Array.of(0, 1, 1, 0), init: { kind: 'xavier' }, seed: 2 });
    assert.strictEqual(t.params.length, 2 * 3 + 3 + 3 * 1 + 1);
    const r = Math.sqrt(6 / 5);
    for (let i = 0; i < 6; i++) assert.ok(Math.abs(t.params[i]) <= r && t.params[i] !== 0);
    assert.deepStrictEqual(Array.from(t.params.subarray(6, 9)), [0, 0, 0], 'biases start at 0');
    const before = t.loss();
    const after = t.trainEpochs(50);
    assert.ok(after < before);
    assert.strictEqual(after, t.loss());
    const again = createTrainer({ sizes: [2, 3, 1], activations: ['tanh', 'linear'], loss: 'mse', rate: 0.05, mode: { kind: 'batch' }, inputs: Float64Array.of(0, 0), targets: Float64Array.of(0), init: { kind: 'xavier' }, seed: 2 });
    assert.strictEqual(again.params[0], createTrainer({ sizes: [2, 3, 1], activations: ['tanh', 'linear'], loss: 'mse', rate: 0.05, mode: { kind: 'batch' }, inputs: Float64Array.of(0, 0), targets: Float64Array.of(0), init: { kind: 'xavier' }, seed: 2 }).params[0]);
    assert.throws(() => createTrainer({ sizes: [2, 1], activations: ['linear'], loss: 'mse', rate: 1, mode: { kind: 'batch' }, inputs: Float64Array.of(1, 2, 3), targets: Float64Array.of(1) }), /not a whole number of samples/);
  });

  it('results do not depend on how samples are chunked (bitwise)', () => {
    // 70 samples cross two chunk boundaries; the same samples one at a time must sum identically.
    const r = prng(5);
    const S = 70;
    const spec: DenseSpec = { sizes: [3, 5, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half-sse', rate: 0.5, mode: { kind: 'batch' }, inputs: Float64Array.from({ length: S * 3 }, r), targets: Float64Array.from({ length: S * 2 }, r), init: { kind: 'xavier' } };
    const t = new DenseTrainer(spec);
    t.gradient(0, S);
    const whole = t.grad.slice();
    // −0 is where every gradient entry starts (the additive identity), so the sums match to the sign of a zero.
    const acc = new Float64Array(whole.length).fill(-0);
    for (let s = 0; s < S; s++) { t.gradient(s, 1); for (let i = 0; i < acc.length; i++) acc[i] += t.grad[i]; }
    assert.deepStrictEqual(Array.from(whole), Array.from(acc));
  });

  it('handles a million parameters and a hundred thousand samples', function () {
    this.timeout(60000);
    const big = createTrainer({ sizes: [1000, 1000, 1], activations: ['sigmoid', 'linear'], loss: 'mse', rate: 0.01, mode: { kind: 'batch' }, inputs: new Float64Array(1000).fill(0.5), targets: Float64Array.of(1), init: { kind: 'xavier' } });
    assert.ok(big.params.length > 1_000_000);
    assert.ok(Number.isFinite(big.trainEpochs(2)));
    const r = prng(9);
    const S = 100_000;
    const many = createTrainer({ sizes: [2, 4, 1], activations: ['tanh', 'linear'], loss: 'mse', rate: 0.1, mode: { kind: 'minibatch', size: 100 }, inputs: Float64Array.from({ length: 2 * S }, r), targets: Float64Array.from({ length: S }, r), init: { kind: 'xavier' } });
    const l0 = many.loss();
    assert.ok(many.trainEpochs(1) < l0);
  });
});
