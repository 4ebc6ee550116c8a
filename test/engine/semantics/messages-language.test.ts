import * as assert from 'assert';
import { messageOf } from '../../../src/engine/semantics/messages';
import { parseCell } from '../../../src/engine/language/parser';
import { buildNetwork } from '../../../src/engine/semantics/model';
import { unknownName } from '../../../src/engine/language/names';

const first = (text: string) => parseCell(text).errors[0];

/** Wording of the language and semantics codes: the sentences students read. */
describe('messages (language and semantics)', () => {
  it('says what was expected, with an example of the statement', () => {
    assert.strictEqual(messageOf(first('rate abc')), "'abc' is not a number (write 0.15, .15, -2, 3.5e-5 or 0,15) — expected the learning rate: rate 0.5");
    assert.strictEqual(messageOf(first('train')), 'expected the number of epochs: train 100');
    assert.strictEqual(messageOf(first('train 1.5')), 'the number of epochs must be a whole number of at least 1, not 1.5');
    assert.strictEqual(messageOf(first('w1 i1 -> h1 = x')), "'x' is not a number (write 0.15, .15, -2, 3.5e-5 or 0,15) — expected the weight value: w1 i1 -> h1 = 0.15");
    assert.strictEqual(messageOf(first('w1 i1 ->')), 'expected target neuron');
    assert.strictEqual(messageOf(first('layer h1 sigmod')), "'sigmod' is not an activation — did you mean 'sigmoid'? (one of sigmoid, tanh, relu, leaky-relu, linear, softmax)");
    assert.strictEqual(messageOf(first('foo bar')), "unknown statement 'foo'; a line is a keyword (input, layer, bias, freeze, unfreeze, init, …) or a weight 'NAME FROM -> TO = NUMBER'");
  });

  it('speaks of lines as related places, which an edge may shift to the file\'s lines', () => {
    const text = 'input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h1 = 0.1\nw1 i2 -> h1 = 0.2\n';
    const [d] = buildNetwork(text, parseCell(text).statements).errors;
    assert.strictEqual(messageOf(d), "duplicate name 'w1': already declared on line 3");
    assert.strictEqual(messageOf(d, 40), "duplicate name 'w1': already declared on line 43");
  });

  it('counts the errors left out, and says why a name is refused', () => {
    assert.strictEqual(messageOf({ code: 'more-errors', args: { count: 39_871 } }), '… and 39,871 more errors in this cell');
    assert.strictEqual(messageOf({ code: 'more-errors', args: { count: 1 } }), '… and 1 more error in this cell');
    assert.strictEqual(messageOf(first(`input ${'a'.repeat(70)}`)), `a name has at most 64 characters; this one has 70 ('${'a'.repeat(16)}…')`);
    assert.strictEqual(messageOf(first('input x[0]')), "'x[0]' names no neurons: N in NAME[N] must be at least 1");
  });

  it('unknown names, with and without a near', () => {
    assert.strictEqual(messageOf(unknownName('parameter', 'w9', ['w1', 'w8'])), "unknown parameter 'w9' — did you mean 'w1'?");
    assert.strictEqual(messageOf(unknownName('neuron', 'zzz', ['h1'])), "unknown neuron 'zzz'");
    assert.strictEqual(messageOf(unknownName('parameter', 'w9', ['w1'], 'unknown-parameter-in-later-cell')), "unknown parameter 'w9' — did you mean 'w1'? (a cell without 'input' can only change existing parameters)");
  });

  it('samples that lack values, and the file-level notes', () => {
    assert.strictEqual(messageOf({ code: 'sample-lacks', args: { sample: 3, inputs: ['i1'], targets: ['o1'], more: 0 } }), 'sample 3 lacks input i1, target o1');
    assert.strictEqual(
      messageOf({ code: 'sample-lacks', args: { sample: 1, inputs: ['x2'], targets: [], more: 5, cellLine: 7, earlier: 1 } }),
      'sample 1 (line 7 of its cell) lacks input x2, … (5 more) (the samples come from an earlier cell)',
    );
    assert.strictEqual(messageOf({ code: 'file-not-utf8', args: { byte: 0xe9 } }), 'this file is not valid UTF-8 (byte 0xE9 here), so it was read as Latin-1: characters beyond ASCII, such as →, do not read as written');
    assert.match(messageOf({ code: 'file-too-many-cells', args: { max: 10_000 } }), /^this file has more than 10,000 cells, the limit/);
  });
});
