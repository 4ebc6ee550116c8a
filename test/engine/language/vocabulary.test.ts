import * as assert from 'assert';
import { ACTIVATIONS, KEYWORDS, LOSSES, OPTIMIZERS, lookupWord } from '../../../src/engine/language/vocabulary';
import { parseCell } from '../../../src/engine/language/parser';

describe('language', () => {
  it('documents every keyword, activation and loss with a usage that parses', () => {
    for (const w of [...KEYWORDS, ...ACTIVATIONS, ...LOSSES]) {
      assert.ok(w.doc.length > 10, w.word);
      assert.ok(w.usage.includes(w.word), `${w.word}: usage mentions it`);
    }
    for (const w of KEYWORDS) {
      if (['sample', 'data', 'check', 'weight'].includes(w.word)) continue;
      const errors = parseCell(w.usage).errors;
      assert.deepStrictEqual(errors, [], `${w.word}: '${w.usage}' parses`);
    }
  });

  it('lists the activations and losses of the issue', () => {
    assert.deepStrictEqual(ACTIVATIONS.map((a) => a.word), ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear', 'softmax']);
    assert.deepStrictEqual(LOSSES.map((l) => l.word), ['half-sse', 'sse', 'half-mse', 'mse', 'cross-entropy', 'mean-cross-entropy', 'bce', 'mean-bce']);
    assert.deepStrictEqual(OPTIMIZERS.map((o) => o.word), ['sgd', 'momentum', 'adam']);
    for (const o of OPTIMIZERS) assert.deepStrictEqual(parseCell(o.usage).errors, [], o.usage);
    assert.match(lookupWord('relu')!.doc, /0 at net = 0/);
    assert.strictEqual(lookupWord('nonsense'), undefined);
  });
});
