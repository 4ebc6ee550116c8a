import * as assert from 'assert';
import { d, E, eq, id, mathTex, mathText, minus, num, out, plus, texName, texNumber, times } from '../../../src/engine/format/math';

describe('formula printing', () => {
  it('puts negative factors and terms in parentheses, not "+ -"', () => {
    const m = eq(plus(times(num(0.741365, 6), num(0.4, 6)), times(num(-0.217072, 6), num(0.5, 6))), num(0.186, 6));
    assert.strictEqual(mathText(m), '0.741365 × 0.4 + (-0.217072 × 0.5) = 0.186');
    assert.strictEqual(mathText(times(num(2, 6), num(-3, 6))), '2 × (-3)');
    assert.strictEqual(mathText(minus(num(1, 6), plus(id('a'), id('b')))), '1 − (a + b)');
    assert.strictEqual(mathText(times(plus(id('a'), id('b')), id('c'))), '(a + b) × c');
  });

  it('rounds numbers to the given significant digits', () => {
    assert.strictEqual(mathText(num(0.082167041, 6)), '0.082167');
    assert.strictEqual(mathText(num(0.082167041, 3)), '0.0822');
    assert.strictEqual(texNumber(3.5e-7, 6), '3.5 \\times 10^{-7}');
  });

  it('spells names as TeX without letting anything else in', () => {
    assert.strictEqual(texName('w5'), 'w_{5}');
    assert.strictEqual(texName('out'), '\\mathit{out}');
    assert.strictEqual(texName('w_x1_h1'), '\\mathrm{w\\_x1\\_h1}');
    // Not a name (a tampered trace): kept as text, every TeX special escaped, so no macro can run.
    assert.strictEqual(texName('a}\\href{x'), '\\text{a\\}\\textbackslash{}href\\{x}');
    assert.strictEqual(texName('<img>'), '\\text{\\textless{}img\\textgreater{}}');
    assert.strictEqual(mathTex(d(E, out('o1'))), '\\frac{\\partial E}{\\partial \\mathit{out}_{o_{1}}}');
  });
});
