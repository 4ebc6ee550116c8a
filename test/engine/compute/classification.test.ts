// The trainer's classification, optimizers and decay against a reference written here, independently
// of the engine and its records: the losses and softmax by their textbook formulas, gradients by
// central differences of that loss, and momentum and Adam by PyTorch's update rules. Every new
// output activation × loss × optimizer × mode × decay is trained three epochs both ways.
import * as assert from 'assert';
import { DenseTrainer, type DenseSpec } from '../../../src/engine/compute/trainer';
import type { Activation } from '../../../src/engine/math/activations';
import type { LossName } from '../../../src/engine/math/losses';
import type { OptimizerSpec } from '../../../src/engine/math/optimizers';
import type { Mode } from '../../../src/engine/trace/schema';

const SIZES = [2, 3, 3];
/** Params as the engine lays them out: per layer, weights row by row (target j, source i), then one bias per neuron. */
const P = 3 * 2 + 3 + 3 * 3 + 3;

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

function refOutputs(p: ArrayLike<number>, x: number[], output: Activation): number[] {
  const h = [0, 1, 2].map((j) => Math.tanh(p[j * 2] * x[0] + p[j * 2 + 1] * x[1] + p[6 + j]));
  const nets = [0, 1, 2].map((k) => p[9 + k * 3] * h[0] + p[9 + k * 3 + 1] * h[1] + p[9 + k * 3 + 2] * h[2] + p[18 + k]);
  if (output === 'sigmoid') return nets.map(sigma);
  const e = nets.map(Math.exp);
  const sum = e[0] + e[1] + e[2];
  return e.map((v) => v / sum);
}

/** E of samples [start, start + n) as the textbooks define it, plus (λ/2)·Σ w² over the 15 weights. */
function refLoss(p: ArrayLike<number>, xs: number[][], ts: number[][], start: number, n: number, loss: LossName, output: Activation, lambda: number): number {
  let e = 0;
  for (let s = start; s < start + n; s++) {
    const o = refOutputs(p, xs[s], output);
    for (let k = 0; k < 3; k++) {
      const t = ts[s][k];
      if (loss === 'half-sse') e += 0.5 * (t - o[k]) ** 2;
      else if (loss.endsWith('cross-entropy')) e -= t * Math.log(o[k]);
      else e -= t * Math.log(o[k]) + (1 - t) * Math.log(1 - o[k]);
    }
  }
  if (loss.startsWith('mean-')) e /= n;
  let w2 = 0;
  for (let i = 0; i < P; i++) if (!(i >= 6 && i < 9) && i < 18) w2 += p[i] * p[i];
  return e + (lambda / 2) * w2;
}

function refGradient(p: Float64Array, f: (q: Float64Array) => number): Float64Array {
  const g = new Float64Array(P);
  for (let i = 0; i < P; i++) {
    const v = p[i];
    const h = 1e-6;
    p[i] = v + h; const up = f(p);
    p[i] = v - h; const down = f(p);
    p[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** Three epochs the textbook way. */
function refTrain(p: Float64Array, c: Case, xs: number[][], ts: number[][]): void {
  const v = new Float64Array(P);
  const m = new Float64Array(P);
  let t = 0;
  const k = c.mode.kind === 'batch' ? xs.length : c.mode.kind === 'sample' ? 1 : c.mode.size;
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let s = 0; s < xs.length; s += k) {
      const n = Math.min(k, xs.length - s);
      const g = refGradient(p, (q) => refLoss(q, xs, ts, s, n, c.loss, c.output, c.decay));
      t++;
      for (let i = 0; i < P; i++) {
        const o = c.optimizer;
        if (o.name === 'sgd') p[i] -= c.rate * g[i];
        else if (o.name === 'momentum') { v[i] = o.beta * v[i] + g[i]; p[i] -= c.rate * v[i]; }
        else {
          m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
          v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
          p[i] -= c.rate * (m[i] / (1 - o.beta1 ** t)) / (Math.sqrt(v[i] / (1 - o.beta2 ** t)) + o.eps);
        }
      }
    }
  }
}

interface Case { output: Activation; loss: LossName; optimizer: OptimizerSpec; mode: Mode; decay: number; rate: number }

const XS = [[0.5, 1], [-0.3, 0.8], [1.2, -0.4], [0.1, 0.2], [-1, -0.5]];
/** One-hot and soft targets: each sums to 1 (cross-entropy), each in [0, 1] (bce). */
const TS = [[0, 1, 0], [1, 0, 0], [0.2, 0.3, 0.5], [0, 0, 1], [0.5, 0.5, 0]];

function startParams(): Float64Array {
  let seed = 11;
  return Float64Array.from({ length: P }, () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647 - 0.5; });
}

function trainer(c: Case, params: Float64Array): DenseTrainer {
  const spec: DenseSpec = {
    sizes: SIZES, activations: ['tanh', c.output], loss: c.loss, rate: c.rate, mode: c.mode,
    inputs: Float64Array.from(XS.flat()), targets: Float64Array.from(TS.flat()), params, optimizer: c.optimizer, decay: c.decay,
  };
  return new DenseTrainer(spec);
}

const OUTPUTS: [Activation, LossName][] = [
  ['softmax', 'cross-entropy'], ['softmax', 'mean-cross-entropy'], ['sigmoid', 'bce'], ['sigmoid', 'mean-bce'],
  // Not the canonical pairs: the general route, through the Jacobian and through σ′.
  ['softmax', 'half-sse'], ['sigmoid', 'cross-entropy'], ['softmax', 'bce'],
];
const OPTIMIZERS: OptimizerSpec[] = [{ name: 'sgd' }, { name: 'momentum', beta: 0.9 }, { name: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8 }];
const MODES: Mode[] = [{ kind: 'batch' }, { kind: 'sample' }, { kind: 'minibatch', size: 2 }];

describe('trainer: classification, optimizers and decay against a textbook reference', () => {
  for (const [output, loss] of OUTPUTS) {
    for (const decay of [0, 0.01]) {
      it(`gradient of ${output} + ${loss}${decay ? `, decay ${decay}` : ''} = central differences of the textbook loss, every group size`, () => {
        for (const n of [1, 2, 5]) {
          const c: Case = { output, loss, optimizer: OPTIMIZERS[0], mode: { kind: 'batch' }, decay, rate: 0.1 };
          const t = trainer(c, startParams());
          const e = t.gradient(0, n);
          const p = startParams();
          const ref = refGradient(p, (q) => refLoss(q, XS, TS, 0, n, loss, output, decay));
          assert.ok(Math.abs(e - refLoss(p, XS, TS, 0, n, loss, output, decay)) < 1e-12, `loss of ${n}`);
          for (let i = 0; i < P; i++) assert.ok(Math.abs(t.grad[i] - ref[i]) < 1e-7, `n = ${n}, ∂E/∂p[${i}]: ${t.grad[i]} vs ${ref[i]}`);
        }
      });
    }
  }

  for (const [output, loss] of OUTPUTS.slice(0, 4)) {
    for (const optimizer of OPTIMIZERS) {
      for (const mode of MODES) {
        const decay = mode.kind === 'sample' ? 0.01 : 0;
        it(`3 epochs of ${output} + ${loss}, ${optimizer.name}, ${mode.kind}${decay ? ', decay' : ''}: the reference's weights`, () => {
          const c: Case = { output, loss, optimizer, mode, decay, rate: 0.2 };
          const t = trainer(c, startParams());
          for (let e = 0; e < 3; e++) t.epoch();
          const p = startParams();
          refTrain(p, c, XS, TS);
          for (let i = 0; i < P; i++) assert.ok(Math.abs(t.params[i] - p[i]) < 1e-7, `[${i}]: ${t.params[i]} vs ${p[i]}`);
          assert.strictEqual(t.state.t, 3 * Math.ceil(XS.length / (mode.kind === 'batch' ? XS.length : mode.kind === 'sample' ? 1 : 2)));
        });
      }
    }
  }

  it('the state persists between calls, snapshot and restore undo an update exactly, a new optimizer starts afresh', () => {
    const c: Case = { output: 'softmax', loss: 'cross-entropy', optimizer: OPTIMIZERS[2], mode: { kind: 'batch' }, decay: 0, rate: 0.1 };
    const a = trainer(c, startParams());
    const b = trainer(c, startParams());
    a.trainEpochs(4);
    for (let e = 0; e < 4; e++) b.epoch();
    assert.deepStrictEqual([...a.params], [...b.params]);
    const saved = a.snapshot();
    a.epoch();
    assert.notDeepStrictEqual([...a.params], [...saved.params]);
    a.restore(saved);
    b.epoch(); a.epoch();
    assert.deepStrictEqual([...a.params], [...b.params]);
    assert.deepStrictEqual([...a.state.m], [...b.state.m]);
    a.optimizer = { name: 'momentum', beta: 0.5 };
    assert.strictEqual(a.state.t, 0);
    assert.ok(a.state.v.every((x) => x === 0));
  });

  it('a softmax on a hidden layer is refused by the trainer too', () => {
    assert.throws(() => new DenseTrainer({ sizes: [2, 3, 2], activations: ['softmax', 'sigmoid'], loss: 'half-sse', rate: 1, mode: { kind: 'batch' }, inputs: new Float64Array(2), targets: new Float64Array(2) }), /output layer only/);
  });
});
