import * as assert from 'assert';
import { ACTIVATIONS, KEYWORDS, LOSSES, lookupWord } from '../../../src/engine/language/vocabulary';
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
    assert.deepStrictEqual(ACTIVATIONS.map((a) => a.word), ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear']);
    assert.deepStrictEqual(LOSSES.map((l) => l.word), ['half-sse', 'sse', 'half-mse', 'mse']);
    assert.match(lookupWord('relu')!.doc, /0 at net = 0/);
    assert.strictEqual(lookupWord('nonsense'), undefined);
  });
});
