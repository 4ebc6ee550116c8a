/** The student's symbols, compared after normalising their LaTeX spelling (docs/language.md). */
import * as assert from 'assert';
import { derivativeOf, normalizeSymbol } from '../../../src/engine/language/symbols';

describe('symbols: one symbol however it is spelt', () => {
  it('the spellings of the issue are one symbol each', () => {
    const same: string[][] = [
      ['z_1', 'z_{1}', 'z1', 'z₁', '$z_1$', 'z_{ 1 }'],
      ['\\hat{y}', 'ŷ', 'y_{hat}', '\\hat y', 'yhat'],
      ['\\theta^2_{11}', '\\theta_{11}^2', 'θ²₁₁', '\\theta_{11}^{2}'],
      ['h_1(\\text{in})', 'h_1(in)', 'h_1 ( \\mathrm{in} )'],
      ['outh_1', '\\text{outh}_1', 'outh1', 'out h_1', '\\text{out} h_1'],
      ['\\text{out} O_1', '\\text{out } O_1', 'out O_1', 'outO_1', '\\operatorname{out}O_1'],
      ['\\omega_5', 'ω₅', 'ω_5', '\\omega_{5}'],
      ['E_{\\text{tot}}', 'E_{tot}', 'E_tot', 'E_{\\mathrm{tot}}'],
      ['u_{5_{new}}', 'u_{5new}', 'u_{5 \\text{new}}'],
    ];
    for (const group of same) {
      const names = group.map(normalizeSymbol);
      assert.ok(names.every((n) => n === names[0]), `${group.join(' | ')} → ${names.join(' | ')}`);
    }
    assert.deepStrictEqual(['z_1', '\\theta^2_{11}', '\\hat{y}', 'h_1(\\text{in})', 'a_1^3'].map(normalizeSymbol), ['z1', 'theta11^2', 'yhat', 'h1(in)', 'a1^3']);
  });

  it('keeps apart what is written apart: case, sub- against superscript, other indices', () => {
    const apart = [['W_5', 'w_5'], ['a_1^2', 'a_{12}'], ['a_1^2', 'a_2^1'], ['z_1', 'z_2'], ['\\theta^1_{12}', '\\theta^2_{11}']];
    for (const [a, b] of apart) assert.notStrictEqual(normalizeSymbol(a), normalizeSymbol(b), `${a} and ${b}`);
    assert.strictEqual(normalizeSymbol('   '), undefined);
    assert.strictEqual(normalizeSymbol('x'.repeat(500)), undefined, 'a paste gone wrong is no symbol');
  });

  it('recognises derivatives however they are spelt, naming their two symbols', () => {
    const cases: [string, { of: string; by: string }][] = [
      ['\\frac{\\partial J}{\\partial \\omega_5}', { of: 'J', by: 'omega5' }],
      ['\\dfrac{dJ}{d\\hat{y}}', { of: 'J', by: 'yhat' }],
      ['\\frac{d \\text{ height}}{d \\text{ weight}}', { of: 'height', by: 'weight' }],
      ['dJ/dw_2', { of: 'J', by: 'w2' }],
      ['∂J/∂w₂', { of: 'J', by: 'w2' }],
      ['\\frac{\\partial \\text{out} O_1}{\\partial O_1}', { of: 'outO1', by: 'O1' }],
      ['\\frac{\\partial a_1^3}{\\partial z_1^2}', { of: 'a1^3', by: 'z1^2' }],
    ];
    for (const [text, d] of cases) assert.deepStrictEqual(derivativeOf(text), d, text);
    // ∂ read as 2, a fraction of symbols, a quotient of numbers: no derivative.
    for (const text of ['\\frac{2E_{tot}}{2u_5}', '\\frac{d_1}{d_2}', '\\frac{a}{b}', '\\frac{\\delta E}{\\delta w}', 'x/y']) assert.strictEqual(derivativeOf(text), undefined, text);
  });
});
