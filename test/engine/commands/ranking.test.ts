/**
 * Ranking, not guessing: an exact slip of the computation beats a copying slip, a digit added or left
 * out beats rounding, equal fits are all named, and too many equal fits name none. With the three
 * misdiagnoses of issue 8 as regression tests.
 */
import * as assert from 'assert';
import { rank, type Candidate, type Fit, type SlipFamily } from '../../../src/engine/commands/ranking';
import { Session } from '../../../src/engine/session';
import type { CheckLine } from '../../../src/engine/trace/schema';
import { MAZUR_CELL, RELU_CHAIN_CELL } from '../fixtures';

function checkLine(setup: string, line: string): CheckLine {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(setup).errors, []);
  const r = s.runSync(`check\n  ${line}\n`);
  assert.deepStrictEqual(r.errors, []);
  const t = r.traces[0];
  assert.ok(t.kind === 'check');
  return t.lines[0];
}
const families = (l: CheckLine) => (l.slips ?? []).map((s) => s.family);

describe('check: ranking the candidate slips', () => {
  describe('the misdiagnoses of issue 8, as regression tests', () => {
    // y = w·x, w = 1, mse over two samples x = 1 → 2: ∂E/∂w = Σ (2/N)(y − t)·x = 2 · (2/2)(1 − 2)·1 = −2 (by hand).
    const mse2 = 'input x\nlayer y linear\nw x -> y = 1\nloss mse\nsample x=1 -> y=2\nsample x=1 -> y=2\n';
    it('an exact doubling (mse over 2 samples, −4 for −2) is a sum taken for the mean, not "one digit differs"', () => {
      for (const text of ['-4', '-4.00', '-4.000']) {
        const l = checkLine(mse2, `dE/dw = ${text}`);
        assert.strictEqual(l.exact, -2);
        assert.deepStrictEqual(families(l), ['loss-factor'], `${text}: ${l.diagnosis}`);
        assert.match(l.diagnosis!, /^summed over the batch where the loss takes the mean \(÷ N left out\)/);
        assert.doesNotMatch(l.diagnosis!, /digit/);
      }
    });

    it('0.6922 for 0.692 is a digit added, not a rounded value carried on (seed 002)', () => {
      // w1' = 0.5 − 0.1 · (−1.92) = 0.692 exactly.
      const l = checkLine(RELU_CHAIN_CELL, "w1' = 0.6922");
      assert.ok(Math.abs(l.exact - 0.692) < 1e-12);
      assert.deepStrictEqual(families(l), ['digit-added']);
      assert.strictEqual(l.diagnosis, 'a digit seems to be added: the exact value is 0.692');
      assert.doesNotMatch(l.diagnosis!, /round/);
    });

    it('0.56137121 for 0.561370121 is a digit left out, not a rounded value carried on (seed 004)', () => {
      // w8' = 0.561370121 (published, Mazur).
      const l = checkLine(MAZUR_CELL, "w8' = 0.56137121");
      assert.deepStrictEqual(families(l), ['digit-dropped']);
      assert.strictEqual(l.diagnosis, 'a digit seems to be left out: the exact value is 0.561370121');
    });
  });

  describe('rank', () => {
    const fit: Fit = { w: 0.164, exact: 0.0822, tolerance: 0.0005, near: (a, b) => Math.abs(a - b) <= Math.max(0.000505, 0.02 * Math.abs(b)) };
    const c = (family: SlipFamily, alt: number, text: string = family): Candidate => ({ family, id: text, text, alt, marks: [] });

    it('an exact ×2 beats a copying slip that also gives the value', () => {
      assert.deepStrictEqual(rank([c('digit-changed', 0.164), c('loss-factor', 0.1644)], fit).map((x) => x.family), ['loss-factor']);
    });
    it('a digit added or left out beats rounding; rounding beats one digit changed', () => {
      assert.deepStrictEqual(rank([c('rounding', 0.164), c('digit-added', 0.164)], fit).map((x) => x.family), ['digit-added']);
      assert.deepStrictEqual(rank([c('rounding', 0.164), c('digit-changed', 0.164)], fit).map((x) => x.family), ['rounding']);
    });
    it('a slip that only comes close (2 %) counts less than an exact one, and rounding must be exact', () => {
      // 0.1665 is 1.5 % from 0.164: close, not exact.
      assert.deepStrictEqual(rank([c('sign', 0.1665), c('digit-dropped', 0.164)], fit).map((x) => x.family), ['digit-dropped']);
      assert.deepStrictEqual(rank([c('rounding', 0.1665)], fit), []);
      assert.deepStrictEqual(rank([c('sign', 0.1665)], fit).map((x) => x.family), ['sign']);
    });
    it('equal fits are all named; among close ones, the closest', () => {
      assert.deepStrictEqual(rank([c('edge-weight', 0.164, 'a'), c('edge-weight', 0.1641, 'b')], fit).map((x) => x.text), ['a', 'b']);
      assert.deepStrictEqual(rank([c('sign', 0.1665, 'a'), c('sign', 0.1662, 'b')], fit).map((x) => x.text), ['b']);
    });
    it('says nothing when more than four slips fit equally, or when none explains the value better than the exact value does', () => {
      assert.deepStrictEqual(rank(['a', 'b', 'c', 'd', 'e'].map((t) => c('edge-weight', 0.164, t)), fit), []);
      assert.deepStrictEqual(rank([c('sign', 0.1)], fit), []);
    });
  });
});
