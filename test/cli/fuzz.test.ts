/**
 * A seeded, bounded fuzz of `bpnb run` (issue 9): a few hundred notebooks made by mutating the
 * examples and the test fixtures — characters deleted, inserted and duplicated, junk bytes (control
 * characters, invalid UTF-8), huge and odd numbers — run in-process through `main` in every format.
 * Whatever goes in: the exit status is 0, 1 or 2; no stack trace and no internal error; every error
 * is placed at FILE:LINE:COL inside the file; nothing written holds a control character.
 *
 * Bounded by construction: a fixed seed and count, and a `train` that a mutation made long is
 * interrupted after a fixed number of polls (the run then ends with status 2, which is allowed).
 */
import * as assert from 'assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { scratchFiles } from './helpers';
import { prng } from '../../src/engine/math/init';

/** Fixed, so a failure reproduces; set BPNB_FUZZ_SEED to explore others. */
const SEED = Number(process.env.BPNB_FUZZ_SEED ?? 20240917);
const NOTEBOOKS = 400;
const FORMATS = ['text', 'markdown', 'latex', 'json'] as const;
/** Polls of `cancelled` (before each cell and between slices of a `train`) before a run is stopped. */
const POLLS = 60;

const root = join(__dirname, '..', '..');
const sources = [
  ...readdirSync(join(root, 'examples')).map((f) => join(root, 'examples', f)),
  ...readdirSync(join(__dirname, 'fixtures')).map((f) => join(__dirname, 'fixtures', f)),
].filter((f) => f.endsWith('.bpnb')).map((f) => readFileSync(f));

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Random, n: number) => Math.floor(r() * n);

const WORDS = ['input', 'layer', 'bias', 'freeze', 'init xavier', 'loss mse', 'rate', 'mode sample', 'sample', 'data', 'forward', 'step',
  'train 3', 'check', 'gradcheck', 'digits 3', 'reset', '->', '=', ' ', '  ', '\n', '\n  ', '%%\n', '%% markdown\n', '\\%%', '#', 'w1', 'h1', 'o1', 'i1', 'x', 'sigmoid', 'relu', '(', ')', "'", ',', 'dE/dw5', '∂', '→', '²', 'θ'];
const NUMBERS = ['1e308', '-1e309', '1e-400', '99999999999999999999', 'NaN', 'Infinity', '-0', '0x10', '1,5', '1.2.3', '.', '-', '1e', '4294967297', '0.1e99999'];
const JUNK = [[0x1b, 0x5b, 0x32, 0x4a], [0x1b, 0x5d, 0x30, 0x3b, 0x50, 0x07], [0x00], [0x07], [0x08], [0x0d], [0x7f], [0xc2, 0x9b], [0xff], [0xc3, 0x28], [0xe9], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf], [0x0c], [0xf4, 0x90, 0x80, 0x80]];

const enc = (s: string) => [...new TextEncoder().encode(s)];

/** One mutation of the bytes of a notebook. */
function mutate(r: Random, bytes: number[]): number[] {
  const at = int(r, bytes.length + 1);
  switch (int(r, 6)) {
    case 0: return [...bytes.slice(0, at), ...bytes.slice(at + 1 + int(r, 20))];
    case 1: return [...bytes.slice(0, at), ...enc(pick(r, WORDS)), ...bytes.slice(at)];
    case 2: {
      const len = 1 + int(r, 80);
      return [...bytes.slice(0, at + len), ...bytes.slice(at, at + len), ...bytes.slice(at + len)];
    }
    case 3: return [...bytes.slice(0, at), ...pick(r, JUNK), ...bytes.slice(at)];
    case 4: {
      // Replace a number in the text by an odd or huge one.
      const text = new TextDecoder().decode(Uint8Array.from(bytes));
      const numbers = [...text.matchAll(/-?\d+(\.\d+)?/g)];
      if (numbers.length === 0) return bytes;
      const m = pick(r, numbers);
      return enc(text.slice(0, m.index) + pick(r, NUMBERS) + text.slice(m.index! + m[0].length));
    }
    default: {
      // A random byte anywhere, printable or not.
      return [...bytes.slice(0, at), int(r, 256), ...bytes.slice(at)];
    }
  }
}

function notebook(r: Random): Uint8Array {
  let bytes = [...pick(r, sources)];
  for (let k = 1 + int(r, 3); k > 0; k--) bytes = mutate(r, bytes);
  return Uint8Array.from(bytes);
}

/** Lines the command line may write to stderr without a place: how a run ended, not an error. */
const SUMMARY = /^(stopped( after the cell at line \d+)?; \d+ later cells? (was|were) not run|… and [\d,]+ more errors?)$/;

function checkOutput(file: string, lineCount: number, format: string, code: number, out: string, err: string): void {
  const what = `${file} (${format}): exit ${code}\n${err.slice(0, 600)}`;
  assert.ok(code === 0 || code === 1 || code === 2, what);
  assert.ok(!CONTROL.test(out) && !CONTROL.test(err), `control character written: ${what}`);
  assert.ok(!/\n\s+at \S/.test(err) && !/internal error/.test(err + out), `a crash: ${what}`);
  for (const line of err.split('\n').filter(Boolean)) {
    assert.ok(line.startsWith(`${file}:`), `not about the file: ${line}`);
    const rest = line.slice(file.length + 1);
    if (SUMMARY.test(rest.trimStart())) continue;
    const m = /^(\d+):(\d+): \S/.exec(rest);
    assert.ok(m, `no LINE:COL: ${line}\n${what}`);
    const [l, c] = [Number(m[1]), Number(m[2])];
    assert.ok(l >= 1 && l <= lineCount + 1 && c >= 1, `place ${l}:${c} outside a file of ${lineCount} lines: ${line}`);
  }
  if (code === 2) assert.ok(err.length > 0, `status 2 without a word: ${what}`);
  if (format === 'json') assert.strictEqual(JSON.parse(out).exitCode, code);
}

describe('bpnb run on mutated notebooks (seeded fuzz)', function () {
  this.timeout(600000);
  const scratch = scratchFiles('bpnb-fuzz-');

  it(`${NOTEBOOKS} notebooks: status 0/1/2, placed errors, no crash, no control character`, async () => {
    const r = prng(SEED);
    const codes = [0, 0, 0];
    for (let n = 0; n < NOTEBOOKS; n++) {
      const bytes = notebook(r);
      const file = scratch.file(`fuzz-${n}.bpnb`, bytes);
      const format = FORMATS[n % FORMATS.length];
      let out = '';
      let err = '';
      let polls = 0;
      const code = await main(['run', file, '--format', format], {
        out: (s) => { out += s; }, err: (s) => { err += s; }, cancelled: () => ++polls > POLLS,
      });
      // Lines as the reader counts them: LF, CRLF and a lone CR each end one.
      const lineCount = new TextDecoder('latin1').decode(bytes).split(/\r\n|\r|\n/).length;
      checkOutput(file, lineCount, format, code, out, err);
      codes[code]++;
    }
    // The mutations are mild enough that some notebooks still run, and strong enough that some fail.
    assert.ok(codes[0] + codes[1] > 0 && codes[2] > 0, `exit statuses ${codes.join('/')}`);
  });
});
