import * as assert from 'assert';
import { TRACE_LIMITS } from '../../../src/engine/semantics/limits';
import { Session } from '../../../src/engine/session';
import { isTrace, TRACE_VERSION, type StepTrace, type TrainTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

describe('traces', () => {
  it('are plain JSON: they survive a round trip unchanged', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const r = s.runSync('forward\nstep\ntrain 3 every 1\ngradcheck\ncheck\n  E = 0.29\nreset');
    assert.deepStrictEqual(r.traces.map((t) => t.kind), ['forward', 'step', 'train', 'gradcheck', 'check', 'message']);
    for (const t of r.traces) {
      assert.ok(isTrace(t));
      assert.strictEqual(t.version, TRACE_VERSION);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(t)), t, t.kind);
      assert.strictEqual(t.limits.truncated, false);
    }
    assert.strictEqual(r.traces[1].line, 2, 'each trace knows its command line');
  });

  it('a step trace writes the update as old − η·gradient = new', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const t = s.runSync('step').traces[0] as StepTrace;
    for (const u of t.updates[0].updates) {
      if (u.frozen) { assert.strictEqual(u.new, u.old); continue; }
      assert.strictEqual(u.step, 0.5 * u.grad);
      assert.strictEqual(u.new, u.old - u.step);
    }
    // A weight's one path multiplies out to its per-sample gradient.
    for (const g of t.updates[0].grads) {
      const p = g.perSample[0];
      const sum = p.paths.reduce((a, x) => a + x.dE_dout * x.dout_dnet * x.dnet_dparam, 0);
      assert.ok(Math.abs(sum - g.grad) < 1e-15, g.name);
    }
    assert.strictEqual(t.network.params.find((p) => p.name === 'w5')!.value, 0.4, 'the network info holds the values before the update');
  });

  it('sample mode: one update per sample, each at the weights left by the previous', () => {
    const s = new Session();
    s.runSync('input x\nlayer y linear\nw x -> y = 1\nloss half-sse\nrate 0.1\nmode sample\nsample x=1 -> y=0\nsample x=2 -> y=0\n');
    const t = s.runSync('step').traces[0] as StepTrace;
    assert.strictEqual(t.updates.length, 2);
    // By hand: w = 1 → grad (1 − 0)·1 = 1 → w = 0.9; then grad (1.8 − 0)·2 = 3.6 → w = 0.54.
    assert.deepStrictEqual(t.updates.map((u) => u.samples), [[1], [2]]);
    assert.ok(Math.abs(t.updates[0].updates[0].new - 0.9) < 1e-15);
    assert.ok(Math.abs(t.updates[1].updates[0].grad - 3.6) < 1e-12);
    assert.ok(Math.abs(s.value('w')! - 0.54) < 1e-12);
  });

  it('big networks and long runs are cut, and say so', () => {
    const s = new Session();
    const inputs = Array.from({ length: 100 }, (_, i) => `x${i + 1}=0.5`).join(' ');
    s.runSync(`input x[100]\nlayer h[100] sigmoid\nlayer y sigmoid\ninit xavier\nmode sample\n${Array.from({ length: 30 }, () => `sample ${inputs} -> y=1`).join('\n')}\n`);
    const step = s.runSync('step').traces[0] as StepTrace;
    assert.ok(step.limits.truncated);
    assert.strictEqual(step.updates.length, TRACE_LIMITS.updates);
    assert.strictEqual(step.network.params.length, TRACE_LIMITS.params);
    assert.strictEqual(step.network.paramCount, 100 * 100 + 100);
    assert.strictEqual(step.network.layers[1].neurons.length, TRACE_LIMITS.neuronsPerLayer);
    assert.strictEqual(step.network.layers[1].size, 100);
    assert.ok(step.limits.notes.some((n) => /first 16 of 30 updates/.test(n)));
    const fwd = s.runSync('forward').traces[0];
    assert.ok(fwd.kind === 'forward');
    assert.strictEqual(fwd.forward.length, TRACE_LIMITS.samples);
    assert.strictEqual(fwd.loss.batchSize, 30);
    const small = new Session();
    small.runSync(MAZUR_CELL);
    const train = small.runSync('train 5000').traces[0] as TrainTrace;
    assert.ok(train.lossCurve.length <= TRACE_LIMITS.curvePoints + 1);
    // The stride is the smallest power of two that keeps 5,000 epochs within 2,000 points: 4 (2 gives 2,500).
    assert.deepStrictEqual(train.lossEpochs.slice(0, 3), [0, 4, 8]);
    assert.strictEqual(train.lossEpochs.length, 5000 / 4 + 1);
    assert.strictEqual(train.lossEpochs[train.lossEpochs.length - 1], 5000);
    assert.ok(train.limits.notes.some((n) => /one point every 4 epochs/.test(n)));
  });
});
