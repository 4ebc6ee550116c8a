/**
 * Issue 9 at the command line: nothing a notebook holds reaches the terminal as a control character
 * (row 7), a file full of errors ends with a bounded list (row 1), and a file that is not UTF-8 is
 * said to be so once (row 9). Inputs are generated here; bounded by construction, with a generous
 * timeout only so that a regression cannot hang the suite.
 */
import * as assert from 'assert';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { run, scratchFiles } from './helpers';
import { Terminal } from '../../src/cli/terminal';
import { escapeControl } from '../../src/engine/present/controls';
import { FileReport, MAX_LISTED_ERRORS } from '../../src/cli/report';
import { readBpnb, type BpnbCell } from '../../src/engine/file/bpnb';
import { Session } from '../../src/engine/session';
import { MAZUR_CELL } from '../engine/fixtures';

/** Any character a terminal may act on: C0 (but tab and newline), DEL, C1. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('bpnb run: what reaches the terminal', function () {
  this.timeout(300000);
  const { file, dir } = scratchFiles('bpnb-safety-');

  it('escapes control characters, keeping newlines and tabs', () => {
    assert.strictEqual(escapeControl('a\x1b[2J\x1b]0;PWNED\x07b\tc\nd\re\x7f\u009bf'), 'a\\x1b[2J\\x1b]0;PWNED\\x07b\tc\nd\\x0de\\x7f\\x9bf');
  });

  it('an escape sequence in a name is shown, not obeyed, in every format (row 7)', async () => {
    const p = file('escape.bpnb', 'input i1\x1b[2J\x1b]0;PWNED\x07\nlayer o linear\n');
    for (const format of ['text', 'markdown', 'latex', 'json']) {
      const r = await run('run', p, '--format', format);
      assert.strictEqual(r.code, 2, format);
      assert.ok(!CONTROL.test(r.out) && !CONTROL.test(r.err), `${format}: ${JSON.stringify(r.out + r.err)}`);
    }
    const r = await run('run', p);
    assert.match(r.err, /escape\.bpnb:1:\d+: .*\\x1b\[2J\\x1b\]0;PWNED\\x07/);
  });

  it('a check line holding escapes is echoed escaped', async () => {
    const p = file('check.bpnb', `${MAZUR_CELL}\n%%\ncheck\n  E = 0.298371109   # \x1b[31mred\x1b[0m\n  out(h1\x1b[2J) = 1\n  dE/dw5\x07 = 0.0822\n`);
    for (const format of ['text', 'markdown', 'json']) {
      const r = await run('run', p, '--format', format);
      assert.ok(r.code === 1 || r.code === 2, `${format}: exit ${r.code}`);
      assert.ok(!CONTROL.test(r.out) && !CONTROL.test(r.err), `${format}: ${JSON.stringify((r.out + r.err).slice(0, 2000))}`);
    }
  });

  it('a file name holding escapes is echoed escaped', async () => {
    const p = file('name\x1b]0;PWNED\x07.bpnb', 'input a\nlayer b linear\nw a -> b = 1\nrate fast\n');
    const r = await run('run', p);
    assert.strictEqual(r.code, 2);
    assert.ok(!CONTROL.test(r.err), JSON.stringify(r.err));
    assert.ok(r.err.includes('name\\x1b]0;PWNED\\x07.bpnb:4:'), r.err);
    const missing = await run('run', join(dir(), 'gone\x1b[2J.bpnb'));
    assert.strictEqual(missing.code, 2);
    assert.ok(!CONTROL.test(missing.err), JSON.stringify(missing.err));
    const usage = await run('run', 'a.bpnb', '--\x1b[2J');
    assert.strictEqual(usage.code, 2);
    assert.ok(!CONTROL.test(usage.err), JSON.stringify(usage.err));
  });

  it('the progress line on a terminal is the only escape the command line writes itself', async () => {
    let err = '';
    let progress = 0;
    const p = file('progress\x1b[2J.bpnb', `${MAZUR_CELL}\n%%\ntrain 3000000\n`);
    const code = await main(['run', p], {
      out: () => {}, err: (s) => { err += s; if (s.includes('train: epoch')) progress++; }, errIsTTY: true, cancelled: () => progress > 0,
    });
    assert.strictEqual(code, 2);
    assert.ok(!CONTROL.test(err.replaceAll('\r\x1b[K', '')), JSON.stringify(err));
  });

  it('80,000 lines of `x` end with a capped list of errors and how many more (row 1)', async () => {
    const p = file('xs.bpnb', 'x\n'.repeat(80_000));
    const r = await run('run', p);
    assert.strictEqual(r.code, 2);
    const printed = r.err.split('\n').filter(Boolean);
    assert.strictEqual(printed.length, MAX_LISTED_ERRORS + 1, printed.slice(-3).join('\n'));
    assert.match(printed[0], /xs\.bpnb:1:1: /);
    assert.match(printed[MAX_LISTED_ERRORS - 1], new RegExp(`xs\\.bpnb:${MAX_LISTED_ERRORS}:1: `));
    assert.strictEqual(printed[MAX_LISTED_ERRORS], `${p}: … and ${(80_000 - MAX_LISTED_ERRORS).toLocaleString('en-US')} more errors`);
    const json = JSON.parse((await run('run', p, '--format', 'json')).out);
    assert.ok(json.cells[0].errors.length <= MAX_LISTED_ERRORS + 1, String(json.cells[0].errors.length));
  });

  it('the error list is capped per file, across cells', () => {
    let err = '';
    const report = new FileReport('f.bpnb', new Terminal({ out: () => {}, err: (s) => { err += s; } }));
    // 60 errors in a cell at file lines 1-60, 60 more in one at lines 62-121.
    const cells = readBpnb(new TextEncoder().encode(`${'x\n'.repeat(60)}%%\n${'y\n'.repeat(60)}`)).cells;
    for (const cell of cells) report.cell(cell, { status: 'error', result: new Session().runSync(cell.source) });
    report.finish(cells, []);
    const lines = err.trimEnd().split('\n');
    assert.strictEqual(lines.length, MAX_LISTED_ERRORS + 1);
    assert.strictEqual(lines[MAX_LISTED_ERRORS - 1].replace(/: .*/, ''), `f.bpnb:${62 + (MAX_LISTED_ERRORS - 60) - 1}:1`);
    assert.strictEqual(lines[MAX_LISTED_ERRORS], `f.bpnb: … and ${120 - MAX_LISTED_ERRORS} more errors`);
  });

  it('names the lines a message speaks of in the file too', async () => {
    const p = file('duplicate.bpnb', '%% markdown\n# hi\n\n%%\ninput i1 i2\nlayer h1 sigmoid\nw1 i1 -> h1 = 1\nw1 i2 -> h1 = 2\n');
    const json = JSON.parse((await run('run', p, '--format', 'json')).out);
    assert.deepStrictEqual(json.cells[0].errors[0].related.map((x: { line: number }) => x.line), [7]);
    const cell: BpnbCell = { kind: 'code', source: 'a\nb\nc', line: 7 };
    const report = new FileReport('f.bpnb', new Terminal({ out: () => {}, err: () => {} }));
    const d = { code: 'duplicate-name' as const, args: { name: 'c' }, message: '', span: { start: 4, end: 5 }, line: 3, column: 1, severity: 'error' as const, related: [{ role: 'defined', line: 2 }] };
    assert.deepStrictEqual(report.diagnostic(cell, d), {
      file: 'f.bpnb', line: 9, column: 1, severity: 'error', code: 'duplicate-name', message: "duplicate name 'c': already declared on line 8", related: [{ role: 'defined', line: 8 }],
    });
  });

  it('says once, at the first odd byte, that a file was read as Latin-1 (row 9)', async () => {
    // é in Latin-1 (0xE9) in a Markdown cell, then a code cell with an arrow that now reads as three characters.
    const enc = (s: string) => [...new TextEncoder().encode(s)];
    const p = file('cafe.bpnb', Uint8Array.from([...enc('%% markdown\ncaf'), 0xe9, ...enc('\n\n%%\ninput a\nlayer b linear\nw a → b = 1\n')]));
    const r = await run('run', p);
    assert.strictEqual(r.code, 2);
    const lines = r.err.split('\n');
    assert.match(lines[0], new RegExp(`^${p.replace(/[.\\/]/g, '\\$&')}:2:4: note: this file is not valid UTF-8 \\(byte 0xE9 here\\), so it was read as Latin-1`));
    assert.strictEqual(r.err.match(/UTF-8/g)?.length, 1, 'said once');
    assert.match(lines[1], /cafe\.bpnb:7:\d+: /);
    const json = JSON.parse((await run('run', p, '--format', 'json')).out);
    assert.deepStrictEqual(json.problems.map((n: { line: number; column: number; severity: string; code: string }) => [n.code, n.line, n.column, n.severity]), [['file-not-utf8', 2, 4, 'note']]);
  });

  it('a file past the reader\'s limit on cells is an error at the line where reading stopped', async () => {
    const p = file('cells.bpnb', '%%\nforward\n\n'.repeat(10_001));
    const r = await run('run', p);
    assert.strictEqual(r.code, 2);
    assert.match(r.err.split('\n')[0], /cells\.bpnb:30001:1: this file has more than 10,000 cells/);
  });
});
