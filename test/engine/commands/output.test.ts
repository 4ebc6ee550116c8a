/**
 * What a check prints: which line numbers (the cell's, or the file's on the command line), a line
 * that could not be checked, and what is known when no slip explains a value.
 */
import * as assert from 'assert';
import { tracesToMarkdown } from '../../../src/engine/present/markdown';
import { tracesToText } from '../../../src/engine/present/text';
import { Session } from '../../../src/engine/session';
import type { CheckTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

function run(cell: string): CheckTrace {
  const s = new Session();
  s.runSync(MAZUR_CELL);
  const t = s.runSync(cell).traces[0];
  assert.ok(t.kind === 'check');
  return t;
}

describe('check: the output', () => {
  const t = run('# my notes\ncheck\n  E = 0.298371109\n  dE/dw9 = 1\n  dE/dw5 = 0.09\n');

  it('numbers lines in the cell, and says so; in the file when the command line gives the cell\'s first line', () => {
    assert.deepStrictEqual(t.lines.map((l) => l.line), [3, 4, 5]);
    const cell = tracesToText([t]);
    assert.match(cell, /^Line in cell +Quantity/m);
    assert.match(cell, /^3 +E +0.298371109/m);
    assert.match(cell, /✗ Line 5: dE\/dw5 = 0.09/);
    assert.match(tracesToMarkdown([t]), /Line in cell/);
    // The cell starting on line 40 of its file: its line 3 is the file's line 42.
    const file = tracesToText([t], 100, { fileLine: 40 });
    assert.match(file, /^Line in file +Quantity/m);
    assert.match(file, /^42 +E +0.298371109/m);
    assert.match(file, /✗ Line 44: dE\/dw5 = 0.09/);
  });

  it('marks a line it could not check with the diagnostic and its code', () => {
    assert.match(tracesToText([t]), /^4 +dE\/dw9 +1 +— +— +✗$/m);
    assert.match(tracesToText([t]), /✗ Line 4: dE\/dw9 = 1 was not checked: unknown parameter 'w9' — did you mean 'w1'\? \(unknown-name\)\./);
  });

  it('says what is known when no slip explains a product: the right factors, and that the product is off', () => {
    // ∂E/∂w5 = 0.741365 × 0.186816 × 0.59327 = 0.082167 (published); 0.09 is no slip of it.
    const l = t.lines[2];
    assert.strictEqual(l.slips, undefined);
    assert.match(l.diagnosis!, /The exact factors are dE\/dout\(o1\) = 0.741365, dout\(o1\)\/dnet\(o1\) = 0.186816, dnet\(o1\)\/dw5 = 0.59327; their product is 0.082167$/);
    const all = run('check\n  dE/dout(o1) = 0.7414\n  dout(o1)/dnet(o1) = 0.1868\n  dnet(o1)/dw5 = 0.5933\n  dE/dw5 = 0.09\n').lines[3];
    assert.match(all.diagnosis!, /Right: dE\/dout\(o1\) = 0.7414, dout\(o1\)\/dnet\(o1\) = 0.1868, dnet\(o1\)\/dw5 = 0.5933\./);
    assert.match(all.diagnosis!, /Every factor you wrote is right, so the slip is in the multiplication$/);
    // A hidden sum: its terms.
    const sum = run('check\n  dE/dout(h1) = 0.0713\n').lines[0];
    assert.match(sum.diagnosis!, /The sum has 2 terms: through o1 0.0553994, through o2 -0.0190491; together 0.0363503/);
  });
});
