/** The language of exercises: `vary`, blanks `QUANTITY = ?` and weights `[2 points]`, and how a
 *  blank shows when the notebook runs (not answered yet: neither ✓ nor ✗). */
import * as assert from 'assert';
import { parseCell } from '../../../src/engine/language/parser';
import { varyGrid } from '../../../src/engine/language/statements/vary';
import type { Statement } from '../../../src/engine/language/syntax';
import { Session } from '../../../src/engine/session';
import { traceToMarkdown } from '../../../src/engine/present/markdown';
import { traceToText } from '../../../src/engine/present/text';
import { messageOf } from '../../../src/engine/semantics/messages';
import type { CheckTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

const only = (text: string): Statement => {
  const r = parseCell(text);
  assert.deepStrictEqual(r.errors, [], text);
  assert.strictEqual(r.statements.length, 1);
  return r.statements[0];
};
const codes = (text: string) => parseCell(text).errors.map((e) => e.code);

describe('exercises: the language', () => {
  it('vary names parameters, the rate and sample values, on a grid of hand-friendly values', () => {
    const s = only('vary w1 b1 rate i1[1] o2[3] from 0.1 to 0.9 step 0.05');
    assert.ok(s.kind === 'vary');
    assert.deepStrictEqual(s.targets.map((t) => ({ ...t, start: undefined, end: undefined })), [
      { kind: 'param', name: 'w1', start: undefined, end: undefined }, { kind: 'param', name: 'b1', start: undefined, end: undefined },
      { kind: 'rate', start: undefined, end: undefined }, { kind: 'sample', name: 'i1', sample: 1, start: undefined, end: undefined },
      { kind: 'sample', name: 'o2', sample: 3, start: undefined, end: undefined },
    ]);
    // 0.1, 0.15, …, 0.9: 17 values, written with two decimals (0.1 + 3 · 0.05 is 0.25000000000000006 in doubles).
    const grid = varyGrid(s.from, s.to, s.step);
    assert.strictEqual(grid.count, 17);
    assert.deepStrictEqual([0, 1, 3, 16].map(grid.text), ['0.10', '0.15', '0.25', '0.90']);
    const neg = only('vary w1 from -0.3 to 0.3 step 0.1');
    assert.ok(neg.kind === 'vary');
    assert.deepStrictEqual(Array.from({ length: 7 }, (_, i) => varyGrid(neg.from, neg.to, neg.step).text(i)), ['-0.3', '-0.2', '-0.1', '0.0', '0.1', '0.2', '0.3']);
  });

  it('a malformed vary line is an error with a code', () => {
    assert.deepStrictEqual(codes('vary w1 0.1 to 0.5 step 0.1'), ['vary-syntax']);
    assert.deepStrictEqual(codes('vary from 0.1 to 0.5 step 0.1'), ['vary-needs-names']);
    assert.deepStrictEqual(codes('vary w1 from 0.1 to 0.5 step 0'), ['vary-step']);
    assert.deepStrictEqual(codes('vary w1 from 0.5 to 0.1 step 0.1'), ['vary-order']);
    assert.deepStrictEqual(codes('vary w1 from 0.1 to 0.55 step 0.1'), ['vary-grid']);
    assert.deepStrictEqual(codes('vary w1 from 0 to 1e9 step 1'), ['vary-too-many']);
    assert.deepStrictEqual(codes('vary 1w from 0.1 to 0.5 step 0.1'), ['not-a-name']);
    assert.deepStrictEqual(codes('vary i1[0] from 0.1 to 0.5 step 0.1'), ['sample-numbering']);
    assert.deepStrictEqual(codes('vary w1 from 0.1 to 0.5 step 0.1 extra'), ['unexpected-trailing']);
    const d = parseCell('vary w1 from 0.1 to 0.55 step 0.1').errors[0];
    assert.strictEqual(messageOf(d), '0.55 is not 0.1 plus a whole number of steps of 0.1');
    assert.deepStrictEqual([d.line, d.column], [1, 14]);
  });

  it('a blank is `QUANTITY = ?`; `[N points]` weighs any check line', () => {
    const s = only("check\n  E = ?\n  dE/dw5 = ?  [2 points]   # the hard one\n  w5' = 0.359 [1 point]\n  dE/dw1 = 0,5 [1,5 points]");
    assert.ok(s.kind === 'check');
    assert.deepStrictEqual(s.items.map((i) => [i.quantity, i.blank ?? false, i.points, i.value.text]), [
      ['E', true, undefined, '?'], ['dE/dw5', true, 2, '?'], ["w5'", false, 1, '0.359'], ['dE/dw1', false, 1.5, '0,5'],
    ]);
    // The span of `?` is where a filled-in value goes.
    const text = 'check\n  E = ?';
    const item = (parseCell(text).statements[0] as Extract<Statement, { kind: 'check' }>).items[0];
    assert.strictEqual(text.slice(item.value.start, item.value.end), '?');
    assert.deepStrictEqual(codes('check\n  E = ? [two points]'), ['points-syntax']);
    assert.deepStrictEqual(codes('check\n  E = ? [0 points]'), ['points-syntax']);
    assert.deepStrictEqual(codes('check\n  E = ?? '), ['not-a-number']);
  });

  it('a blank is not answered yet: neither right nor wrong, and its exact value is not shown', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const r = s.runSync("check\n  E = 0.298\n  dE/dw5 = ?\n  w5' = 0.3");
    assert.deepStrictEqual(r.errors, []);
    const t = r.traces[0] as CheckTrace;
    assert.deepStrictEqual([t.passed, t.failed, r.checksFailed], [1, 1, 1]);
    const blank = t.lines[1];
    assert.strictEqual(blank.blank, true);
    assert.strictEqual(blank.ok, false);
    assert.ok(Number.isNaN(blank.exact) && Number.isNaN(blank.written));
    assert.strictEqual(blank.diagnosis, undefined);
    // ∂E/∂w5 = 0.082167041 (published): nowhere in what the notebook shows.
    const text = traceToText(t);
    const md = traceToMarkdown(t);
    for (const out of [text, md]) {
      assert.match(out, /not answered yet/);
      assert.doesNotMatch(out, /0\.0821/);
    }
    assert.match(md, /✗ 1 of 2 checks failed\. 1 not answered yet\./);
  });

  it('a check of blanks only fails nothing, and says how many are open', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const r = s.runSync('check\n  E = ?\n  dE/dw1 = ? [2 points]');
    const t = r.traces[0] as CheckTrace;
    assert.deepStrictEqual([t.passed, t.failed, r.checksFailed], [0, 0, 0]);
    assert.match(traceToMarkdown(t), /^2 not answered yet\.$/m);
  });

  it('running a notebook ignores vary: the numbers are those written', () => {
    const s = new Session();
    const r = s.runSync(`${MAZUR_CELL}vary w1 w5 from 0.1 to 0.9 step 0.1`);
    assert.deepStrictEqual(r.errors, []);
    assert.strictEqual(s.value('w5'), 0.4);
    assert.strictEqual(s.value('w1'), 0.15);
  });
});
