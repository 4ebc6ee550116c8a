/**
 * The command line, in-process through `main` and as the built `node dist/cli.js`.
 * Expected numbers are Mazur's published 2-2-2 example (the seeds' notes agree with it):
 * E = 0.298371109, out_h1 = 0.593269992, ∂E/∂out_o1 = 0.74136507, ∂out_o1/∂net_o1 = 0.186815602,
 * ∂E/∂w5 = 0.082167041, w5' = 0.35891648, ∂out_h1/∂net_h1 = 0.241300709, ∂E/∂w1 = 0.000438568,
 * w1' = 0.149780716.
 */
import * as assert from 'assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { run, scratchFiles } from './helpers';
import { assertMathTypesets } from '../engine/present/katex';

const root = join(__dirname, '..', '..');
const fixtures = join(__dirname, 'fixtures');
const mazur = join(fixtures, 'mazur.bpnb');

/** Chains print their `=` steps on aligned lines; join them to read one equation. */
const flat = (s: string) => s.replace(/\n\s+= /g, ' = ');

const NETWORK = [
  'input  i1 i2', 'layer  h1 h2  sigmoid', 'layer  o1 o2  sigmoid',
  'w1  i1 -> h1 = 0.15', 'w2  i2 -> h1 = 0.20', 'w3  i1 -> h2 = 0.25', 'w4  i2 -> h2 = 0.30',
  'w5  h1 -> o1 = 0.40', 'w6  h2 -> o1 = 0.45', 'w7  h1 -> o2 = 0.50', 'w8  h2 -> o2 = 0.55',
  'bias b1 -> h1 h2 = 0.35', 'bias b2 -> o1 o2 = 0.60', 'sample i1=0.05 i2=0.10 -> o1=0.01 o2=0.99',
].join('\n');

describe('bpnb command line', function () {
  const scratch = scratchFiles('bpnb-cli-');
  const file = scratch.file;

  describe('usage', () => {
    it('prints help and the version with status 0', async () => {
      const help = await run('--help');
      assert.strictEqual(help.code, 0);
      assert.match(help.out, /Usage: bpnb run FILE\.bpnb \[--format text\|markdown\|latex\|json\]/);
      const v = await run('--version');
      assert.strictEqual(v.code, 0);
      assert.strictEqual(v.out, `bpnb ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}\n`);
    });

    it('rejects bad usage with status 2 and says why', async () => {
      for (const [argv, message] of [
        [[], /missing command/],
        [['run'], /missing file/],
        [['mazur.bpnb'], /unknown command 'mazur\.bpnb' \(did you mean 'bpnb run mazur\.bpnb'\?\)/],
        [['run', mazur, '--format', 'pdf'], /unknown format 'pdf'/],
        [['run', mazur, '--format'], /--format needs a value/],
        [['run', mazur, '--fast'], /unknown option '--fast'/],
        [['run', mazur, '-x'], /unknown option '-x'/],
        [['run', mazur, '--format=pdf'], /unknown format 'pdf': use text, markdown, latex, json/],
        [['run', mazur, '-f', '--fast'], /unknown format '--fast'/],
        [['--help=yes'], /--help takes no value/],
        [['run', mazur, mazur], /one file at a time/],
      ] as [string[], RegExp][]) {
        const r = await run(...argv);
        assert.strictEqual(r.code, 2, argv.join(' '));
        assert.match(r.err, message);
        assert.strictEqual(r.out, '');
      }
    });

    it('reports a file it cannot read with status 2', async () => {
      const r = await run('run', join(scratch.dir(), 'missing.bpnb'));
      assert.strictEqual(r.code, 2);
      assert.strictEqual(r.err, `${join(scratch.dir(), 'missing.bpnb')}: cannot read: no such file\n`);
      const d = await run('run', scratch.dir());
      assert.strictEqual(d.code, 2);
      assert.match(d.err, /is a directory/);
      // A device that never ends is cut off, not read until memory runs out.
      const z = await run('run', '/dev/zero');
      assert.strictEqual(z.code, 2);
      assert.match(z.err, /^\/dev\/zero: cannot read: is too large/);
    });
  });

  describe('running the published 2-2-2 example', () => {
    it('passes its checks and prints every factor of the step with status 0', async () => {
      const r = await run('run', mazur);
      assert.strictEqual(r.err, '');
      assert.strictEqual(r.code, 0);
      const out = flat(r.out);
      assert.match(out, /6 checks passed/);
      assert.match(out, /0\.741365 × 0\.186816 × 0\.59327 = 0\.082167\b/);
      assert.match(out, /× 0\.241301 × 0\.05 = 0\.000438568\b/);
      assert.match(out, /^w5\s+0\.4\s+0\.082167\s+0\.0410835\s+.*= 0\.358916$/m);
      assert.match(out, /^w1\s+0\.15\s+0\.000438568\s+0\.000219284\s+.*= 0\.149781$/m);
      assert.match(out, /E = 0\.274811 \+ 0\.02356 = 0\.298371\b/);
      // Cells are introduced by their place in the file.
      assert.ok(r.out.includes(`── cell 3 (${mazur}:36) ──`), r.out.slice(0, 300));
    });

    it('fits a terminal of 100 columns, or the terminal it writes to', async () => {
      const r = await run('run', mazur);
      assert.deepStrictEqual(r.out.split('\n').filter((l) => [...l].length > 100), []);
      // The backward table is too wide for 100 columns: each neuron's formulas are stacked.
      assert.match(r.out, /^o1 +∂E\/∂out_o1 = out_o1 − t_o1 = 0\.751365 − 0\.01 = 0\.741365\n +∂out_o1\/∂net_o1 = /m);
      let wide = '';
      const code = await main(['run', mazur], { out: (s) => { wide += s; }, err: () => {}, columns: 240 });
      assert.strictEqual(code, 0);
      assert.match(wide, /^Neuron +∂E\/∂out +∂out\/∂net +δ = ∂E\/∂net$/m);
      assert.ok(wide.split('\n').some((l) => [...l].length > 100));
    });

    it('exits 1 when a check fails and marks the line', async () => {
      const r = await run('run', join(fixtures, 'wrong-check.bpnb'));
      assert.strictEqual(r.code, 1);
      assert.match(r.out, /^\d+\s+dE\/dw5\s+0\.0821\s+0\.082167\s+.*✗$/m);
      assert.match(r.out, /^\d+\s+E\s+0,298\s+0\.298371\s+.*✓$/m);
      assert.match(r.out, /1 of 3 checks failed/);
    });

    it('writes Markdown, LaTeX and JSON', async () => {
      const md = await run('run', mazur, '--format', 'markdown');
      assert.strictEqual(md.code, 0);
      assert.ok(md.out.startsWith("# Mazur's step-by-step example"));
      assert.match(md.out, /```bpnb\nstep\n```/);
      assert.match(md.out, /0\.741365 \\times 0\.186816 \\times 0\.59327 \\\\\n&= 0\.082167/);
      assert.ok(assertMathTypesets(md.out) > 50);

      const tex = await run('run', mazur, '--format=latex');
      assert.strictEqual(tex.code, 0);
      assert.ok(tex.out.startsWith('\\documentclass'));
      assert.match(tex.out, /\\title\{mazur: worked solution\}/);
      assert.ok(tex.out.trimEnd().endsWith('\\end{document}'));

      // Short options take their value attached too, and `--` ends the options.
      assert.deepStrictEqual(await run('run', '-fjson', '--', mazur), await run('run', mazur, '-f', 'json'));
      const json = await run('run', mazur, '-f', 'json');
      assert.strictEqual(json.code, 0);
      const data = JSON.parse(json.out);
      assert.strictEqual(data.exitCode, 0);
      assert.deepStrictEqual(data.cells.map((c: { line: number }) => c.line), [7, 27, 36]);
      const step = data.cells[2].traces.find((t: { kind: string }) => t.kind === 'step');
      const w5 = step.updates[0].updates.find((u: { name: string }) => u.name === 'w5');
      assert.ok(Math.abs(w5.new - 0.35891648) < 5e-9, String(w5.new));
    });
  });

  describe('running the ReLU chain of the notes', () => {
    it('matches ŷ = 1.2, J = 0.32, dJ/dw1 = −1.92, dJ/dw2 = −1.2, new weights 0.692 and 0.92, then J ≈ 0.004', async () => {
      const p = file('relu.bpnb', 'input x\nlayer h relu\nlayer y relu\nw1 x -> h = 0.5\nw2 h -> y = 0.8\nloss half-mse\nrate 0.1\n'
        + 'sample x=3 -> y=2\n\n%%\nstep\n\n%%\nforward\ncheck\n  E = 0.004\n');
      const r = await run('run', p);
      assert.strictEqual(r.err, '');
      assert.strictEqual(r.code, 0);
      const out = flat(r.out);
      assert.match(out, /out_y = relu\(net_y\) = max\(0, 1\.2\) = 1\.2/);
      assert.match(out, /½ · \(t_y − out_y\)² = ½ · \(2 − 1\.2\)² = 0\.32/);
      assert.match(out, /∂E\/∂w1 = .* = -1\.92\n/);
      assert.match(out, /∂E\/∂w2 = .* = -1\.2\n/);
      assert.match(out, /^w1\s+0\.5\s+-1\.92\s+-0\.192\s+.*= 0\.692$/m);
      assert.match(out, /^w2\s+0\.8\s+-1\.2\s+-0\.12\s+.*= 0\.92$/m);
      assert.match(out, /net_h = w1 · x = 0\.692 × 3 = 2\.076/);
      assert.match(out, /All 1 check passed/);
    });
  });

  describe('batches and modes, worked by hand', () => {
    // y = w·x, w = 1, samples (x=1 → 2) and (x=2 → 3), half-sse, η = 0.1.
    const net = 'input x\nlayer y linear\nw x -> y = 1\nrate 0.1\nsample x=1 -> y=2\nsample x=2 -> y=3\n';

    it('batch: each sample\'s contribution, then the sum: −1 + (−2) = −3, w = 1.3', async () => {
      const r = await run('run', file('batch.bpnb', `${net}%%\nstep\n`));
      assert.strictEqual(r.code, 0, r.err);
      const out = flat(r.out);
      assert.ok(out.includes('∂E/∂w = ∂E[1]/∂w + ∂E[2]/∂w = -1 + (-2) = -3'), out);
      assert.match(out, /^w\s+1\s+-3\s+-0\.3\s+.*= 1\.3$/m);
      // (2 − 1.3)²/2 + (3 − 2.6)²/2 = 0.245 + 0.08
      assert.match(out, /After the step: E = 0\.325$/m);
    });

    it('sample mode: the second update starts from the first one\'s weights', async () => {
      // Sample 1: ∂E/∂w = (1 − 2)·1 = −1 → w = 1.1; sample 2: y = 2.2, ∂E/∂w = (2.2 − 3)·2 = −1.6 → w = 1.26.
      const r = await run('run', file('sample.bpnb', `${net}mode sample\n%%\nstep\n`));
      assert.strictEqual(r.code, 0, r.err);
      const out = flat(r.out);
      assert.match(out, /Update 2 of 2: sample 2/);
      assert.match(out, /net_y = w · x = 1\.1 × 2 = 2\.2/);
      assert.match(out, /^w\s+1\.1\s+-1\.6\s+-0\.16\s+.*= 1\.26$/m);
    });
  });

  describe('long training on a terminal', () => {
    it('shows progress on stderr and stops cleanly at Ctrl-C with status 2', async () => {
      const p = file('long.bpnb', `${NETWORK}\n\n%%\ntrain 3000000\n`);
      let out = '';
      let err = '';
      let progress = 0;
      const code = await main(['run', p], {
        out: (s) => { out += s; },
        err: (s) => { err += s; if (s.includes('train: epoch')) progress++; },
        errIsTTY: true,
        cancelled: () => progress > 0,
      });
      assert.strictEqual(code, 2);
      assert.match(err, new RegExp(`${p.replace(/[.\\/]/g, '\\$&')}:17: train: epoch [\\d,]+ of 3,000,000, E = `));
      assert.match(err, /:17:1: interrupted: stopped after [\d,]+ of 3,000,000 epochs; the weights are those after the last whole epoch/);
      assert.match(out, /Training: [\d,]+ of 3000000 epochs/);
    });
  });

  describe('errors', () => {
    it('stops a diverging train with FILE:LINE:COL and status 2', async () => {
      const p = file('diverge.bpnb', 'input x\nlayer y linear\nw x -> y = 1\nrate 100\nsample x=10 -> y=1\n%%\ntrain 1000\n');
      const r = await run('run', p);
      assert.strictEqual(r.code, 2);
      assert.match(r.err, new RegExp(`^${p.replace(/[.\\/]/g, '\\$&')}:7:1: .*learning rate`, 'm'));
      assert.match(r.out, /Training: \d+ of 1000 epochs/);
    });

    it('points at FILE:LINE:COL in the file, names the culprit and stops with status 2', async () => {
      const p = file('unknown.bpnb', `%% markdown\nintro\n\n%%\n${NETWORK}\n\n%%\nforward\nfreeze wx5\n\n%%\nstep\n`);
      // `freeze wx5` is line 22 of the file.
      const r = await run('run', p);
      assert.strictEqual(r.code, 2);
      assert.match(r.err, new RegExp(`^${p.replace(/[.\\/]/g, '\\$&')}:22:8: .*'wx5'.*'w5'`, 'm'));
      assert.match(r.err, /1 later cell was not run/);
      assert.ok(!/\n\s+at /.test(r.err), r.err);
    });

    it('names the earlier line of a duplicate by its line in the file too', async () => {
      // Line 5 of the file is the cell's first; `w1` is first declared on file line 9, h1 on line 6.
      const p = file('duplicate.bpnb', '%% markdown\n# hi\n\n%%\ninput i1 i2\nlayer h1 h2 sigmoid\nlayer o1 sigmoid\ninit xavier\nw1 i1 -> h1 = 1\nw1 i2 -> h1 = 2\nbias h1 -> o1 = 1\n');
      const r = await run('run', p);
      assert.strictEqual(r.code, 2);
      assert.ok(r.err.includes(`${p}:10:1: duplicate name 'w1': already declared on line 9\n`), r.err);
      assert.ok(r.err.includes(`${p}:11:6: duplicate name 'h1': already declared on line 6\n`), r.err);
      const json = JSON.parse((await run('run', p, '--format', 'json')).out);
      assert.strictEqual(json.cells[0].errors[0].message, "duplicate name 'w1': already declared on line 9");
    });

    it('counts the column of an escaped \\%% line in the file', async () => {
      const r = await run('run', file('escaped.bpnb', '%%\ninput a\nlayer b linear\nw a -> b = 1\n\\%%oops\n'));
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /escaped\.bpnb:5:2: .*'%%oops'/);
    });

    it('counts lines the same in a CRLF file with a BOM', async () => {
      const text = `\ufeff%%\r\n${NETWORK.replace(/\n/g, '\r\n')}\r\n\r\n%%\r\nforward\r\nrate fast\r\n`;
      const r = await run('run', file('crlf.bpnb', text));
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /crlf\.bpnb:19:\d+: /);
    });

    it('opens binary junk without a stack trace', async () => {
      const r = await run('run', file('junk.bpnb', Uint8Array.from([0xff, 0x00, 0x25, 0x25, 0x0a, 0xc3, 0x28, 0x0a])));
      assert.strictEqual(r.code, 2);
      assert.match(r.err, /junk\.bpnb:\d+:\d+: /);
      assert.ok(!/\n\s+at /.test(r.err), r.err);
    });

    it('runs an empty notebook as nothing to do', async () => {
      const r = await run('run', file('empty.bpnb', ''));
      assert.deepStrictEqual(r, { code: 0, out: '', err: '' });
    });
  });

  describe('the built dist/cli.js', function () {
    this.timeout(60000);
    before(() => {
      const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
      assert.strictEqual(b.status, 0, b.stderr);
    });
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8' });

    it('runs a notebook and exits 0', () => {
      const r = cli('run', mazur);
      assert.strictEqual(r.status, 0, r.stderr);
      assert.match(flat(r.stdout), /0\.741365 × 0\.186816 × 0\.59327 = 0\.082167\b/);
    });

    it('exits 1 on a failed check and 2 on an error, without a stack trace', () => {
      assert.strictEqual(cli('run', join(fixtures, 'wrong-check.bpnb')).status, 1);
      const bad = cli('run', join(scratch.dir(), 'nope.bpnb'));
      assert.strictEqual(bad.status, 2);
      assert.match(bad.stderr, /nope\.bpnb: cannot read: no such file/);
      const usage = cli('--format', 'xml');
      assert.strictEqual(usage.status, 2);
      assert.ok(!/\n\s+at /.test(usage.stderr));
    });

    it('answers --version', () => {
      const r = cli('--version');
      assert.strictEqual(r.status, 0);
      assert.match(r.stdout, /^bpnb \d+\.\d+\.\d+\n$/);
    });
  });
});
