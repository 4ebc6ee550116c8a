/**
 * The single-slip corpus (corpus.ts): every slip named correctly, none named wrongly, and no slip
 * named for a value no slip gives. Written to four significant digits every slip is named; to three,
 * a slip that moves the value by less than its rounding may go unnamed, but none is named wrongly.
 * docs/language.md reports the figures; this test keeps them true.
 */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckLine } from '../../../src/engine/trace/schema';
import { corpus, type CorpusCase } from './corpus';
import { checkWith } from './helpers';

const families = (l: CheckLine) => (l.slips ?? []).map((s) => s.family);

function judge(cases: CorpusCase[]) {
  return cases.map((c) => {
    const line = checkWith(c.net, [c.line]).lines[0];
    const named = families(line);
    const wrongly = named.filter((f) => !(c.accept as string[]).includes(f));
    return { c, line, named, right: !line.ok && named.length > 0 && wrongly.length === 0, wrong: wrongly.length > 0 };
  });
}
const describeBad = (v: ReturnType<typeof judge>[number]) =>
  `${v.c.name}: ${v.c.line} (expected ${v.c.accept.join('/')}) → ${v.named.join(', ') || 'nothing named'}: ${v.line.diagnosis}`;

describe('check: the single-slip corpus', () => {
  const { cases, controls } = corpus(4);
  const four = judge(cases);
  const threeCases = corpus(3).cases;
  const three = judge(threeCases);

  it(`has at least 60 single-slip notebooks across sigmoid, tanh and relu, every loss, 1 and 2 samples (${cases.length})`, () => {
    assert.ok(cases.length >= 60);
    for (const word of ['sigmoid', 'tanh', 'relu', 'half-sse', ' sse', 'half-mse', ' mse', '1 sample:', '2 samples:']) {
      assert.ok(cases.some((c) => c.name.includes(word)), word);
    }
  });

  it('written to four significant digits, names every slip correctly and none wrongly', () => {
    assert.deepStrictEqual(four.filter((v) => !v.right).map(describeBad), []);
  });

  it('written to three, names none wrongly; an unnamed one says what is known', () => {
    assert.deepStrictEqual(three.filter((v) => v.wrong).map(describeBad), []);
    for (const v of three.filter((x) => !x.right)) assert.match(v.line.diagnosis!, /^no single slip gives/, describeBad(v));
  });

  it('names no slip in the controls: right values pass, values no slip gives get what is known', () => {
    const bad: string[] = [];
    for (const c of controls) {
      const t = checkWith(c.net, c.lines);
      for (const l of t.lines) {
        if (l.ok === c.wrong || l.slips) bad.push(`${c.name}: ${l.quantity} = ${l.writtenText} (exact ${l.exact}) → ${l.ok ? 'ok' : l.diagnosis}`);
      }
    }
    assert.deepStrictEqual(bad, []);
  });

  it('docs/language.md reports the figures', () => {
    const docs = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'language.md'), 'utf8').replace(/\s+/g, ' ');
    const count = (vs: typeof four) => `${vs.filter((v) => v.right).length} of ${vs.length} named correctly, ${vs.filter((v) => v.wrong).length} wrongly`;
    for (const phrase of [
      `written to four significant digits, ${count(four)}`,
      `to three, ${count(three)} (${cases.length - threeCases.length} slips too small to show at three digits are left out)`,
      `in ${controls.length} control notebooks no slip is named`,
    ]) assert.ok(docs.includes(phrase), `language.md should say: ${phrase}`);
  });
});
