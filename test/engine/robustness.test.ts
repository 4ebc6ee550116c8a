import * as assert from 'assert';
import { prng } from '../../src/engine/math/init';
import { messageOf } from '../../src/engine/semantics/messages';
import { analyze, Session } from '../../src/engine/session';
import { DATA_TABLE_CELL, MAZUR_CELL, MAZUR_CHECK_CELL, RELU_CHAIN_CELL } from './fixtures';

/** Anything a terminal would act on: C0 and C1 controls but tab and newline, and DEL. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

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
        const m = messageOf(d);
        assert.ok(!/\bat \S+ \(|TypeError|undefined/.test(m), m);
        assert.ok(!CONTROL.test(m), JSON.stringify(m));
        assert.ok(!CONTROL.test(d.message), JSON.stringify(d.message));
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

  it('every message is safe to print: control characters in what a notebook says are escaped', () => {
    const evil = 'input i1\x1b[2J\x1b]0;PWNED\x07';
    const r = new Session().runSync(`${evil}\nlayer o sigmoid\n`);
    assert.ok(r.errors.length > 0);
    const messages = r.errors.map((d) => messageOf(d));
    for (const m of messages) assert.ok(!CONTROL.test(m), JSON.stringify(m));
    assert.ok(messages.some((m) => m.startsWith("'i1\\x1b[2J\\x1b]0;PWNED\\x07' is not a name")), messages.join('\n'));
    assert.ok(analyze(evil).every((d) => !CONTROL.test(messageOf(d))));
    // A coded message with the user's text in its arguments, and in a list of them.
    assert.strictEqual(messageOf({ code: 'unknown-name', args: { what: 'neuron', name: 'h\x1b[31m', near: 'h\u009b1' } }), "unknown neuron 'h\\x1b[31m' — did you mean 'h\\x9b1'?");
    assert.strictEqual(messageOf({ code: 'bias-neurons-fixed', args: { name: 'b\r', to: ['h1\u0000', 'h2'] } }), 'b\\x0d is the bias of h1\\x00, h2; its neurons cannot change outside the defining cell');
  });
});
