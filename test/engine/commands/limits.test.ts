import * as assert from 'assert';
import { MAX_DIAGNOSED } from '../../../src/engine/commands/check';
import { Session } from '../../../src/engine/session';
import { MAZUR_CELL } from '../fixtures';

describe('check: limits', () => {
  it(`diagnoses the first ${MAX_DIAGNOSED} wrong lines of a check, checks every line, and says so`, () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const n = MAX_DIAGNOSED + 5;
    const t = s.runSync(`check\n${'  dE/dw5 = 0.5\n'.repeat(n)}  E = 0.298371109\n`).traces[0];
    assert.ok(t.kind === 'check');
    assert.deepStrictEqual([t.passed, t.failed], [1, n]);
    assert.strictEqual(t.lines.filter((l) => l.diagnosis !== undefined).length, MAX_DIAGNOSED);
    assert.ok(t.limits.notes.includes(`only the first ${MAX_DIAGNOSED.toLocaleString('en-US')} wrong lines are diagnosed`));
  });
});
