import * as assert from 'assert';
import { editDistance, expandName, nearestName } from '../../../src/engine/language/names';

describe('names', () => {
  it('expands NAME[N] to NAME1 … NAMEN', () => {
    assert.deepStrictEqual(expandName('x[3]'), ['x1', 'x2', 'x3']);
    assert.strictEqual((expandName('x[64]') as string[]).length, 64);
    assert.deepStrictEqual(expandName('h1'), ['h1']);
  });
  it('rejects malformed names with a reason', () => {
    assert.deepStrictEqual(expandName('1x'), { code: 'not-a-name', args: { text: '1x' } });
    assert.deepStrictEqual(expandName('x[0]'), { code: 'empty-list', args: { text: 'x[0]' } });
    assert.deepStrictEqual(expandName('x[99999999]'), { code: 'list-too-long', args: { text: 'x[99999999]', max: 1_000_000 } });
  });
  it('suggests the nearest declared name', () => {
    assert.strictEqual(editDistance('w9', 'w8'), 1);
    assert.strictEqual(nearestName('w9', ['w1', 'w8', 'h1']), 'w1');
    assert.strictEqual(nearestName('H1', ['h1', 'h2']), 'h1');
    assert.strictEqual(nearestName('sigmod', ['sigmoid', 'tanh']), 'sigmoid');
    assert.strictEqual(nearestName('zzzzzz', ['w1', 'h1']), undefined);
    // A one-letter name is one edit from a suggestion at most: 'E' is nothing like 'b1'.
    assert.strictEqual(nearestName('E', ['w1', 'b1', 'h1']), undefined);
    assert.strictEqual(nearestName('x', ['x1', 'y']), 'x1');
  });
});
