/** Lines pasted from notes, read as the rows and parts of their equations (language/notes.ts). */
import * as assert from 'assert';
import { readLine } from '../../../src/engine/language/notes';

/** The parts of each row of `line`, as text (`=` and `:=` before all but the first). */
function parts(line: string): string[][] | string {
  const rows = readLine(line, 1, 0, line.length);
  if (typeof rows === 'string') return rows;
  return rows.map((r) => r.parts.map((p) => `${p.sep}${line.slice(p.start, p.end)}`));
}

describe('pasted lines: the equations in them', () => {
  it('unwraps $…$ and $$…$$, drops a label in front, and splits at the = outside brackets', () => {
    assert.deepStrictEqual(parts('$$z_1 = x_1 w_1 + b_1 = 0.3825$$'), [['z_1', '=x_1 w_1 + b_1', '=0.3825']]);
    assert.deepStrictEqual(parts('a)  $\\frac{\\partial \\ell}{\\partial a_1^3} = 0,99$'), [['\\frac{\\partial \\ell}{\\partial a_1^3}', '=0,99']]);
    assert.deepStrictEqual(parts('$$f) \\frac{da}{dz} = 0,184$$'), [['\\frac{da}{dz}', '=0,184']]);
    assert.deepStrictEqual(parts('$$(5) \\quad \\frac{\\partial J}{\\partial a_4}$$'), [['\\frac{\\partial J}{\\partial a_4}']]);
    assert.deepStrictEqual(parts('$$1) 0,343 \\cdot 0,184 = 0,063$$'), [['0,343 \\cdot 0,184', '=0,063']]);
    assert.deepStrictEqual(parts('$$J = \\frac{1}{2m} \\sum_{i=1}^m (y_i)^2$$'), [['J', '=\\frac{1}{2m} \\sum_{i=1}^m (y_i)^2']]);
    assert.deepStrictEqual(parts('$$[m=1]$$'), [['[m=1]']]);
    assert.deepStrictEqual(parts('$$= 0.751 - 0.01 = 0.741$$'), [['', '=0.751 - 0.01', '=0.741']]);
    assert.deepStrictEqual(parts('w_1 := 0.5 - 0.1(-1.92)'), [['w_1', ':=0.5 - 0.1(-1.92)']]);
    assert.deepStrictEqual(parts('W_{new} \\approx W_{old}'), [['W_{new}', '=W_{old}']]);
  });

  it('after the first =, a \\quad starts an annotation', () => {
    assert.deepStrictEqual(parts('$$J = J_1 + J_2 = 0.298 \\quad \\left. \\vphantom{J = J_1} \\right\\} \\text{Total loss}$$'), [['J', '=J_1 + J_2', '=0.298']]);
    assert.deepStrictEqual(parts('$$\\frac{\\partial E}{\\partial h} = 0.05 + (-0.02) \\quad \\text{⑥}$$'), [['\\frac{\\partial E}{\\partial h}', '=0.05 + (-0.02)']]);
  });

  it('reads aligned rows one by one, and a table row as its equation and the number in its last column', () => {
    assert.deepStrictEqual(parts('$$\\begin{aligned} \\frac{dJ}{d\\hat{y}} &= -0.8 \\\\ \\frac{dJ}{dw_2} &= \\frac{dJ}{dz_2} \\cdot a_1 = -1.2 \\end{aligned}$$'), [
      ['\\frac{dJ}{d\\hat{y}}', '=-0.8'], ['\\frac{dJ}{dw_2}', '=\\frac{dJ}{dz_2} \\cdot a_1', '=-1.2'],
    ]);
    assert.deepStrictEqual(parts('| $z_2(a_1) = w_2 a_1$ | $\\frac{dz_2}{da_1} = w_2$ | 0.8 |'), [['\\frac{dz_2}{da_1}', '=w_2', '=0.8']]);
    // A `cases` block inside a cell is one thing: its \\\\ and & do not split it.
    assert.deepStrictEqual(parts('| $\\frac{d\\hat{y}}{dz_2} = \\begin{cases} 1 & z > 0 \\\\ 0 & z < 0 \\end{cases}$ | 1 |'), [
      ['\\frac{d\\hat{y}}{dz_2}', '=\\begin{cases} 1 & z > 0 \\\\ 0 & z < 0 \\end{cases}', '=1'],
    ]);
    assert.strictEqual(parts('|---|--|------|'), 'notes-table-row');
    assert.strictEqual(parts('| 3 | 2.076 | 2.076 | 1.91 |'), 'notes-table-row');
  });

  it('a sentence with a formula in it is prose', () => {
    assert.strictEqual(parts('Total error = $E_1 + E_2 + E_3$'), 'notes-prose');
    assert.strictEqual(parts('loss function: MSE $\\frac{1}{m} \\sum (\\hat{y} - y)^2$'), 'notes-prose');
  });
});
