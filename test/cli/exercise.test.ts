/** `bpnb exercise` and `bpnb grade`, in-process through `main`: files written, exit codes, errors at FILE:LINE:COL. */
import * as assert from 'assert';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, scratchFiles } from './helpers';

const root = join(__dirname, '..', '..');
const TEMPLATE = join(root, 'examples', 'exercise-template.bpnb');
const ROSTER = join(root, 'examples', 'roster.csv');
const IDS = ['s01', 's02', 's03', 's04', 's05'];

const snapshot = (dir: string) => Object.fromEntries(['', 'key/'].flatMap((sub) => readdirSync(join(dir, sub)).filter((f) => f.includes('.')).map((f) => [sub + f, readFileSync(join(dir, sub, f))])));

describe('bpnb exercise and bpnb grade', () => {
  const scratch = scratchFiles('bpnb-exercise-');

  it('writes each student\'s notebook, answer key and worked solution; the same bytes every time', async () => {
    const out = join(scratch.dir(), 'a');
    const r = await run('exercise', TEMPLATE, '--roster', ROSTER, '--out', out);
    assert.deepStrictEqual([r.code, r.err], [0, '']);
    assert.match(r.out, /^wrote 5 student notebooks to /);
    const first = snapshot(out);
    assert.deepStrictEqual(Object.keys(first).sort(), [...IDS.map((id) => `${id}.bpnb`), ...IDS.flatMap((id) => [`key/${id}.bpnb`, `key/${id}.md`])].sort());
    const again = await run('exercise', TEMPLATE, '--roster', ROSTER, '--out', out);
    assert.strictEqual(again.code, 0);
    assert.deepStrictEqual(snapshot(out), first);
    const elsewhere = join(scratch.dir(), 'b');
    assert.strictEqual((await run('exercise', TEMPLATE, '--roster', ROSTER, '--out', elsewhere, '--seed', '1')).code, 0);
    assert.deepStrictEqual(snapshot(elsewhere), first);
    assert.strictEqual((await run('exercise', TEMPLATE, '--roster', ROSTER, '--out', join(scratch.dir(), 'c'), '--seed', '2')).code, 0);
    assert.notDeepStrictEqual(readFileSync(join(scratch.dir(), 'c', 's01.bpnb')), first['s01.bpnb']);
  });

  it('`bpnb run` of an answer key exits 0; of a student\'s notebook too (blanks are not failures)', async () => {
    const out = join(scratch.dir(), 'a');
    for (const id of IDS) assert.strictEqual((await run('run', join(out, 'key', `${id}.bpnb`))).code, 0, id);
    const student = await run('run', join(out, 's01.bpnb'));
    assert.strictEqual(student.code, 0);
    assert.match(student.out, /17 not answered yet/);
  });

  it('never overwrites a student\'s notebook that differs (it may be a submission)', async () => {
    const out = join(scratch.dir(), 'a');
    const s01 = join(out, 's01.bpnb');
    const submitted = readFileSync(s01, 'utf8').replace('E       = ?', 'E       = 0.30');
    writeFileSync(s01, submitted);
    const r = await run('exercise', TEMPLATE, '--roster', ROSTER, '--out', out);
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /s01\.bpnb: exists with other contents \(a submission\?\): nothing was written/);
    assert.strictEqual(readFileSync(s01, 'utf8'), submitted);
  });

  it('grades the folder: CSV and feedback where asked, exit 0 whatever the marks', async () => {
    const out = join(scratch.dir(), 'a');
    copyFileSync(join(out, 'key', 's02.bpnb'), join(out, 's02.bpnb'));
    for (const id of ['s04', 's05']) writeFileSync(join(out, `${id}.bpnb`), '');
    const r = await run('grade', out, '--template', TEMPLATE, '--roster', ROSTER);
    assert.deepStrictEqual([r.code, r.err], [0, '']);
    const csv = readFileSync(join(out, 'grades.csv'), 'utf8').split('\r\n');
    assert.strictEqual(csv[0], "id,points,max,E,dE/dw5,dE/dw6,dE/dw7,dE/dw8,dE/dw1,dE/dw2,dE/dw3,dE/dw4,w5',w6',w7',w8',w1',w2',w3',w4',note");
    // s01 answered E = 0.30 (their E is 0.253556); s02 handed in the key; s03 the notebook as it was;
    // s04 and s05 empty files, which declare none of their numbers.
    assert.strictEqual(csv[1], `s01,0,21,0,${Array(16).fill('').join(',')},`);
    assert.strictEqual(csv[2], `s02,21,21,${Array(17).fill('1').join(',')},`);
    assert.strictEqual(csv[3], `s03,0,21,${Array(17).fill('').join(',')},`);
    assert.match(csv[4], /^s04,0,21,,+"numbers changed: w1 is no longer declared, the exercise gave 0\.\d+"$/);
    assert.deepStrictEqual(readdirSync(join(out, 'feedback')).sort(), IDS.map((id) => `${id}.md`));
    const custom = await run('grade', out, '--template', TEMPLATE, '--roster', ROSTER, '--csv', join(scratch.dir(), 'g.csv'), '--feedback', join(scratch.dir(), 'fb'), '--answers');
    assert.strictEqual(custom.code, 0);
    assert.ok(existsSync(join(scratch.dir(), 'g.csv')));
    assert.match(readFileSync(join(scratch.dir(), 'fb', 's03.md'), 'utf8'), /not answered\. The exact value is/);
    assert.doesNotMatch(readFileSync(join(out, 'feedback', 's03.md'), 'utf8'), /exact value/);
  });

  it('a missing submission is a row with a note', async () => {
    const out = join(scratch.dir(), 'b');
    const r = await run('grade', out, '--template', TEMPLATE, '--roster', ROSTER);
    assert.strictEqual(r.code, 0);
    assert.match(readFileSync(join(out, 'grades.csv'), 'utf8'), /^s01,0,21,,+,$/m);
    assert.strictEqual((await run('grade', join(scratch.dir(), 'nowhere'), '--template', TEMPLATE, '--roster', ROSTER, '--csv', join(scratch.dir(), 'n.csv'), '--feedback', join(scratch.dir(), 'nfb'))).code, 0);
    assert.match(readFileSync(join(scratch.dir(), 'n.csv'), 'utf8'), /^s05,0,21,,+missing$/m);
  });

  it('says what is wrong with a roster or a template at FILE:LINE:COL, with status 2', async () => {
    const roster = scratch.file('bad.csv', 'id,name\ns01,Ada\n../x,Eve\n');
    const r = await run('exercise', TEMPLATE, '--roster', roster, '--out', join(scratch.dir(), 'x'));
    assert.strictEqual(r.code, 2);
    assert.match(r.err, /^.*bad\.csv:3:1: '\.\.\/x' cannot name a file/);
    const template = scratch.file('t.bpnb', readFileSync(TEMPLATE, 'utf8').replace('vary rate', 'vary rat'));
    const t = await run('exercise', template, '--roster', ROSTER, '--out', join(scratch.dir(), 'x'));
    assert.strictEqual(t.code, 2);
    const line = readFileSync(template, 'utf8').split('\n').findIndex((l) => l.startsWith('vary rat')) + 1;
    assert.match(t.err, new RegExp(`t\\.bpnb:${line}:6: 'vary' draws 'rat', which the network cell does not declare`));
    assert.ok(!existsSync(join(scratch.dir(), 'x')));
    const g = await run('grade', join(scratch.dir(), 'a'), '--template', template, '--roster', ROSTER);
    assert.strictEqual(g.code, 2);
  });

  it('rejects bad usage with status 2 and says why', async () => {
    for (const [argv, message] of [
      [['exercise', TEMPLATE, '--out', 'd'], /bpnb exercise needs --roster ROSTER\.csv/],
      [['exercise', TEMPLATE, '--roster', ROSTER], /bpnb exercise needs --out DIR/],
      [['exercise', '--roster', ROSTER, '--out', 'd'], /missing file: bpnb exercise TEMPLATE\.bpnb/],
      [['exercise', TEMPLATE, '--roster', ROSTER, '--out', 'd', '--seed', '-1'], /--seed takes a whole number from 0 to 4294967295, not '-1'/],
      [['exercise', TEMPLATE, '--roster', ROSTER, '--out', 'd', '--format', 'json'], /--format is not an option of 'bpnb exercise'/],
      [['grade', 'd', '--roster', ROSTER], /bpnb grade needs --template TEMPLATE\.bpnb/],
      [['grade', '--template', TEMPLATE, '--roster', ROSTER], /missing folder: bpnb grade DIR/],
      [['grade', 'd', '--template', TEMPLATE, '--roster', ROSTER, '--answers=yes'], /--answers takes no value/],
      [['run', TEMPLATE, '--roster', ROSTER], /--roster is not an option of 'bpnb run'/],
      [['mark', 'd'], /unknown command 'mark'; the commands are run, exercise and grade/],
    ] as [string[], RegExp][]) {
      const r = await run(...argv);
      assert.strictEqual(r.code, 2, argv.join(' '));
      assert.match(r.err, message);
    }
  });
});
