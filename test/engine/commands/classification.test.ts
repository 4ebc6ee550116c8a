// Classification and the optimizers through the notebook: the 2-3-3 softmax example worked by hand,
// `check` naming the chapter's slips, the optimizer's state across cells, the validations, and log 0.
// The expected numbers were computed independently of the engine (a plain Python script of the
// textbook formulas: softmax, −Σ t ln out, its Jacobian, the chain rule) and are written here.
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBpnb } from '../../../src/engine/file/bpnb';
import { Session } from '../../../src/engine/session';
import type { CheckTrace, StepTrace, TrainTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL, SOFTMAX_CELL } from '../fixtures';


/** The worked example, by hand (see the header). */
const HAND = {
  out: [0.4121940647172406, 0.34642922213738375, 0.2413767131453756],
  E: 1.0600767463329148,
  dEdoutO2: -2.8865925161573958,
  jacobian12: -0.14279606920964008,
  dEdnet: [0.41219406471724057, -0.6535707778626162, 0.24137671314537557],
  dEdoutH: [-0.0382495436292397, -0.2955917814594195, 0.4263059370319427],
  dEdw7: 0.24180028428852096, dEdw10: -0.3833961073608841, dEdw1: -0.004637707345445045,
  w7after: 0.1790998578557395,
};

function run(...cells: string[]): { s: Session; last: ReturnType<Session['runSync']> } {
  const s = new Session();
  let last = s.runSync(cells[0]);
  for (const c of cells) { if (c !== cells[0]) last = s.runSync(c); assert.deepStrictEqual(last.errors.filter((e) => e.severity !== 'warning'), [], c); }
  return { s, last };
}

const checkOf = (r: ReturnType<Session['runSync']>) => r.traces.find((t): t is CheckTrace => t.kind === 'check')!;
const errorCodes = (r: ReturnType<Session['runSync']>) => r.errors.map((e) => e.code);

describe('classification through the notebook', () => {
  describe('the 2-3-3 softmax classifier, one step by hand', () => {
    it('step writes out the forward pass, the Jacobian, the simplification and the update, with the hand-computed numbers', () => {
      const { last } = run(SOFTMAX_CELL, 'step');
      const t = last.traces[0] as StepTrace;
      const u = t.updates[0];
      u.forward[0].layers[2].out.forEach((o, k) => assert.ok(Math.abs(o - HAND.out[k]) < 1e-15, `out(o${k + 1})`));
      assert.ok(Math.abs(u.loss.total - HAND.E) < 1e-14);
      const o1 = u.neurons.find((g) => g.neuron === 'o1')!;
      assert.deepStrictEqual(o1.jacobian!.map((j) => j.neuron), ['o1', 'o2', 'o3']);
      assert.ok(Math.abs(o1.jacobian![1].dout_dnet - HAND.jacobian12) < 1e-15, '∂out_o2/∂net_o1');
      assert.ok(Math.abs(o1.jacobian!.reduce((s, x) => s + x.product, 0) - HAND.dEdnet[0]) < 1e-15, 'the Jacobian route');
      assert.ok(Math.abs(o1.simplified!.value - HAND.dEdnet[0]) < 1e-15, 'the simplification out − t');
      u.neurons.filter((g) => g.layer === 1).forEach((g, j) => assert.ok(Math.abs(g.dE_dout - HAND.dEdoutH[j]) < 1e-15, `∂E/∂out(h${j + 1})`));
      const grad = (n: string) => u.grads.find((g) => g.name === n)!.grad;
      assert.ok(Math.abs(grad('w7') - HAND.dEdw7) < 1e-15 && Math.abs(grad('w10') - HAND.dEdw10) < 1e-15 && Math.abs(grad('w1') - HAND.dEdw1) < 1e-16);
      assert.ok(Math.abs(u.updates.find((r) => r.name === 'w7')!.new - HAND.w7after) < 1e-15);
      assert.strictEqual(u.grads.find((g) => g.name === 'w7')!.perSample[0].paths[0].dE_dnet, o1.dE_dnet);
    });

    it('check after the step: every right number ✓, a Jacobian entry included', () => {
      const { last } = run(SOFTMAX_CELL, 'step', `check
  E = 1.06007675
  dE/dout(o2) = -2.88659252
  dout(o1)/dnet(o2) = -0.142796069
  dE/dnet(o1) = 0.412194065
  dE/dout(h3) = 0.426305937
  dE/dw7 = 0.241800284
  dE/dw1 = -0.00463770735
  w7' = 0.179099858`);
      const c = checkOf(last);
      assert.deepStrictEqual(c.lines.filter((l) => !l.ok).map((l) => l.quantity), []);
      assert.strictEqual(c.stepEpoch, 1);
    });

    it('check names the chapter\'s slips, each from its concept record', () => {
      const { last } = run(SOFTMAX_CELL, 'step', `check
  E = 0.4604
  E = -1.0601
  dE/dnet(o1) = 0.0000
  dE/dw7 = 0.0000
  dE/dout(o2) = -0.6536
  dE/dout(o2) = 2.8866`);
      const d = checkOf(last).lines.map((l) => l.diagnosis ?? '');
      assert.match(d[0], /log₁₀ used for ln/);
      assert.match(d[1], /sign flipped.*minus sign/);
      assert.match(d[2], /cross terms of the softmax Jacobian left out/);
      assert.match(d[3], /follows from the wrong factor you wrote, dE\/dnet\(o1\) = 0/, 'the wrong factor written above, carried');
      assert.match(d[4], /out − t used for ∂E\/∂out/);
      assert.match(d[5], /sign flipped/);
      // On its own, the gradient's slip is named from the activation record, carried through the chain rule.
      const alone = checkOf(run(SOFTMAX_CELL, 'step', 'check\n  dE/dw7 = 0.0000\n  dE/dw1 = -0.007924').last).lines;
      assert.match(alone[0].diagnosis!, /cross terms of the softmax Jacobian left out/);
      // By hand, cross terms left out: ∂E/∂net = (0, −0.65357, 0), so ∂E/∂out(h1) = −0.65357·0.1 and ∂E/∂w1 = that · σ′(0.35) · 0.5.
      assert.match(alone[1].diagnosis!, /cross terms of the softmax Jacobian left out/);
    });

    it('out − t used without the softmax: a sigmoid output under cross-entropy', () => {
      const cell = SOFTMAX_CELL.replace('o3 softmax', 'o3 sigmoid');
      const { s } = run(cell);
      // By hand: out(o1) = σ(0.3678431346626751) = 0.590939…, ∂E/∂out(o1) = −0/out = 0, so ∂E/∂net(o1) = 0, not out − t.
      const r = s.runSync('check\n  dE/dnet(o1) = 0.5909');
      assert.match(checkOf(r).lines[0].diagnosis ?? '', /out − t used without the softmax/);
    });
  });

  describe('the optimizers', () => {
    it('momentum by hand on the 2-2-2 example: v(w5) = ∂E/∂w5 after one step, w5′ = w5 − η·v; check names the sign slip', () => {
      const { s, last } = run(MAZUR_CELL, 'optimizer momentum 0.9', 'step', `check
  v(w5) = 0.082167041
  w5' = 0.35891648
  w5' = 0.44108352`);
      const lines = checkOf(last).lines;
      assert.deepStrictEqual(lines.map((l) => l.ok), [true, true, false]);
      assert.match(lines[2].diagnosis!, /momentum with the sign flipped/);
      // The second step: v = 0.9·v₁ + g₂ — the state carried over from the cell before.
      const g1 = 0.082167041;
      const before = s.value('w5')!;
      const r = s.runSync('step');
      const row = (r.traces[0] as StepTrace).updates[0].updates.find((u) => u.name === 'w5')!;
      assert.ok(Math.abs(row.v!.before - g1) < 1e-9);
      assert.ok(Math.abs(row.v!.after - (0.9 * row.v!.before + row.grad)) < 1e-16);
      assert.ok(Math.abs(s.value('w5')! - (before - 0.5 * row.v!.after)) < 1e-16);
    });

    it('Adam: the first step moves every parameter by about η (m̂ = g, v̂ = g²); check names the missing bias correction', () => {
      const { last } = run(MAZUR_CELL, 'optimizer adam\nrate 0.01', 'step', `check
  m(w5) = 0.0082167041
  v(w5) = 0.0000067514
  w5' = 0.39
  w5' = 0.3684`);
      const lines = checkOf(last).lines;
      assert.deepStrictEqual(lines.map((l) => l.ok), [true, true, true, false]);
      // Without the correction: 0.4 − 0.01·(0.1·g)/(√(0.001·g²) + ε) = 0.4 − 0.01·0.1/√0.001 = 0.36838.
      assert.match(lines[3].diagnosis!, /Adam without bias correction/);
    });

    it('the state persists across step and train cells, train N is N steps bitwise, reset and a new optimizer clear it', () => {
      const a = run(MAZUR_CELL, 'optimizer adam\nrate 0.05', 'step', 'step', 'train 3').s;
      const b = run(MAZUR_CELL, 'optimizer adam\nrate 0.05', 'train 5').s;
      for (const n of ['w1', 'w5', 'w8']) assert.strictEqual(a.value(n), b.value(n), n);
      const m = (s: Session) => checkOf(s.runSync('check\n  m(w5) = 0')).lines[0].exact;
      assert.strictEqual(m(a), m(b));
      a.runSync('reset');
      assert.strictEqual(m(a), 0);
      b.runSync('optimizer adam');
      assert.strictEqual(m(b), 0);
      assert.strictEqual(b.value('w5') === 0.4, false, 'a new optimizer keeps the weights');
    });

    it('v(w5) under sgd and m(w5) under momentum are errors at the line, before anything runs', () => {
      const s = run(MAZUR_CELL).s;
      assert.deepStrictEqual(errorCodes(s.runSync('check\n  v(w5) = 0')), ['no-optimizer-state']);
      assert.deepStrictEqual(errorCodes(s.runSync('optimizer momentum 0.9\ncheck\n  m(w5) = 0')), ['no-optimizer-state']);
      assert.deepStrictEqual(errorCodes(s.runSync('optimizer momentum 0.9\ncheck\n  v(w5) = 0')), []);
    });
  });

  describe('decay', () => {
    it('E gains (λ/2)·Σ w² over the weights only, ∂E/∂w gains λ·w, ∂E/∂b nothing; check names λ for λ/2 and L2 on a bias', () => {
      const plain = run(MAZUR_CELL.replace('freeze b1 b2', '')).s;
      const dec = run(MAZUR_CELL.replace('freeze b1 b2', ''), 'decay 0.01').s;
      const exact = (s: Session, q: string) => checkOf(s.runSync(`check\n  ${q} = 0`)).lines[0].exact;
      // Σ w² of w1 … w8 = 0.15² + 0.2² + 0.25² + 0.3² + 0.4² + 0.45² + 0.5² + 0.55² = 1.13, by hand.
      assert.ok(Math.abs(exact(dec, 'E') - exact(plain, 'E') - 0.005 * 1.13) < 1e-15);
      assert.ok(Math.abs(exact(dec, 'dE/dw5') - exact(plain, 'dE/dw5') - 0.01 * 0.4) < 1e-16);
      assert.strictEqual(exact(dec, 'dE/db2'), exact(plain, 'dE/db2'));
      const E = exact(dec, 'E');
      const g5 = exact(dec, 'dE/dw5');
      const gb = exact(dec, 'dE/db2');
      const r = dec.runSync(`check\n  E = ${(E + 0.005 * 1.13).toFixed(9)}\n  dE/dw5 = ${(g5 + 0.004).toFixed(9)}\n  dE/db2 = ${(gb + 0.006).toFixed(9)}`);
      const d = checkOf(r).lines.map((l) => l.diagnosis ?? '');
      assert.match(d[0], /λ instead of λ\/2/);
      assert.match(d[1], /λ instead of λ\/2/);
      assert.match(d[2], /L2 applied to the bias/);
      const t = dec.runSync('forward').traces[0];
      assert.ok(t.kind === 'forward' && Math.abs(t.loss.decay!.sumSquares - 1.13) < 1e-15);
    });
  });

  describe('what the classification losses ask of a network and its samples', () => {
    it('softmax on a hidden layer, bce on linear outputs, targets outside [0, 1], cross-entropy targets that do not sum to 1', () => {
      const s = new Session();
      assert.deepStrictEqual(errorCodes(s.runSync('input x\nlayer h softmax\nlayer y sigmoid\nw1 x -> h = 1\nw2 h -> y = 1')), ['softmax-not-last']);
      const linear = 'input x\nlayer y linear\nw x -> y = 0.5\nsample x=1 -> y=1\n';
      assert.deepStrictEqual(errorCodes(s.runSync(`${linear}loss bce`)), ['loss-needs-unit-outputs']);
      s.runSync(`${linear}`);
      s.runSync('loss half-sse');
      assert.deepStrictEqual(errorCodes(s.runSync('loss bce\nforward')), ['loss-needs-unit-outputs'], 'at the loss line, once');
      const sig = 'input x\nlayer y1 y2 sigmoid\nw1 x -> y1 = 0.5\nw2 x -> y2 = 0.5\n';
      const bad = new Session();
      const r = bad.runSync(`${sig}loss bce\nsample x=1 -> y1=1 y2=1.5\nforward`);
      assert.deepStrictEqual(errorCodes(r), ['target-outside-unit']);
      assert.deepStrictEqual(r.errors[0].args, { loss: 'bce', sample: 1, target: 'y2', value: 1.5 });
      assert.strictEqual(r.errors[0].line, 6, 'at the sample');
      const ce = bad.runSync(`${sig}loss cross-entropy\nsample x=1 -> y1=1 y2=1\nforward`);
      assert.deepStrictEqual(errorCodes(ce), ['targets-not-distribution']);
      assert.deepStrictEqual(errorCodes(bad.runSync(`${sig}loss bce\nsample x=1 -> y1=1 y2=1\nforward`)), [], 'bce: each in [0, 1] is enough');
    });

    it('the new statements parse and say what is wrong with them', () => {
      const s = new Session();
      const codes = (text: string) => errorCodes(s.runSync(text));
      assert.deepStrictEqual(codes('optimizer adan'), ['unknown-optimizer']);
      assert.deepStrictEqual(codes('optimizer momentum'), ['expected']);
      assert.deepStrictEqual(codes('optimizer momentum 1'), ['optimizer-setting-range']);
      assert.deepStrictEqual(codes('optimizer adam 0.9 0.999 0'), ['optimizer-setting-range']);
      assert.deepStrictEqual(codes('optimizer adam 0.9 0.999 1e-8 3'), ['unexpected-trailing']);
      assert.deepStrictEqual(codes('decay -0.1'), ['decay-negative']);
      assert.deepStrictEqual(codes('optimizer adam 0.8\ndecay 0'), []);
      assert.deepStrictEqual(s.state().optimizer, { name: 'adam', beta1: 0.8, beta2: 0.999, eps: 1e-8 });
    });
  });

  describe('log 0', () => {
    // σ(40) rounds to exactly 1 in double precision: under bce with the target 0, ln(1 − out) = ln 0.
    const SATURATED = 'input x\nlayer y sigmoid\nw x -> y = 40\nloss bce\nsample x=1 -> y=0\n';

    it('forward, step, train, check and gradcheck stop with the error at their line, naming the sample and the output', () => {
      for (const command of ['forward', 'step', 'train 10', 'gradcheck', 'check\n  E = 1']) {
        const s = run(SATURATED).s;
        const r = s.runSync(`digits 6\n${command}`);
        assert.deepStrictEqual(errorCodes(r), ['log-of-zero'], command);
        assert.strictEqual(r.errors[0].line, 2);
        assert.deepStrictEqual([r.errors[0].args.sample, r.errors[0].args.neuron, r.errors[0].args.out], [1, 'y', 1]);
        assert.ok(r.traces.every((t) => t.kind === 'message'), `${command}: no table with an infinite loss`);
        assert.strictEqual(s.value('w'), 40);
      }
    });

    it('a train that reaches ln 0 keeps the last weights with a finite loss and says at which epoch', () => {
      // By hand: at w = 0 each out is ½ and ∂E/∂w1 = Σ (out − t)·x = 3·½ − 2 = −½, so one epoch at η = 2000
      // makes w1 = 1000, w2 = −1000: out(y2) = e^−2000 / (…) is exactly 0, and the third sample's target is y2.
      const s = run('input x\nlayer y1 y2 softmax\nw1 x -> y1 = 0\nw2 x -> y2 = 0\nloss cross-entropy\nrate 2000\n'
        + 'sample x=1 -> y1=1 y2=0\nsample x=1 -> y1=1 y2=0\nsample x=1 -> y1=0 y2=1\n').s;
      const r = s.runSync('train 5');
      assert.deepStrictEqual(errorCodes(r), ['log-of-zero']);
      assert.deepStrictEqual([r.errors[0].args.epoch, r.errors[0].args.kept, r.errors[0].args.sample, r.errors[0].args.neuron], [1, 0, 3, 'y2']);
      assert.strictEqual(s.value('w1'), 0, 'the weights of epoch 0');
      const t = r.traces.find((x): x is TrainTrace => x.kind === 'train')!;
      assert.strictEqual(t.epochsRun, 0);
      assert.ok(t.lossCurve.every(Number.isFinite));
      const step = s.runSync('step');
      assert.deepStrictEqual(errorCodes(step), ['log-of-zero']);
      assert.strictEqual(s.value('w1'), 0);
    });
  });
});

describe('the classification examples say what their Markdown says', () => {
  const cellsOf = (name: string) => readBpnb(readFileSync(join(__dirname, '..', '..', '..', 'examples', name))).cells
    .filter((c) => c.kind === 'code').map((c) => c.source);
  /** Every check line of the file in order: whether it passed, and its diagnosis. */
  const checks = (name: string) => {
    const s = new Session();
    return cellsOf(name).flatMap((cell) => {
      const r = s.runSync(cell);
      assert.deepStrictEqual(r.errors.filter((e) => e.severity !== 'warning'), [], cell);
      return r.traces.flatMap((t) => (t.kind === 'check' ? t.lines.map((l) => [l.ok, l.diagnosis ?? '']) : []));
    });
  };

  it('softmax-2-3-3.bpnb: the numbers by hand all ✓, then each of the student\'s slips named', () => {
    const lines = checks('softmax-2-3-3.bpnb');
    assert.ok(lines.slice(0, 11).every(([ok]) => ok));
    const slips = lines.slice(11).map(([ok, d]) => (ok ? 'ok' : d));
    [/log₁₀ used for ln/, /sign flipped/, /cross terms of the softmax Jacobian left out/, /cross terms of the softmax Jacobian left out/, /out − t used for ∂E\/∂out/]
      .forEach((re, i) => assert.match(String(slips[i]), re));
  });

  it('logistic-regression-bce.bpnb: the step by hand ✓, then log₁₀, λ for λ/2, L2 on the bias, λ for λ/2 in w1′', () => {
    const lines = checks('logistic-regression-bce.bpnb');
    assert.ok(lines.slice(0, 8).every(([ok]) => ok));
    [/log₁₀ used for ln/, /λ instead of λ\/2/, /L2 applied to the bias/, /λ instead of λ\/2/].forEach((re, i) => assert.match(String(lines[8 + i][1]), re));
  });

  it('momentum-and-adam.bpnb: v, m and w′ by hand ✓; the sign flipped, dampening and the missing bias correction named', () => {
    const lines = checks('momentum-and-adam.bpnb');
    assert.deepStrictEqual(lines.map(([ok]) => ok), [true, true, false, false, true, true, true, false]);
    assert.match(String(lines[2][1]), /momentum with the sign flipped/);
    assert.match(String(lines[3][1]), /dampened momentum/);
    assert.match(String(lines[7][1]), /Adam without bias correction/);
  });
});

describe('check of a softmax Jacobian entry written wrong', () => {
  it('gets an answer, not a crash: no elementwise derivative to blame (found by the fuzz test)', () => {
    const s = new Session();
    s.runSync(SOFTMAX_CELL);
    const r = s.runSync('check\n  dout(o2)/dnet(o2) = 0.5\n  dout(o1)/dnet(o2) = 0.142796');
    assert.deepStrictEqual(r.errors, []);
    const lines = (r.traces[0] as CheckTrace).lines;
    assert.deepStrictEqual(lines.map((l) => l.ok), [false, false]);
    assert.match(lines[1].diagnosis!, /sign flipped/);
  });
});
