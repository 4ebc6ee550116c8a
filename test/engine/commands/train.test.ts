import * as assert from 'assert';
import { saturates, SMALL_LOSS, VANISHED } from '../../../src/engine/commands/saturation';
import { ACTIVATION_NAMES } from '../../../src/engine/math/activations';
import { messageOf } from '../../../src/engine/semantics/messages';
import { Session } from '../../../src/engine/session';
import type { TrainTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

describe('train', () => {
  describe('saturation', () => {
    it('sigmoid 2-2-2 with rate 1e6: the weights explode, the loss freezes, no NaN — and a warning names the cause', () => {
      const s = new Session();
      const r = s.runSync(MAZUR_CELL.replace('rate 0.5', 'rate 1e6') + 'train 100\nforward\n');
      assert.deepStrictEqual(r.traces.map((t) => t.kind), ['train', 'forward'], 'a warning does not stop the cell');
      const t = r.traces[0] as TrainTrace;
      assert.strictEqual(t.epochsRun, 100);
      assert.strictEqual(t.stopped, undefined);
      assert.ok(t.lossCurve.every(Number.isFinite));
      // The first epoch throws w5 to about −8·10⁴ and the hidden nets below −100: σ(−109) ≈ 3.5e-48.
      assert.ok(Math.abs(s.value('w5')!) > 1e4, String(s.value('w5')));
      const last = t.lossCurve.slice(-10);
      assert.ok(last.every((v) => v === last[0]), 'the loss is frozen');
      assert.ok(last[0] > 0.1);
      assert.deepStrictEqual(r.errors.map((e) => [e.code, e.severity, e.line]), [['train-saturated', 'warning', 19]]);
      const e = r.errors[0];
      assert.deepStrictEqual({ layer: e.args.layer, activation: e.args.activation, neurons: e.args.neurons, rate: e.args.rate }, { layer: 1, activation: 'sigmoid', neurons: ['h1', 'h2'], rate: 1e6 });
      assert.strictEqual(e.args.loss, t.loss.total);
      assert.match(messageOf(e), /^after epoch 100 training has stalled: every gradient is below 1e-12 while the loss is still 0\.261316, because the sigmoid neurons of layer 1 \(h1, h2\) are saturated .* the learning rate \(1e6\) is probably far too high/);
    });

    it('with the biases free, the outputs saturate instead, and that is named', () => {
      const s = new Session();
      const r = s.runSync(MAZUR_CELL.replace('rate 0.5', 'rate 1e6').replace('freeze b1 b2', '') + 'train 100\n');
      assert.deepStrictEqual(r.errors.map((e) => [e.code, e.args.layer, e.args.neurons]), [['train-saturated', 2, ['o1', 'o2']]]);
    });

    it('controls: normal training, a network saturated at its targets, and relu do not warn', () => {
      assert.deepStrictEqual(new Session().runSync(MAZUR_CELL + 'train 1000\n').errors, []);
      // σ(100) = 1 in double precision: ∂out/∂net = 0, but the target is 1 and the loss 0.
      assert.deepStrictEqual(new Session().runSync('input x\nlayer y sigmoid\nw x -> y = 100\nsample x=1 -> y=1\ntrain 10\n').errors, []);
      // A relu unit switched off passes no gradient either, but that is not saturation.
      assert.deepStrictEqual(new Session().runSync('input x\nlayer h relu\nlayer y linear\nw1 x -> h = -1\nw2 h -> y = 1\nsample x=1 -> y=1\ntrain 10\n').errors, []);
    });

    it('which activations saturate is read from their records', () => {
      assert.deepStrictEqual(ACTIVATION_NAMES.filter(saturates), ['sigmoid', 'tanh']);
      assert.ok(VANISHED < SMALL_LOSS);
    });
  });

  it('the stopped message of a trace is made from a code', () => {
    const s = new Session();
    s.runSync('input x\nlayer y linear\nw x -> y = 0.5\nsample x=3 -> y=2\nrate 1e6\n');
    const r = s.runSync('train 1000');
    const t = r.traces[0] as TrainTrace;
    assert.strictEqual(r.errors[0].code, 'diverged');
    assert.strictEqual(t.stopped!.message, messageOf(r.errors[0]));
    assert.strictEqual(t.stopped!.epoch, r.errors[0].args.epoch);
    assert.strictEqual(r.errors[0].args.kept, t.epoch);
  });

  it('the loss curve is sized by the epochs run: a run that diverges early keeps every epoch', () => {
    const s = new Session();
    s.runSync('input x\nlayer y linear\nw x -> y = 0.5\nsample x=3 -> y=2\nrate 1e6\n');
    const t = s.runSync('train 10000000').traces[0] as TrainTrace;
    // w ← w − η·3(3w − 2) multiplies the error by about −9·10⁶ an epoch: ±Infinity within ~50 epochs.
    assert.ok(t.epoch > 10 && t.epoch < 100, String(t.epoch));
    assert.deepStrictEqual(t.lossEpochs, Array.from({ length: t.epoch + 1 }, (_, e) => e));
    assert.ok(!t.limits.notes.some((n) => /one point every/.test(n)), t.limits.notes.join('; '));
  });
});
