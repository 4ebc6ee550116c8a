/** Reading an exercise template: what it draws, its blanks, and every problem with its place. */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { readBpnb } from '../../../src/engine/file/bpnb';
import { prepareExercise } from '../../../src/engine/exercise/prepare';
import { describeProblem, type Located } from '../../../src/engine/exercise/problems';
import { readTemplate } from '../../../src/engine/exercise/template';
import { MAZUR_CELL } from '../fixtures';
import { doc, EXAMPLE } from './helpers';

const problems = (text: string): [string, number | undefined, number, number][] =>
  readTemplate(doc(text)).problems.map((p) => [p.code, p.cell, p.line, p.column]);
const BLANKS = '%%\ncheck\n  E = ?\n';

describe('exercises: templates', () => {
  it('the example draws the eight weights and the rate, and has a blank for E, every gradient and every new weight', () => {
    const { template, problems: found } = readTemplate(readBpnb(readFileSync(EXAMPLE)));
    assert.deepStrictEqual(found, []);
    assert.deepStrictEqual(template!.varied.map((v) => [v.key, v.grid.count]), [
      ...['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8'].map((w) => [w, 11]), ['rate', 9],
    ]);
    const blanks = template!.blanks.map((b) => b.item.quantity);
    assert.deepStrictEqual(blanks, ['E', ...[5, 6, 7, 8, 1, 2, 3, 4].map((i) => `dE/dw${i}`), ...[5, 6, 7, 8, 1, 2, 3, 4].map((i) => `w${i}'`)]);
    assert.deepStrictEqual(template!.blanks.map((b) => b.item.points ?? 1), [1, 1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('every name a vary line draws is declared once, in one place', () => {
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}vary w9 from 0.1 to 0.5 step 0.1\n${BLANKS}`), [['vary-unknown-param', 0, 19, 6]]);
    const near = readTemplate(doc(`%%\n${MAZUR_CELL}vary w9 from 0.1 to 0.5 step 0.1\n${BLANKS}`)).problems[0];
    assert.strictEqual(near.args.near, 'w1');
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}vary w1 w2 from 0.1 to 0.5 step 0.1\nvary w2 from 0.1 to 0.2 step 0.1\n${BLANKS}`), [['vary-twice', 0, 20, 6]]);
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}vary i1[2] from 0.1 to 0.5 step 0.1\n${BLANKS}`), [['vary-unknown-sample-value', 0, 19, 6]]);
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}vary i1[1] o2[1] from 0.1 to 0.5 step 0.1\n${BLANKS}`), []);
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}rate 0.1\nvary rate from 0.1 to 0.5 step 0.1\n${BLANKS}`), [['exercise-one-rate', 0, 20, 6]]);
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}\n%%\n${MAZUR_CELL}vary w1 from 0.1 to 0.5 step 0.1\n${BLANKS}`), [['exercise-one-network', 1, 19, 6]]);
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}\n%%\nsample i1=1 i2=1 -> o1=0 o2=1\nvary i1[1] from 0.1 to 0.5 step 0.1\n${BLANKS}`), [['exercise-one-sample-cell', 1, 2, 6]]);
  });

  it('a template needs a blank, and its cells must parse', () => {
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}`), [['exercise-no-blanks', undefined, 1, 1]]);
    assert.deepStrictEqual(problems(`%%\n${MAZUR_CELL}vary w1 from 0.5 to 0.1 step 0.1\n${BLANKS}`), [['vary-order', 0, 19, 14]]);
  });

  it('reports in the template file\'s lines, FILE:LINE:COL', async () => {
    const text = `%% markdown\n# An exercise\n\n%%\n${MAZUR_CELL}vary w9 from 0.1 to 0.5 step 0.1\n${BLANKS}`;
    const d = doc(text);
    const p = readTemplate(d).problems;
    assert.deepStrictEqual(p.map((x) => describeProblem('t.bpnb', x, d.cells)), [
      "t.bpnb:23:6: 'vary' draws 'w9', which the network cell does not declare — did you mean 'w1'? (a weight or bias written there with its value)",
    ]);
    assert.strictEqual(text.split('\n')[22].slice(5, 7), 'w9');
    // Problems found by running the template: an unknown quantity, and a fixed line that fails.
    const run = async (t: string): Promise<Located[]> => (await prepareExercise(doc(t), ['s01'], 1)).problems;
    const unknown = await run(`%%\n${MAZUR_CELL}\n%%\ncheck\n  dE/dw9 = ?\n`);
    assert.deepStrictEqual(unknown.map((x) => [x.code, x.cell, x.line, x.column]), [['unknown-name', 1, 2, 3]]);
    const fixed = await run(`%%\n${MAZUR_CELL}vary w5 from 0.1 to 0.5 step 0.1\n\n%%\ncheck\n  E = ?\n  w5 = 0.4\n`);
    // The template's own w5 = 0.40 passes; a student's drawn w5 makes it fail.
    assert.deepStrictEqual(fixed.map((x) => [x.code, x.cell, x.line, x.args.id]), [['exercise-fixed-line-fails', 1, 3, 's01']]);
  });
});
