import * as assert from 'assert';
import { prng } from '../../src/engine/math/init';
import { analyze, Session } from '../../src/engine/session';
import { DATA_TABLE_CELL, MAZUR_CELL, MAZUR_CHECK_CELL, RELU_CHAIN_CELL } from './fixtures';

/** Bad input never throws: every mutation of the example cells gives errors or traces. */
describe('robustness', () => {
  const sources = [MAZUR_CELL, MAZUR_CHECK_CELL, DATA_TABLE_CELL, RELU_CHAIN_CELL + 'step\ntrain 3 every 1\ngradcheck\n'];
  const junk = ['->', '=', '#', '[', ']', '(', ')', "'", ',', '.', '-', 'e', '9', ' ', '\n', '\t', '\r', '\u0000', 'x[0]', 'x[99999999]', 'NaN', '1e309', 'layer', 'input', 'check', 'data', 'sample', '  '];

  it('random edits of the example cells never throw', function () {
    this.timeout(60000);
    const r = prng(2024);
    for (let n = 0; n < 400; n++) {
      let text = sources[n % sources.length];
      const edits = 1 + Math.floor(r() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(r() * (text.length + 1));
        const kind = r();
        if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 5));
        else text = text.slice(0, at) + junk[Math.floor(r() * junk.length)] + text.slice(at);
      }
      const s = new Session();
      s.runSync(MAZUR_CELL);
      let result;
      assert.doesNotThrow(() => { result = s.runSync(text); }, `cell:\n${text}`);
      assert.doesNotThrow(() => analyze(text), `analyze:\n${text}`);
      for (const d of result!.errors) {
        assert.ok(d.line >= 1 && d.column >= 1 && d.span.start <= d.span.end && d.span.end <= text.length, JSON.stringify(d));
        assert.ok(!/\bat \S+ \(|TypeError|undefined/.test(d.message), d.message);
      }
    }
  });

  it('binary junk and empty cells', () => {
    const s = new Session();
    assert.deepStrictEqual(s.runSync('').errors, []);
    assert.deepStrictEqual(s.runSync('\n\n# only a comment\n').errors, []);
    const bytes = Array.from({ length: 300 }, (_, i) => String.fromCharCode((i * 37) % 256)).join('');
    const r = s.runSync(bytes);
    assert.ok(r.errors.length > 0);
  });
});
