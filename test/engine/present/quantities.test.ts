/**
 * The notation layer's chains, one per trace quantity, in the textbook forms (worked by hand from the
 * definitions: E = ½Σ(t − o)² gives ∂E/∂o = o − t, E = (1/N)Σ(t − o)² gives 2(o − t)/N, …).
 */
import * as assert from 'assert';
import katex from 'katex';
import { eq, id, out, plus, type M } from '../../../src/engine/present/formula';
import { mathText, texParts } from '../../../src/engine/present/notation';
import { chain, elide, lossDefinition, MAX_TERMS, Notation } from '../../../src/engine/present/quantities';
import type { LossName, NeuronGrad } from '../../../src/engine/trace/schema';

const notation = new Notation(6);
const text = (c: M[]) => mathText(eq(...c));

/** An output neuron with out 0.75 and target 0.25 in a batch of n (values by hand for each loss). */
function output(loss: LossName, n: number, dE_dout: number): string {
  const g: NeuronGrad = { sample: 1, neuron: 'o', layer: 1, net: 1.0986, out: 0.75, dE_dout, dout_dnet: 0.1875, dE_dnet: dE_dout * 0.1875, lossDerivative: { target: 0.25, out: 0.75, scale: 0 } };
  return text(notation.dEdout(g, { name: loss, batchSize: n }));
}

describe('the notation of trace quantities', () => {
  it('writes ∂E/∂out of an output as the textbooks do for each loss', () => {
    assert.strictEqual(output('half-sse', 1, 0.5), '∂E/∂out_o = out_o − t_o = 0.75 − 0.25 = 0.5');
    assert.strictEqual(output('sse', 1, 1), '∂E/∂out_o = 2 · (out_o − t_o) = 2 · (0.75 − 0.25) = 1');
    assert.strictEqual(output('half-mse', 4, 0.125), '∂E/∂out_o = (out_o − t_o)/4 = (0.75 − 0.25)/4 = 0.125');
    assert.strictEqual(output('mse', 4, 0.25), '∂E/∂out_o = (2 · (out_o − t_o))/4 = (2 · (0.75 − 0.25))/4 = 0.25');
    // One sample: the mean conventions read as their sums.
    assert.strictEqual(output('half-mse', 1, 0.5), '∂E/∂out_o = out_o − t_o = 0.75 − 0.25 = 0.5');
  });

  it('writes ∂out/∂net by the activation\'s record, and a trivial one once', () => {
    const g: NeuronGrad = { sample: 1, neuron: 'h', layer: 1, net: 0, out: 0.5, dE_dout: 1, dout_dnet: 0.25, dE_dnet: 0.25 };
    assert.strictEqual(text(notation.doutDnet(g, 'sigmoid')), '∂out_h/∂net_h = out_h · (1 − out_h) = 0.5 · (1 − 0.5) = 0.25');
    assert.strictEqual(text(notation.doutDnet({ ...g, dout_dnet: 0.75 }, 'tanh')), '∂out_h/∂net_h = 1 − out_h² = 1 − 0.5² = 0.75');
    assert.strictEqual(text(notation.doutDnet({ ...g, dout_dnet: 1 }, 'linear')), '∂out_h/∂net_h = 1');
  });

  it('writes out by the record: σ(0) = 1/(1 + e^(−0)) = 0.5; a linear unit as out = net', () => {
    assert.strictEqual(text(notation.out('h', 'sigmoid', { net: 0, out: 0.5 })), 'out_h = σ(net_h) = 1/(1 + e^(−0)) = 0.5');
    assert.strictEqual(text(notation.out('h', 'relu', { net: -2, out: 0 })), 'out_h = relu(net_h) = max(0, -2) = 0');
    assert.strictEqual(text(notation.out('y', 'linear', { net: 3, out: 3 })), 'out_y = net_y = 3');
  });

  it('defines the loss from its record', () => {
    const loss = (name: LossName, batchSize: number) => mathText(lossDefinition({ name, scale: 0, batchSize, terms: [], total: 0 })!);
    assert.strictEqual(loss('half-sse', 1), 'E = ½ · Σ_outputs (t − out)²');
    assert.strictEqual(loss('mse', 3), 'E = 1/3 · Σ_samples Σ_outputs (t − out)²');
  });

  it(`cuts a sum of more than ${MAX_TERMS} terms to its first three, ⋯ and its last`, () => {
    assert.deepStrictEqual(elide([1, 2, 3, 4, 5, 6, 7, 8]), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepStrictEqual(elide([1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 2, 3, null, 9]);
  });

  it('drops a step of a chain that only repeats the one before', () => {
    const one = notation.n(1);
    assert.strictEqual(chain(id('a'), one, notation.n(1), one).length, 2);
    assert.strictEqual(chain(id('a'), one, id('b'), one).length, 4);
  });
});

describe('formulas in pieces (the renderer\'s hover keys)', () => {
  const isName = (m: M) => m.t === 'id' || m.t === 'of';

  it('makes each picked node a piece of its own and joins the rest', () => {
    const parts = texParts(plus(id('w5'), out('h1'), notation.n(0.5)), isName);
    assert.deepStrictEqual(parts.map((p) => [p.tex, p.node !== undefined]), [['w_{5}', true], ['+', false], ['\\mathit{out}_{h1}', true], ['+ 0.5', false]]);
  });

  it('gives pieces that typeset on their own, hostile names included', () => {
    for (const name of ['w5', 'w_x1_h1', '}\\href{javascript:alert(1)}{x}', '<img src=x onerror=alert(1)>']) {
      const g: NeuronGrad = { sample: 1, neuron: name, layer: 1, net: 0.1, out: 0.5, dE_dout: 1, dout_dnet: 0.25, dE_dnet: 0.25, downstream: [{ neuron: 'o', dE_dout: 1, dout_dnet: 1, weight: name, w: -2, product: -2 }] };
      for (const part of texParts(eq(...notation.dEdout(g, { name: 'half-sse', batchSize: 1 })), isName)) {
        const html = katex.renderToString(part.tex, { throwOnError: true, trust: false, strict: 'error' });
        assert.doesNotMatch(html, /<img|<script|<a |href=/);
      }
    }
  });
});
