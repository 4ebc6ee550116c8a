import * as assert from 'assert';
import { parseNumber } from '../../src/engine/language/numbers';
import { messageOf } from '../../src/engine/semantics/messages';
import { analyze, Session } from '../../src/engine/session';
import type { CheckTrace, ForwardTrace, NetworkTrace, StepTrace, TrainTrace } from '../../src/engine/trace/schema';
import { DATA_TABLE_CELL, MAZUR_CELL, MAZUR_CHECK_CELL, PUBLISHED, RELU_CHAIN_CELL } from './fixtures';

/** Within half a unit of the last digit the published value is written with (9 decimals for most). */
function close9(actual: number | undefined, expected: number, what: string) {
  assert.ok(actual !== undefined, `${what} is undefined`);
  const tol = parseNumber(String(expected))!.halfUnit;
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs published ${expected}`);
}

const LINEAR_CELL = 'input x\nlayer y linear\nw x -> y = 0.5\nsample x=3 -> y=2\n';

function mazur(): Session {
  const s = new Session();
  const r = s.runSync(MAZUR_CELL);
  assert.deepStrictEqual(r.errors, []);
  return s;
}

describe('Session', () => {
  describe('the 2-2-2 example (issue cells verbatim)', () => {
    it('defines the network in a declarations-only cell', () => {
      const s = new Session();
      const r = s.runSync(MAZUR_CELL);
      assert.deepStrictEqual(r.errors, []);
      assert.strictEqual(r.traces.length, 1);
      const t = r.traces[0] as NetworkTrace;
      assert.strictEqual(t.kind, 'network');
      assert.deepStrictEqual(t.network.layers.map((l) => l.size), [2, 2, 2]);
      assert.strictEqual(t.network.paramCount, 10, '8 weights + 2 shared biases');
      const b1 = t.network.params.find((p) => p.name === 'b1')!;
      assert.deepStrictEqual(b1.to, ['h1', 'h2']);
      assert.strictEqual(b1.frozen, true);
      assert.strictEqual(t.network.rate, 0.5);
      assert.strictEqual(t.network.loss, 'half-sse');
    });

    it('the check cell passes before the step (every line ✓)', () => {
      const s = mazur();
      const r = s.runSync(MAZUR_CHECK_CELL);
      assert.deepStrictEqual(r.errors, []);
      const t = r.traces[0] as CheckTrace;
      assert.strictEqual(t.kind, 'check');
      assert.deepStrictEqual(t.lines.map((l) => [l.quantity, l.ok]), [
        ['E', true], ['out(h1)', true], ['dE/dw5', true], ['dE/dout(h1)', true], ["w5'", true], ["w1'", true],
      ]);
      assert.strictEqual(r.checksFailed, 0);
      assert.strictEqual(s.value('w5'), 0.4, 'check does not change the weights');
    });

    it('forward matches the published forward pass to 9 digits', () => {
      const s = mazur();
      const t = s.runSync('forward').traces[0] as ForwardTrace;
      assert.strictEqual(t.kind, 'forward');
      const f = t.forward[0];
      close9(f.layers[1].out[0], PUBLISHED.outH1, 'out(h1)');
      close9(f.layers[1].out[1], PUBLISHED.outH2, 'out(h2)');
      close9(f.layers[2].out[0], PUBLISHED.outO1, 'out(o1)');
      close9(f.layers[2].out[1], PUBLISHED.outO2, 'out(o2)');
      close9(t.loss.terms[0].value, PUBLISHED.EO1, 'E(o1)');
      close9(t.loss.terms[1].value, PUBLISHED.EO2, 'E(o2)');
      close9(t.loss.total, PUBLISHED.E, 'E');
      // net(h1) by hand: 0.15·0.05 + 0.20·0.10 + 0.35.
      assert.ok(Math.abs(f.layers[1].net[0] - 0.3775) < 1e-15);
    });

    it('step gives the published gradients and new weights to 9 digits', () => {
      const s = mazur();
      const r = s.runSync('step');
      assert.deepStrictEqual(r.errors, []);
      const t = r.traces[0] as StepTrace;
      assert.strictEqual(t.kind, 'step');
      assert.strictEqual(t.epoch, 1);
      const u = t.updates[0];
      const grad = (n: string) => u.grads.find((g) => g.name === n)!;
      close9(grad('w5').grad, PUBLISHED.dE_dw5, 'dE/dw5');
      close9(grad('w1').grad, PUBLISHED.dE_dw1, 'dE/dw1');
      const path = grad('w5').perSample[0].paths[0];
      close9(path.dout_dnet, PUBLISHED.doutO1_dnetO1, 'dout(o1)/dnet(o1)');
      close9(path.dnet_dparam, PUBLISHED.outH1, 'dnet(o1)/dw5 = out(h1)');
      const h1 = u.neurons.find((n) => n.neuron === 'h1')!;
      close9(h1.dE_dout, PUBLISHED.dE_doutH1, 'dE/dout(h1)');
      assert.deepStrictEqual(h1.downstream!.map((d) => d.weight), ['w5', 'w7'], 'h1 feeds o1 through w5 and o2 through w7');
      for (const [name, value] of Object.entries(PUBLISHED.after)) close9(s.value(name), value, `${name}'`);
      const row = u.updates.find((x) => x.name === 'w5')!;
      assert.strictEqual(row.old, 0.4);
      assert.strictEqual(row.new, s.value('w5'));
      const b1 = u.updates.find((x) => x.name === 'b1')!;
      assert.strictEqual(b1.frozen, true);
      assert.strictEqual(b1.new, 0.35, 'frozen biases keep their value');
      assert.ok(t.lossAfter < PUBLISHED.E);
    });

    it('the issue\'s sequence — the 2-2-2 cell, `step`, then the check cell — is all ✓', () => {
      const s = mazur();
      assert.deepStrictEqual(s.runSync('step').errors, []);
      const r = s.runSync(MAZUR_CHECK_CELL);
      assert.deepStrictEqual(r.errors, []);
      const t = r.traces[0] as CheckTrace;
      assert.deepStrictEqual(t.lines.map((l) => l.ok), [true, true, true, true, true, true]);
      assert.strictEqual(t.stepEpoch, 1, 'it checks the step just taken');
      close9(s.value('w5'), PUBLISHED.after.w5, 'the weights stay those after the step');
    });

    it('after a second step, or a change since the step, the same numbers no longer pass', () => {
      const s = mazur();
      s.runSync('step\nstep');
      const t = s.runSync(MAZUR_CHECK_CELL).traces[0] as CheckTrace;
      assert.strictEqual(t.stepEpoch, 2);
      assert.strictEqual(t.failed, 6);
      const u = mazur();
      u.runSync('step\nrate 0.5');
      const v = u.runSync(MAZUR_CHECK_CELL).traces[0] as CheckTrace;
      assert.strictEqual(v.stepEpoch, undefined, 'checked at the current weights');
      assert.strictEqual(v.failed, 6);
      const w = mazur();
      w.runSync('step\nforward');
      assert.strictEqual((w.runSync('check\n  E = 0.291028\n').traces[0] as CheckTrace).failed, 0, '"forward again" checks the new weights (Mazur: 0.291027924 after the first round)');
      const r = u.runSync('reset');
      assert.strictEqual(r.traces[0].kind, 'message');
      assert.strictEqual(u.runSync(MAZUR_CHECK_CELL).checksFailed, 0);
    });

    it('the w3 value in the notes (0.24995114) is a slip the check catches', () => {
      const s = mazur();
      const t = s.runSync("check\n  w3' = 0.24995114\n  w3' = 0.24975114\n").traces[0] as CheckTrace;
      assert.deepStrictEqual(t.lines.map((l) => l.ok), [false, true]);
    });
  });

  describe('the data-table cell (verbatim)', () => {
    it('defines a 2-2-1 ReLU network with xavier weights and three samples', () => {
      const s = new Session();
      const r = s.runSync(DATA_TABLE_CELL);
      assert.deepStrictEqual(r.errors, []);
      const t = r.traces[0] as NetworkTrace;
      assert.deepStrictEqual(t.network.layers.map((l) => l.size), [2, 2, 1]);
      assert.strictEqual(t.network.sampleCount, 3);
      assert.deepStrictEqual(t.network.params.map((p) => p.name), ['w_x1_h1', 'w_x2_h1', 'w_x1_h2', 'w_x2_h2', 'w_h1_y', 'w_h2_y']);
      assert.ok(t.network.params.every((p) => p.generated && Math.abs(p.value) <= Math.sqrt(6 / 4)));
      assert.deepStrictEqual(t.network.mode, { kind: 'batch' });
    });

    it('the same seed gives the same weights, another seed different ones', () => {
      const a = new Session(); a.runSync(DATA_TABLE_CELL);
      const b = new Session(); b.runSync(DATA_TABLE_CELL);
      const c = new Session(); c.runSync(DATA_TABLE_CELL.replace('seed 3', 'seed 4'));
      assert.strictEqual(a.value('w_x1_h1'), b.value('w_x1_h1'));
      assert.notStrictEqual(a.value('w_x1_h1'), c.value('w_x1_h1'));
    });

    it('a batch step sums the three samples\' contributions (sse: ∂E/∂y = 2(y − t))', () => {
      const s = new Session();
      s.runSync(DATA_TABLE_CELL);
      const fw = s.runSync('forward').traces[0] as ForwardTrace;
      const t = s.runSync('step').traces[0] as StepTrace;
      assert.strictEqual(t.updates.length, 1, 'batch mode: one update per epoch');
      const u = t.updates[0];
      assert.deepStrictEqual(u.samples, [1, 2, 3]);
      // Independent: for w_h1_y the gradient is Σ_s 2(y_s − t_s)·out_s(h1) from the forward values.
      let expected = 0;
      for (const f of fw.forward) expected += 2 * (f.layers[2].out[0] - f.target[0]) * f.layers[1].out[0];
      const g = u.grads.find((x) => x.name === 'w_h1_y')!;
      assert.ok(Math.abs(g.grad - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));
      assert.strictEqual(g.perSample.length, 3);
      const sum = g.perSample.reduce((a, p) => a + p.value, 0);
      assert.ok(Math.abs(sum - g.grad) <= 1e-9 * Math.max(1, Math.abs(expected)));
    });
  });

  describe('the ReLU chain (seed 002)', () => {
    it('ŷ = 1.2, J = 0.32, dJ/dw1 = −1.92, dJ/dw2 = −1.2, then 0.692 and 0.92, then J ≈ 0.004', () => {
      const s = new Session();
      assert.deepStrictEqual(s.runSync(RELU_CHAIN_CELL).errors, []);
      const f = s.runSync('forward').traces[0] as ForwardTrace;
      assert.ok(Math.abs(f.forward[0].layers[2].out[0] - 1.2) < 1e-12);
      assert.ok(Math.abs(f.loss.total - 0.32) < 1e-12);
      const t = s.runSync('step').traces[0] as StepTrace;
      const g = (n: string) => t.updates[0].grads.find((x) => x.name === n)!.grad;
      assert.ok(Math.abs(g('w1') + 1.92) < 1e-12);
      assert.ok(Math.abs(g('w2') + 1.2) < 1e-12);
      assert.ok(Math.abs(s.value('w1')! - 0.692) < 1e-12);
      assert.ok(Math.abs(s.value('w2')! - 0.92) < 1e-12);
      const again = s.runSync('forward').traces[0] as ForwardTrace;
      // By hand: 3·0.692 = 2.076, ·0.92 = 1.90992; ½(2 − 1.90992)² = 0.0040572032.
      assert.ok(Math.abs(again.loss.total - 0.0040572032) < 1e-12);
    });
  });

  describe('cells and state', () => {
    it('a cell with an error changes nothing, not even its valid lines', () => {
      const s = mazur();
      const r = s.runSync('rate 0.1\nstep\nfreeze w9\n');
      assert.strictEqual(r.errors.length, 1);
      assert.strictEqual(r.traces.length, 0);
      assert.strictEqual(s.state().rate, 0.5);
      assert.strictEqual(s.value('w5'), 0.4);
    });

    it('runs commands in order, with settings taking effect where they are written', () => {
      const s = mazur();
      const r = s.runSync('step\nrate 0.1\nstep');
      const [a, b] = r.traces as StepTrace[];
      assert.strictEqual(a.network.rate, 0.5);
      assert.strictEqual(b.network.rate, 0.1);
      assert.strictEqual(b.epoch, 2);
      const row = b.updates[0].updates.find((x) => x.name === 'w5')!;
      assert.strictEqual(row.step, 0.1 * row.grad);
    });

    it('a new input cell defines a new network and keeps compatible samples', () => {
      const s = mazur();
      const r = s.runSync(MAZUR_CELL.replace(/sample.*\n/, '').replace('0.15', '0.16') + 'forward\n');
      assert.deepStrictEqual(r.errors, []);
      assert.strictEqual(s.value('w1'), 0.16);
      assert.strictEqual((r.traces[0] as ForwardTrace).forward.length, 1);
    });

    it('a later cell may set a weight by name (and reset returns to it)', () => {
      const s = mazur();
      s.runSync('w5 = 0.3\nw6 h2 -> o1 = 0.5');
      assert.strictEqual(s.value('w5'), 0.3);
      assert.strictEqual(s.value('w6'), 0.5);
      s.runSync('step\nreset');
      assert.strictEqual(s.value('w5'), 0.3);
      const t = new Session();
      t.runSync(MAZUR_CELL + 'w5 = 0.1\n');
      assert.strictEqual(t.value('w5'), 0.1, 'also in the defining cell');
    });

    it('unfreeze lets a bias train', () => {
      const s = mazur();
      s.runSync('unfreeze b1\nstep');
      assert.notStrictEqual(s.value('b1'), 0.35);
      assert.strictEqual(s.value('b2'), 0.6);
    });

    it('digits changes what formatters show and is recorded in traces', () => {
      const s = mazur();
      const r = s.runSync('digits 9\nforward');
      assert.strictEqual(r.traces[0].kind, 'message');
      assert.strictEqual(r.traces[1].digits, 9);
      assert.strictEqual(new Session().runSync(MAZUR_CELL).traces[0].digits, 6);
    });

    it('hover info gives a weight\'s value, latest gradient and update, and a neuron\'s net and out', () => {
      const s = mazur();
      assert.strictEqual(s.hoverInfo('w5')?.kind, 'param');
      s.runSync('step');
      const h = s.hoverInfo('w5');
      assert.ok(h && h.kind === 'param');
      close9(h.grad!.grad, PUBLISHED.dE_dw5, 'hover dE/dw5');
      assert.strictEqual(h.update!.old, 0.4);
      const n = s.hoverInfo('h1');
      assert.ok(n && n.kind === 'neuron');
      close9(n.out, PUBLISHED.outH1, 'hover out(h1)');
      assert.strictEqual(s.hoverInfo('nothing'), undefined);
      assert.deepStrictEqual(s.names().neurons, ['i1', 'i2', 'h1', 'h2', 'o1', 'o2']);
      assert.deepStrictEqual(s.names().params, ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'b1', 'b2']);
    });

    it('hover after a plain train gives the gradient and update at the current weights (ReLU chain, by hand)', () => {
      const s = new Session();
      s.runSync(RELU_CHAIN_CELL);
      s.runSync('train 1');
      // After one epoch w1 = 0.692, w2 = 0.92 (the notes). At those weights, by hand: a = 2.076,
      // ŷ = 0.92 × 2.076 = 1.90992, ∂J/∂ŷ = ŷ − y = −0.09008 (half-mse, N = 1), ∂ŷ/∂z2 = 1,
      // ∂J/∂w2 = −0.09008 × 1 × 2.076 = −0.18700608, ∂J/∂w1 = −0.09008 × 0.92 × 1 × 3 = −0.2486208.
      const w2 = s.hoverInfo('w2');
      assert.ok(w2 && w2.kind === 'param');
      assert.strictEqual(w2.at, 'current');
      assert.ok(Math.abs(w2.grad!.grad - -0.18700608) < 1e-12, String(w2.grad?.grad));
      const path = w2.grad!.perSample[0].paths[0];
      assert.ok(Math.abs(path.dE_dout - -0.09008) < 1e-12 && path.dout_dnet === 1 && Math.abs(path.dnet_dparam - 2.076) < 1e-12);
      assert.ok(Math.abs(w2.update!.old - 0.92) < 1e-12);
      assert.ok(Math.abs(w2.update!.new - 0.938700608) < 1e-12, String(w2.update?.new));
      const w1 = s.hoverInfo('w1');
      assert.ok(w1 && w1.kind === 'param');
      assert.ok(Math.abs(w1.grad!.grad - -0.2486208) < 1e-12, String(w1.grad?.grad));
      assert.ok(Math.abs(w1.update!.new - 0.71686208) < 1e-12);
      const a = s.hoverInfo('a');
      assert.ok(a && a.kind === 'neuron');
      assert.ok(Math.abs(a.out! - 2.076) < 1e-12 && Math.abs(a.dE_dnet! - -0.09008 * 0.92) < 1e-12);
      // Hovering computes, it does not train.
      assert.ok(Math.abs(s.value('w1')! - 0.692) < 1e-12 && Math.abs(s.value('w2')! - 0.92) < 1e-12);
      assert.strictEqual(s.state().epoch, 1);

      // A new weight is seen at once: w2 = 1 gives ŷ = 2.076, ∂J/∂w2 = 0.076 × 2.076 = 0.157776.
      s.runSync('w2 = 1');
      const again = s.hoverInfo('w2');
      assert.ok(again && again.kind === 'param');
      assert.ok(Math.abs(again.grad!.grad - 0.157776) < 1e-12, String(again.grad?.grad));
      assert.strictEqual(again.update!.old, 1);
      // After a step, the step's own numbers again.
      s.runSync('step');
      const stepped = s.hoverInfo('w2');
      assert.ok(stepped && stepped.kind === 'param');
      assert.strictEqual(stepped.at, 'step');
      assert.strictEqual(stepped.update!.old, 1);
    });

    it('hover after train … every K shows the last epoch\'s step only when it was a snapshot', () => {
      const s = mazur();
      s.runSync('train 9 every 3');
      const last = s.hoverInfo('w5');
      assert.ok(last && last.kind === 'param' && last.update);
      assert.strictEqual(last.at, 'step');
      assert.strictEqual(last.update.new, s.value('w5'));
      s.runSync('train 5 every 2');
      // Epoch 14 is not a snapshot (12 is): old → new starts from the current weights, not epoch 11's.
      const h = s.hoverInfo('w5');
      assert.ok(h && h.kind === 'param' && h.update);
      assert.strictEqual(h.at, 'current');
      assert.strictEqual(h.update.old, s.value('w5'));
    });

    it('hover after train on the 2-2-2 network agrees with central differences of E', () => {
      const s = mazur();
      s.runSync('train 5');
      const h = s.hoverInfo('w5');
      assert.ok(h && h.kind === 'param' && h.grad && h.update);
      const w5 = s.value('w5')!;
      const loss = (v: number) => {
        const t = new Session();
        t.runSync(MAZUR_CELL);
        t.runSync('train 5');
        const f = t.runSync(`w5 = ${v}\nforward`).traces[0] as ForwardTrace;
        return f.loss.total;
      };
      const eps = 1e-6;
      const numeric = (loss(w5 + eps) - loss(w5 - eps)) / (2 * eps);
      assert.ok(Math.abs(h.grad.grad - numeric) < 1e-8, `${h.grad.grad} vs ${numeric}`);
      assert.strictEqual(h.update.old, w5);
      assert.ok(Math.abs(h.update.new - (w5 - 0.5 * numeric)) < 1e-8);
      // b1 is frozen: its update row says so and keeps the value.
      const b1 = s.hoverInfo('b1');
      assert.ok(b1 && b1.kind === 'param' && b1.update?.frozen && b1.update.new === 0.35);
    });

    it('hover gives a gradient for a parameter beyond those a trace lists (a bias after 5,050 weights)', () => {
      const cell = `input x[100]\nlayer h[50] tanh\nlayer y linear\ninit xavier seed 4\nbias b -> h[50] = 0.1\nloss half-sse\nrate 0.1\nsample ${Array.from({ length: 100 }, (_, i) => `x${i + 1}=${((i % 5) - 2) / 4}`).join(' ')} -> y=1\n`;
      const s = new Session();
      assert.deepStrictEqual(s.runSync(cell).errors, []);
      s.runSync('train 2');
      const h = s.hoverInfo('b');
      assert.ok(h && h.kind === 'param' && h.grad && h.update, 'b has hover gradient data');
      const b = s.value('b')!;
      const loss = (v: number) => {
        const t = new Session();
        t.runSync(cell);
        t.runSync('train 2');
        return (t.runSync(`b = ${v}\nforward`).traces[0] as ForwardTrace).loss.total;
      };
      const eps = 1e-6;
      const numeric = (loss(b + eps) - loss(b - eps)) / (2 * eps);
      assert.ok(Math.abs(h.grad.grad - numeric) <= 1e-6 * Math.max(1, Math.abs(numeric)), `${h.grad.grad} vs ${numeric}`);
      assert.strictEqual(h.grad.perSample[0].paths.length, 50, 'one path per neuron the bias feeds');
      assert.ok(Math.abs(h.update.new - (b - 0.1 * numeric)) < 1e-6);
    });

    it('commands without a network or samples say what is missing', () => {
      const s = new Session();
      const r = s.runSync('step');
      assert.deepStrictEqual(r.errors.map((e) => [e.code, e.args]), [['needs-network', { statement: 'step' }]]);
      assert.strictEqual(messageOf(r.errors[0]), "'step' needs a network: define one with 'input' and 'layer' lines first");
      const t = new Session();
      t.runSync(MAZUR_CELL.replace(/sample.*\n/, ''));
      assert.deepStrictEqual(t.runSync('forward').errors.map((e) => [e.code, e.args]), [['needs-samples', { statement: 'forward' }]]);
    });

    it('older samples that do not fit a new network are reported at the command that uses them', () => {
      const s = mazur();
      const r = s.runSync('input a b\nlayer o1 o2 sigmoid\ninit xavier\nforward');
      assert.ok(r.errors.length >= 1);
      assert.match(messageOf(r.errors[0]), /'i1' is not an input of the network.*earlier cell/);
      assert.ok(r.errors.every((e) => e.line === 4));
    });
  });

  describe('train', () => {
    it('trains N epochs with a loss curve of N + 1 points and final weights', () => {
      const s = mazur();
      const r = s.runSync('train 10');
      const t = r.traces[0] as TrainTrace;
      assert.strictEqual(t.kind, 'train');
      assert.strictEqual(t.epochsRun, 10);
      assert.strictEqual(t.epoch, 10);
      assert.strictEqual(t.lossCurve.length, 11);
      assert.deepStrictEqual(t.lossEpochs, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      close9(t.lossCurve[0], PUBLISHED.E, 'loss before the first epoch');
      assert.ok(t.lossCurve.every((v, i) => i === 0 || v < t.lossCurve[i - 1]), 'loss decreases');
      assert.strictEqual(t.final.find((f) => f.name === 'w5')!.before, 0.4);
      assert.strictEqual(t.final.find((f) => f.name === 'w5')!.value, s.value('w5'));
    });

    it('runs ten million epochs, with the loss curve thinned to a few thousand points', function () {
      this.timeout(120000);
      const s = new Session();
      s.runSync(LINEAR_CELL + 'rate 0.01\n');
      const t = s.runSync('train 10000000').traces[0] as TrainTrace;
      assert.strictEqual(t.epochsRun, 10_000_000);
      assert.ok(t.lossCurve.length <= 2001);
      // y = w·3 → 2 needs w = 2/3; gradient descent converges there.
      assert.ok(Math.abs(s.value('w')! - 2 / 3) < 1e-12);
    });

    it('`every K` keeps full step traces at every K-th epoch', () => {
      const s = mazur();
      const t = s.runSync('train 6 every 2').traces[0] as TrainTrace;
      assert.deepStrictEqual(t.snapshots.map((x) => x.epoch), [2, 4, 6]);
      const plain = mazur();
      plain.runSync('train 6');
      assert.strictEqual(s.value('w1'), plain.value('w1'), 'snapshots do not change the arithmetic');
    });

    for (const mode of ['batch', 'sample', 'minibatch 2']) {
      it(`step and train 1 give bitwise-identical weights (mode ${mode})`, () => {
        const cell = DATA_TABLE_CELL.replace('mode batch', `mode ${mode}`).replace('rate 0.00001', 'rate 0.0001');
        const a = new Session(); a.runSync(cell);
        const b = new Session(); b.runSync(cell);
        for (let k = 0; k < 3; k++) { a.runSync('step'); b.runSync('train 1'); }
        for (const n of ['w_x1_h1', 'w_x2_h1', 'w_x1_h2', 'w_x2_h2', 'w_h1_y', 'w_h2_y']) assert.ok(Object.is(a.value(n), b.value(n)), n);
      });
    }

    for (const mode of ['batch', 'sample', 'minibatch 2']) {
      it(`step and train 1 agree bitwise with shared, unfrozen biases over several samples (mode ${mode})`, () => {
        const cell = MAZUR_CELL.replace('freeze b1 b2', 'freeze w8').replace(/sample .*\n/, 'sample i1=0.05 i2=0.10 -> o1=0.01 o2=0.99\nsample i1=0.9 i2=-0.3 -> o1=0.5 o2=0.2\nsample i1=0.2 i2=0.7 -> o1=0.8 o2=0.1\n') + `mode ${mode}\n`;
        const a = new Session(); assert.deepStrictEqual(a.runSync(cell).errors, []);
        const b = new Session(); b.runSync(cell);
        a.runSync('step\nstep');
        b.runSync('train 1\ntrain 1');
        for (const n of ['w1', 'w5', 'w8', 'b1', 'b2']) assert.ok(Object.is(a.value(n), b.value(n)), n);
        assert.strictEqual(a.value('w8'), 0.55, 'frozen');
        assert.notStrictEqual(a.value('b1'), 0.35);
      });
    }

    it('divergence stops at that epoch with a clear message and keeps the last finite weights', () => {
      const s = new Session();
      // Each epoch multiplies the error by about 1 − 9·10⁶: the weights overflow within a few dozen epochs.
      assert.deepStrictEqual(s.runSync(LINEAR_CELL + 'rate 1e6\n').errors, []);
      const r = s.runSync('train 1000\nforward');
      const t = r.traces[0] as TrainTrace;
      assert.strictEqual(r.traces.length, 1, 'the cell stops at the diverged train');
      assert.strictEqual(t.stopped?.reason, 'diverged');
      assert.ok(t.epochsRun < 1000);
      assert.match(t.stopped!.message, /learning rate .* too high or the values overflowed/);
      assert.deepStrictEqual(r.errors.map((e) => e.code), ['diverged']);
      assert.deepStrictEqual(r.errors[0].args, { epoch: t.epoch + 1, rate: 1e6, kept: t.epoch });
      assert.strictEqual(r.errors[0].line, 1);
      for (const f of t.final) assert.ok(Number.isFinite(f.value));
      assert.ok(t.lossCurve.every((v) => !Number.isNaN(v)));
      // Weights can still be finite while their loss overflows: those are not "last good" either.
      assert.ok(Number.isFinite(t.loss.total), `the kept weights have a finite loss, not ${t.loss.total}`);
      assert.ok(t.lossCurve.every((v) => Number.isFinite(v)));
    });

    it('a step that overflows is refused the same way', () => {
      const s = new Session();
      s.runSync(LINEAR_CELL + 'rate 1e300\n');
      const r = s.runSync('step\nstep');
      assert.deepStrictEqual(r.errors.map((e) => [e.code, e.line, e.args]), [['diverged', 1, { epoch: 1, rate: 1e300, kept: 0 }]]);
      assert.match(messageOf(r.errors[0]), /^training stopped at epoch 1: .* the learning rate \(1e300\) is too high/);
      assert.strictEqual(s.value('w'), 0.5);
      assert.strictEqual(s.state().epoch, 0);
    });

    it('run() slices long training, reports progress and stops on cancel at a whole epoch', async () => {
      const s = mazur();
      const progress: number[] = [];
      let polls = 0;
      const r = await s.run('train 10000000\nforward', {
        sliceMs: 5,
        onProgress: (p) => progress.push(p.epoch),
        isCancelled: () => ++polls >= 3,
      });
      assert.strictEqual(r.interrupted, true);
      const t = r.traces[0] as TrainTrace;
      assert.strictEqual(r.traces.length, 1, 'the rest of the cell does not run after an interrupt');
      assert.strictEqual(t.stopped?.reason, 'interrupted');
      assert.ok(t.epochsRun > 0 && t.epochsRun < 10_000_000);
      assert.strictEqual(s.state().epoch, t.epochsRun);
      assert.ok(progress.length >= 3);
      // The kept weights are exactly those after epochsRun whole epochs.
      const replay = mazur();
      replay.runSync(`train ${t.epochsRun}`);
      assert.ok(Object.is(replay.value('w1'), s.value('w1')));
    });

    it('refuses work beyond the limit with a clear error instead of hanging', () => {
      const s = new Session();
      assert.deepStrictEqual(s.runSync('input x\nlayer h[1000] sigmoid\nlayer y linear\ninit xavier\nsample x=1 -> y=2\n').errors, []);
      const r = s.runSync('train 1000000000');
      assert.deepStrictEqual(r.errors.map((e) => e.code), ['command-over-work-limit']);
      // Even a tiny network has a per-epoch cost: a billion epochs would take many minutes.
      // The 2-2-2 network: 10 parameters, 1 sample → 3·1·10 + 1000 = 1030 per epoch; 3e11 / 1030 = 291,262,135.9.
      const [tiny] = mazur().runSync('train 1000000000').errors;
      assert.deepStrictEqual(tiny.args, { command: 'train', epochs: 1e9, work: 1e9 * 1030, samples: 1, params: 10, limit: 3e11, fit: 291_262_135 });
      assert.strictEqual(messageOf(tiny), 'train 1,000,000,000 is about 1.0e+12 multiply-adds of work (1 sample × 10 parameters), beyond the limit of 3e+11; train 291,262,135 is the most that fits');
      const [over] = mazur().runSync('train 2000000000').errors;
      assert.deepStrictEqual([over.code, over.args], ['too-many-epochs', { epochs: 2e9, limit: 1e9 }]);
      assert.match(messageOf(over), /more than the limit of 1,000,000,000 epochs/);
    });
  });

  describe('analyze', () => {
    it('reports parse errors without a session and leaves names alone', () => {
      assert.deepStrictEqual(analyze('step\ncheck\n  dE/dw5 = 0.1\n'), []);
      const d = analyze('rate fast');
      assert.strictEqual(d.length, 1);
      assert.strictEqual(d[0].line, 1);
      assert.strictEqual(d[0].column, 6);
    });
    it('checks names against the session\'s network without running anything', () => {
      const s = mazur();
      const d = analyze('freeze w9\nstep', s);
      assert.deepStrictEqual(d.map((x) => [x.code, x.args, x.line, x.column]), [['unknown-name', { what: 'parameter', name: 'w9', near: 'w1' }, 1, 8]]);
      assert.strictEqual(messageOf(d[0]), "unknown parameter 'w9' — did you mean 'w1'?");
      assert.strictEqual(s.value('w5'), 0.4);
    });
  });
});
