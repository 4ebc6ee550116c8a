import * as assert from 'assert';
import { ELEMENTWISE_NAMES, elementwise } from '../../../src/engine/math/activations';
import { mathText } from '../../../src/engine/present/notation';
import { net, out } from '../../../src/engine/present/formula';

/** Central difference of f at z. */
const slope = (f: (z: number) => number, z: number, h = 1e-6) => (f(z + h) - f(z - h)) / (2 * h);

const ACTIVATION_RECORDS = { sigmoid: elementwise('sigmoid')!, tanh: elementwise('tanh')!, relu: elementwise('relu')!, 'leaky-relu': elementwise('leaky-relu')!, linear: elementwise('linear')! };

describe('activation records', () => {
  it('values agree with hand-computed ones (Mazur: σ(0.3775) = 0.593269992)', () => {
    assert.ok(Math.abs(ACTIVATION_RECORDS.sigmoid.value(0.3775) - 0.593269992) < 1e-9);
    assert.strictEqual(ACTIVATION_RECORDS.sigmoid.value(0), 0.5);
    assert.ok(Math.abs(ACTIVATION_RECORDS.tanh.value(0.5) - 0.46211715726) < 1e-10);
    assert.strictEqual(ACTIVATION_RECORDS.relu.value(-2), 0);
    assert.strictEqual(ACTIVATION_RECORDS.relu.value(1.2), 1.2);
    assert.strictEqual(ACTIVATION_RECORDS['leaky-relu'].value(-2), -0.02);
    assert.strictEqual(ACTIVATION_RECORDS.linear.value(-3.5), -3.5);
  });

  it('every derivative, written through out, is the slope of the value (central differences)', () => {
    for (const name of ELEMENTWISE_NAMES) {
      const r = elementwise(name)!;
      for (const z of [-2.3, -0.4, 0.3775, 1.7]) {
        const a = r.value(z);
        assert.ok(Math.abs(r.derivative(z, a) - slope(r.value, z)) < 1e-6, `${name} at ${z}`);
      }
    }
  });

  it('no listed wrong derivative is the right one where students meet it, so a slip named is a slip', () => {
    for (const name of ELEMENTWISE_NAMES) {
      const r = elementwise(name)!;
      for (const w of r.wrongDerivatives) {
        const differs = [-1.3, 0.4, 0.9].some((z) => Math.abs(w.value(z, r.value(z)) - r.derivative(z, r.value(z))) > 1e-9);
        assert.ok(differs, `${name}: ${w.formula}`);
      }
    }
  });

  it('formula trees print as the textbooks write them', () => {
    assert.strictEqual(mathText(ACTIVATION_RECORDS.sigmoid.derivativeFormula(net('h1'), out('h1'))), 'out_h1 · (1 − out_h1)');
    assert.strictEqual(mathText(ACTIVATION_RECORDS.sigmoid.valueFormula!(net('h1'))), '1/(1 + e^(−net_h1))');
    assert.strictEqual(mathText(ACTIVATION_RECORDS.linear.derivativeFormula(net('y'), out('y'))), '1');
  });
});
