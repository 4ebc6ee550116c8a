// How classification and the optimizers are written, as the printers and the renderer both show it.
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBpnb } from '../../../src/engine/file/bpnb';
import { tracesToMarkdown } from '../../../src/engine/present/markdown';
import { assertMathTypesets } from './katex';
import { Session } from '../../../src/engine/session';
import { TraceLookups } from '../../../src/engine/trace/lookups';
import type { StepTrace } from '../../../src/engine/trace/schema';
import { decayChain, jacobianRule, neuronChains, optimizerRow, optimizerRule, outChain } from '../../../src/engine/present/classification';
import { Notation } from '../../../src/engine/present/quantities';
import { mathText } from '../../../src/engine/present/notation';
import { eq } from '../../../src/engine/present/formula';
import { traceToText } from '../../../src/engine/present/text';
import { MAZUR_CELL, SOFTMAX_CELL } from '../fixtures';

const text = (c: ReturnType<typeof outChain>) => mathText(eq(...c));

function stepOf(...cells: string[]): StepTrace {
  const s = new Session();
  let t: StepTrace | undefined;
  for (const c of cells) { const r = s.runSync(c); assert.deepStrictEqual(r.errors, []); t = r.traces.find((x): x is StepTrace => x.kind === 'step') ?? t; }
  return t!;
}

describe('notation of classification', () => {
  const t = stepOf(SOFTMAX_CELL, 'step');
  const n = new Notation(6);
  const u = t.updates[0];

  it('softmax: each out with its normalisation, the powers worked out', () => {
    const look = new TraceLookups(t);
    const v = look.value(u.forward[0], 'o2')!;
    assert.strictEqual(text(outChain(n, look, u.forward[0], 'o2', 'softmax', v)),
      // By hand: e^0.194027 = 1.21413, e^0.367843 = 1.44462, e^−0.167292 = 0.845952.
      'out_o2 = e^net_o2/(e^net_o1 + e^net_o2 + e^net_o3) = 1.21413/(1.44462 + 1.21413 + 0.845952) = 0.346429');
    // Nets beyond what e^net can hold: the nets are written instead of the powers.
    const big = { ...u.forward[0], layers: u.forward[0].layers.map((l, i) => (i === 2 ? { net: [800, 1, 0], out: [1, 0, 0] } : l)) };
    assert.strictEqual(text(outChain(n, look, big, 'o2', 'softmax', { net: 1, out: 0 })),
      'out_o2 = e^net_o2/(e^net_o1 + e^net_o2 + e^net_o3) = e^1/(e^800 + e^1 + e^0) = 0');
  });

  it('the Jacobian column, its sum with ∂E/∂out, and the simplification that agrees with it', () => {
    const g = u.neurons.find((x) => x.neuron === 'o1')!;
    const c = neuronChains(n, g, u.loss, 'softmax');
    assert.deepStrictEqual(c.dout.map(text), [
      '∂out_o1/∂net_o1 = out_o1 · (1 − out_o1) = 0.412194 · (1 − 0.412194) = 0.24229',
      '∂out_o2/∂net_o1 = −out_o2 · out_o1 = −0.346429 · 0.412194 = -0.142796',
      '∂out_o3/∂net_o1 = −out_o3 · out_o1 = −0.241377 · 0.412194 = -0.099494',
    ]);
    assert.strictEqual(text(c.dnet[0]), '∂E/∂net_o1 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 + ∂E/∂out_o2 · ∂out_o2/∂net_o1 + ∂E/∂out_o3 · ∂out_o3/∂net_o1'
      + ' = 0 × 0.24229 + (-2.88659 × (-0.142796)) + 0 × (-0.099494) = 0.412194');
    assert.strictEqual(text(c.simplified!.chain), '∂E/∂net_o1 = out_o1 − t_o1 = 0.412194 − 0 = 0.412194');
    assert.match(c.simplified!.note, /softmax with cross-entropy: .*the same value/);
    assert.strictEqual(mathText(jacobianRule('softmax')!), '∂out_k/∂net_j = out_k · (δ_kj − out_j)');
    assert.strictEqual(jacobianRule('sigmoid'), undefined);
  });

  it('sigmoid with bce: the general route, then out − t beside it', () => {
    const s = stepOf('input x\nlayer y sigmoid\nw x -> y = 0.5\nloss bce\nsample x=2 -> y=1', 'step');
    const g = s.updates[0].neurons[0];
    const c = neuronChains(n, g, s.updates[0].loss, 'sigmoid');
    // By hand: out = σ(1) = 0.731059, ∂E/∂out = −1/0.731059 = −1.36788, σ′ = 0.196612, their product −0.268941 = out − 1.
    assert.strictEqual(text(c.dnet[0]), 'δ_y = ∂E/∂net_y = -1.36788 × 0.196612 = -0.268941');
    assert.strictEqual(text(c.simplified!.chain), '∂E/∂net_y = out_y − t_y = 0.731059 − 1 = -0.268941');
  });

  it('the update table of momentum and of Adam: the state and the formula used', () => {
    const m = stepOf(MAZUR_CELL, 'optimizer momentum 0.9', 'step', 'step');
    const mu = m.updates[0];
    const w5 = optimizerRow(n, m.network, mu, mu.updates.find((r) => r.name === 'w5')!)!;
    assert.match(text(w5.state[0]), /^v' = β · v \+ g = 0\.9 · 0\.082167 \+ 0\.0[0-9]+ = 0\.1[0-9]+$/);
    assert.match(text(w5.value), /^p' = p − η · v' = 0\.358916 − 0\.5 · 0\.1[0-9]+ = 0\.2[0-9]+$/);
    assert.deepStrictEqual(optimizerRule(n, m.network, mu)!.settings.map((x) => mathText(x)), ['η = 0.5', 'β = 0.9']);
    const a = stepOf(MAZUR_CELL, 'optimizer adam\nrate 0.01', 'step');
    const au = a.updates[0];
    const row = optimizerRow(n, a.network, au, au.updates.find((r) => r.name === 'w5')!)!;
    assert.deepStrictEqual(row.state.map(text), [
      "m' = β₁ · m + (1 − β₁) · g = 0.9 · 0 + (1 − 0.9) · 0.082167 = 0.0082167",
      "v' = β₂ · v + (1 − β₂) · g² = 0.999 · 0 + (1 − 0.999) · 0.082167² = 6.75142e-6",
      "m̂ = m'/(1 − β₁^t) = 0.0082167/(1 − 0.9^1) = 0.082167",
      "v̂ = v'/(1 − β₂^t) = 6.75142e-6/(1 − 0.999^1) = 0.00675142",
    ]);
    assert.strictEqual(text(row.value), "p' = p − η · m̂/(√v̂ + ε) = 0.4 − 0.01 · 0.082167/(√0.00675142 + 1e-8) = 0.39");
    assert.strictEqual(optimizerRule(n, stepOf(MAZUR_CELL, 'step').network, au), undefined, 'sgd: as before');
  });

  it('the decay in the loss table and in a weight\'s gradient', () => {
    const d = stepOf(MAZUR_CELL, 'decay 0.01', 'step');
    assert.strictEqual(text(decayChain(n, d.updates[0].loss)!), 'λ/2 · Σ_w w² = 0.01/2 · 1.13 = 0.00565');
    const out = traceToText(d);
    assert.match(out, /∂E\/∂w5 = ∂E\[1\]\/∂w5 \+ λ · w5/);
    assert.match(out, /0\.0821670 \+ 0\.01 × 0\.4|0\.082167 \+ 0\.01 × 0\.4/);
  });
});

describe('the classification examples as Markdown', () => {
  for (const name of ['softmax-2-3-3.bpnb', 'logistic-regression-bce.bpnb', 'momentum-and-adam.bpnb']) {
    it(`${name}: every formula typesets with KaTeX (strict), and the Jacobian, decay or state is in it`, () => {
      const s = new Session();
      const cells = readBpnb(readFileSync(join(__dirname, '..', '..', '..', 'examples', name))).cells.filter((c) => c.kind === 'code');
      const md = cells.map((c) => tracesToMarkdown(s.runSync(c.source).traces)).join('\n');
      assert.ok(assertMathTypesets(md) > 50);
      assert.match(md, name.startsWith('softmax') ? /\\delta_\{kj\}/ : name.startsWith('logistic') ? /\\lambda/ : /\\hat\{m\}/);
    });
  }
});
