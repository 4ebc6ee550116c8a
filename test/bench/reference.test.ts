// The bench's reference trainer is the yardstick for "same work", so it is checked against numbers
// computed elsewhere: Mazur's published 2-2-2 step, the notes' ReLU chain, and finite differences.
import assert from 'node:assert/strict';
import { referenceLoss, referenceTrain } from '../../bench/reference';
import { nominalFlops, rng, updateCount, workloads, type Workload } from '../../bench/workloads';
import type { Activation, LossName, Mode } from '../../src/engine/trace/schema';

function net(over: Partial<Workload> & Pick<Workload, 'sizes' | 'activations' | 'params' | 'inputs' | 'targets'>): Workload {
  return { id: 't', title: 't', loss: 'half-sse', rate: 0.5, mode: { kind: 'batch' }, epochs: 1, ...over };
}

describe('bench reference trainer', () => {
  it("reproduces Mazur's 2-2-2 example (E, w5', w1')", () => {
    const w = workloads()[0];
    assert.ok(Math.abs(referenceLoss(w, w.params) - 0.298371109) < 5e-10);
    const after = referenceTrain({ ...w, epochs: 1 });
    assert.ok(Math.abs(after[6] - 0.35891648) < 5e-9, `w5' = ${after[6]}`);
    assert.ok(Math.abs(after[0] - 0.149780716) < 5e-10, `w1' = ${after[0]}`);
  });

  it("reproduces the notes' ReLU chain (x = 3, y = 2, w1 = 0.5, w2 = 0.8, η = 0.1)", () => {
    const w = net({
      sizes: [1, 1, 1], activations: ['relu', 'linear'], rate: 0.1,
      params: Float64Array.of(0.5, 0, 0.8, 0), inputs: Float64Array.of(3), targets: Float64Array.of(2),
    });
    assert.ok(Math.abs(referenceLoss(w, w.params) - 0.32) < 1e-12);
    const after = referenceTrain(w);
    assert.ok(Math.abs(after[0] - 0.692) < 1e-12, `w1' = ${after[0]}`);
    assert.ok(Math.abs(after[2] - 0.92) < 1e-12, `w2' = ${after[2]}`);
  });

  const acts: Activation[] = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear'];
  const losses: LossName[] = ['half-sse', 'sse', 'half-mse', 'mse'];
  for (const act of acts) {
    for (const loss of losses) {
      it(`agrees with central differences (${act}, ${loss})`, () => {
        const random = rng(acts.indexOf(act) * 7 + losses.indexOf(loss) + 1);
        const sizes = [3, 4, 2];
        const P = 3 * 4 + 4 + 4 * 2 + 2;
        const w = net({
          sizes, activations: [act, 'sigmoid'], loss, rate: 1,
          params: Float64Array.from({ length: P }, () => random() - 0.5),
          inputs: Float64Array.from({ length: 3 * 5 }, () => random() * 2 - 1),
          targets: Float64Array.from({ length: 2 * 5 }, () => random()),
        });
        // With η = 1 and one batch update, p − p' is the analytic gradient of the batch loss.
        const after = referenceTrain(w);
        const h = 1e-6;
        for (let q = 0; q < P; q++) {
          const plus = Float64Array.from(w.params);
          const minus = Float64Array.from(w.params);
          plus[q] += h;
          minus[q] -= h;
          const numeric = (referenceLoss(w, plus) - referenceLoss(w, minus)) / (2 * h);
          const analytic = w.params[q] - after[q];
          assert.ok(Math.abs(numeric - analytic) < 1e-7 * Math.max(1, Math.abs(numeric)), `param ${q}: ${analytic} vs ${numeric}`);
        }
      });
    }
  }

  it('counts updates per mode and FLOPs as 6·W·samples·epochs', () => {
    const [w1, w2, w3, w4] = workloads();
    assert.equal(updateCount(w1), 10_000);
    assert.equal(updateCount(w2), 2000);
    assert.equal(updateCount(w3), 10);
    assert.equal(updateCount(w4), 32); // 31 minibatches of 32 and one of 8
    assert.equal(nominalFlops(w2), 6 * (64 * 128 + 128 * 64 + 64 * 10) * 2000);
    assert.equal(nominalFlops(w4), 6 * (784 * 128 + 128 * 10) * 1000);
  });

  it('applies minibatch updates in order, N = samples in the batch', () => {
    // 1-1 linear net y = w·x + b, half-mse, batches {x=1,t=0} and {x=2,t=0}: hand arithmetic.
    const mode: Mode = { kind: 'minibatch', size: 1 };
    const w = net({
      sizes: [1, 1], activations: ['linear'], loss: 'half-mse', rate: 0.1, mode,
      params: Float64Array.of(1, 0), inputs: Float64Array.of(1, 2), targets: Float64Array.of(0, 0),
    });
    // First: o = 1, dE/dw = 1, dE/db = 1 → w = 0.9, b = −0.1. Second: o = 1.7, dE/dw = 3.4, dE/db = 1.7.
    const after = referenceTrain(w);
    assert.ok(Math.abs(after[0] - (0.9 - 0.34)) < 1e-12);
    assert.ok(Math.abs(after[1] - (-0.1 - 0.17)) < 1e-12);
  });
});
