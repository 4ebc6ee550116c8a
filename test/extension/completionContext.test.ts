/**
 * Where the cursor is, for completions (src/extension/completionContext.ts), in plain Node: above all
 * `notation`, whose left side is the student's own symbol (nothing to offer) and whose right side is
 * a quantity, on the statement's line and on the lines of its block.
 */
import * as assert from 'assert';
import { contextAt, quantities } from '../../src/extension/completionContext';
import { Session } from '../../src/engine/session';
import { MAZUR_CELL } from '../engine/fixtures';
import type { OptimizerName } from '../../src/engine/math/optimizers';

/** The kind of context at the end of the last line of `text`. */
function kindAtEnd(text: string): string {
  const lines = text.split('\n');
  const last = lines.length - 1;
  return contextAt(lines, last, lines[last].length).kind;
}

describe('completion context', () => {
  it('on a `notation` line: nothing for a symbol, quantities after its `=`', () => {
    assert.strictEqual(kindAtEnd('notation '), 'none');
    assert.strictEqual(kindAtEnd('notation z_'), 'none');
    assert.strictEqual(kindAtEnd('notation z_1 = '), 'quantities');
    assert.strictEqual(kindAtEnd('notation z_1 = dE/d'), 'quantities');
    assert.strictEqual(kindAtEnd('notation z_1 = out('), 'quantities');
    assert.strictEqual(kindAtEnd('notation z_1 = net(h1), '), 'none', 'a comma starts the next symbol');
    assert.strictEqual(kindAtEnd('notation z_1 = net(h1), a_1 = o'), 'quantities');
  });

  it('a comma or `=` inside a symbol\'s brackets separates nothing', () => {
    assert.strictEqual(kindAtEnd('notation h_{1,2} = '), 'quantities');
    assert.strictEqual(kindAtEnd('notation a = out(h1), h_{1,2'), 'none');
    assert.strictEqual(kindAtEnd('notation \\frac{a}{b=c'), 'none');
    assert.strictEqual(kindAtEnd('notation \\frac{a}{b=c} = E'), 'quantities');
  });

  it('in a `notation` block: the same on every indented line, past blanks and comments', () => {
    const block = 'notation\n  J_1 = E(o1)\n\n  # the second output\n  J_2';
    assert.strictEqual(kindAtEnd(block), 'none', 'a symbol, not a neuron of a weight line');
    assert.strictEqual(kindAtEnd(`${block} = `), 'quantities');
    assert.strictEqual(kindAtEnd('notation J = E\n  a_1 = out(h1), a_2 = '), 'quantities');
    assert.strictEqual(kindAtEnd('notation\n  J_1 = E(o1)\nforward'), 'start', 'the block ends at an unindented line');
  });

  it('a `check` block is unchanged: quantities on the left, nothing after `=`', () => {
    assert.strictEqual(kindAtEnd('check\n  dE/dw'), 'quantities');
    assert.strictEqual(kindAtEnd('check\n  dE/dw5 = '), 'none');
    assert.strictEqual(kindAtEnd('notation a_1 = out(h1)\ncheck\n  a_'), 'quantities');
  });

  it('the quantities carry the network\'s own names', () => {
    const labels = quantities({ params: ['w5', 'b1'], neurons: ['h1', 'o1'], outputs: ['o1'] }).map((q) => q.label);
    for (const want of ['E', 'E(o1)', 'out(h1)', 'net(o1)', 'dE/dout(h1)', 'dE/dnet(o1)', 'dout(o1)/dnet(o1)', 'dE/dw5', "w5'", 'w5', 'dE/db1']) {
      assert.ok(labels.includes(want), `${want} in ${labels.join(', ')}`);
    }
    assert.ok(!labels.includes('E(h1)'), 'a loss term only for an output');
  });

  it('the optimizer\'s state quantities only under an optimizer that has them: v under momentum, m and v under Adam', () => {
    const names = { params: ['w5', 'b1'], neurons: ['h1', 'o1'], outputs: ['o1'] };
    const labels = (optimizer?: OptimizerName) => quantities({ ...names, optimizer }).map((q) => q.label);
    for (const optimizer of [undefined, 'sgd'] as const) assert.ok(!labels(optimizer).some((l) => /^[vm]\(/.test(l)), `nothing under ${optimizer ?? 'the default'}`);
    assert.deepStrictEqual(labels('momentum').filter((l) => /^[vm]\(/.test(l)), ['v(w5)', 'v(b1)']);
    assert.deepStrictEqual(labels('adam').filter((l) => /^[vm]\(/.test(l)), ['m(w5)', 'v(w5)', 'm(b1)', 'v(b1)']);
  });

  for (const optimizer of ['sgd', 'momentum 0.9', 'adam']) {
    it(`under ${optimizer}, every quantity offered is one a \`check\` of the 2-2-2 example accepts after a step`, () => {
      const s = new Session();
      for (const cell of [MAZUR_CELL, `optimizer ${optimizer}`, 'step']) assert.deepStrictEqual(s.runSync(cell).errors.filter((e) => e.severity !== 'warning'), [], cell);
      const offered = quantities({ ...s.names(), outputs: ['o1', 'o2'] });
      assert.ok(offered.some((q) => q.label.startsWith('v(')) === (optimizer !== 'sgd'));
      const cell = `check\n${offered.map((q) => `  ${q.label} = 0.5`).join('\n')}`;
      const errors = s.runSync(cell).errors.filter((e) => e.severity !== 'warning');
      assert.deepStrictEqual(errors.map((e) => `${e.code} at line ${e.line}`), []);
    });
  }
});
