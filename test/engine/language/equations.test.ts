/** The expression parser of equation chains: values worked out by hand, errors with their place, bounds. */
import * as assert from 'assert';
import { evaluate, leaves, literal, shape } from '../../../src/engine/language/arithmetic';
import { MAX_EQUATION_DEPTH, MAX_EQUATION_LENGTH, parseExpression, type Expr } from '../../../src/engine/language/equations';

const parse = (s: string): Expr => {
  const e = parseExpression(s, 0, s.length);
  assert.ok(!('code' in e), `${s}: ${JSON.stringify(e)}`);
  return e;
};
const value = (s: string) => evaluate(parse(s));
const error = (s: string) => {
  const e = parseExpression(s, 0, s.length);
  assert.ok('code' in e, `${s} parses`);
  return e;
};

describe('equations: arithmetic as notes write it', () => {
  it('evaluates plain and LaTeX arithmetic (values by hand)', () => {
    const cases: [string, number][] = [
      ['0.05 * 0.15 + 0.10 * 0.25 + 0.35', 0.3825], // 0.0075 + 0.025 + 0.35
      ['(0,15 \\cdot 0,05) + (0,25 \\cdot 0,1) + 0,35', 0.3825],
      ['\\frac{1}{2} (0.751 - 0.01)^2', 0.2745405], // 0.741² = 0.549081, halved
      ['\\frac12 (0.751 − 0.01)²', 0.2745405],
      ['0,594(1-0,594)', 0.241164], // 0.594 · 0.406
      ['(0.0554 - 0.0190) 0.0121', 0.00044044], // 0.0364 · 0.0121
      ['0.4 \\times 0.5 \\div 0.25', 0.8],
      ['6 ÷ 3 · 2', 4],
      ['\\left( 1 + 2 \\right) \\times 3', 9],
      ['\\frac{1}{1 + e^{-0}}', 0.5],
      ['\\exp(0) + \\sqrt{16} + \\ln(1)', 5],
      ['2^{-1} + 2^{2-1}', 2.5],
      ['-2^2', -4],
      ['3 - -2', 5],
      ['2 \\times \\frac{1}{2} (0.01 - 0.75)^{2-1} \\times -1 + 0', 0.74],
      ['-(0.01 - 0.75136507)', 0.74136507],
      ['\\underline{\\underline{0.082167041}}', 0.082167041],
      ['\\boxed{2} \\cdot \\underbrace{3}_{(1)}', 6],
      ['e^-1', 1 / Math.E],
      ['[1 + 1] \\cdot \\{2\\}', 4],
    ];
    for (const [s, v] of cases) {
      const got = value(s);
      assert.ok(got !== undefined && Math.abs(got - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${s} = ${got}, not ${v}`);
    }
  });

  it('a product of powers of ten is a number as written: 4,33 · 10^{-4} has the half unit of 4,33 times 10⁻⁴', () => {
    assert.deepStrictEqual(literal(parse('4,33 \\cdot 10^{-4}'))!.value, 0.000433);
    assert.deepStrictEqual(literal(parse('4,33 \\cdot 10^{-4}'))!.halfUnit, 5e-7);
    assert.deepStrictEqual(literal(parse('1,10 \\times 10^{-3}'))!.halfUnit, 5e-6);
    assert.deepStrictEqual(literal(parse('-0,594'))!.value, -0.594);
    assert.strictEqual(literal(parse('0.4 - 0.5')), undefined);
  });

  it('letters other than e make a part symbolic: parsed, with its leaves and shape, but not evaluated', () => {
    const sym = parse('x_1 * w_1 + x_2 * w_2 + b_1');
    const num = parse('0.05 * 0.15 + 0.10 * 0.25 + 0.35');
    assert.strictEqual(evaluate(sym), undefined);
    assert.strictEqual(shape(sym), shape(num));
    assert.deepStrictEqual(leaves(sym).map((l) => l.k), ['sym', 'sym', 'sym', 'sym', 'sym']);
    assert.strictEqual(evaluate(parse('\\frac{1}{1 + e^{-z_1}}')), undefined);
    assert.strictEqual(evaluate(parse('\\text{out} O_1 (1 - \\text{out} O_1)')), undefined);
    assert.strictEqual(evaluate(parse('\\begin{cases} 1 & \\text{if } z_2 > 0 \\\\ 0 \\end{cases}')), undefined);
  });

  it('one number swapped for another value: the check of a wrong operand', () => {
    const e = parse('0.05 * 0.15 + 0.10 * 0.25 + 0.35');
    const quarter = leaves(e)[3];
    assert.ok(Math.abs(evaluate(e, new Map([[quarter, 0.2]]))! - 0.3775) < 1e-15);
  });

  it('errors say what and where (offsets in the text)', () => {
    assert.deepStrictEqual(pick(error('(1 + 2')), ['equation-unbalanced', 0]);
    assert.deepStrictEqual(pick(error('1 +')), ['equation-expected-operand', 3]);
    assert.deepStrictEqual(pick(error('0.05 0.15')), ['equation-numbers-adjacent', 0]);
    assert.deepStrictEqual(pick(error('1 + )')), ['equation-expected-operand', 4]);
    assert.deepStrictEqual(pick(error('\\frac{1}{2')), ['equation-unbalanced', 8]);
  });

  it('is bounded: too long and too deep are errors, and no input overflows the stack', () => {
    assert.strictEqual(error('1+'.repeat(MAX_EQUATION_LENGTH)).code, 'equation-too-long');
    const deep = '('.repeat(MAX_EQUATION_DEPTH + 5) + '1' + ')'.repeat(MAX_EQUATION_DEPTH + 5);
    assert.strictEqual(error(deep).code, 'equation-too-deep');
    assert.strictEqual(error('\\frac{'.repeat(200) + '1').code, 'equation-too-deep');
    assert.strictEqual(error('-'.repeat(3000) + '1').code, 'equation-too-deep');
    // A long flat sum is fine: 1,000 terms.
    assert.strictEqual(value(Array(1000).fill('1').join('+')), 1000);
    // Random text of the characters notes use never throws.
    const alphabet = ['(', ')', '{', '}', '^', '_', '\\frac', '\\left(', '\\right)', '1', '0,5', 'e', 'x', '+', '-', '*', ' ', '\\cdot', '$', '\\'];
    let seed = 7;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    for (let k = 0; k < 2000; k++) {
      const s = Array.from({ length: 1 + Math.floor(rand() * 60) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
      const e = parseExpression(s, 0, s.length);
      if (!('code' in e)) evaluate(e);
    }
  });
});

function pick(e: { code: string; start: number }): [string, number] {
  return [e.code, e.start];
}
