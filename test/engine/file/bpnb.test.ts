import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BPNB_LIMITS, BpnbCellInput, BpnbFileFormat, parseBpnb, readBpnb, serializeBpnb, writeBpnb,
} from '../../../src/engine/file/bpnb';
import { firstInvalidUtf8 } from '../../../src/engine/file/encoding';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
const plain = (cells: { kind: string; source: string }[]) => cells.map((c) => ({ kind: c.kind, source: c.source }));

/** mulberry32: a small seeded generator so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('.bpnb file format', () => {
  describe('reading', () => {
    it('splits at markers and takes text before the first marker as a code cell', () => {
      const { cells } = parseBpnb('input a\nlayer b linear\n\n%% markdown\n# Notes\n\n%%\nforward\n\n%% bpnb\nstep\n');
      assert.deepStrictEqual(plain(cells), [
        { kind: 'code', source: 'input a\nlayer b linear' },
        { kind: 'markdown', source: '# Notes' },
        { kind: 'code', source: 'forward' },
        { kind: 'code', source: 'step' },
      ]);
    });

    it('gives each cell the 1-based file line of its first source line', () => {
      const text = 'input a\nlayer b linear\n\n%% markdown\n# Notes\n\n%%\n\nforward\n';
      const { cells } = parseBpnb(text);
      assert.deepStrictEqual(cells.map((c) => c.line), [1, 5, 8]);
      const fileLines = text.split('\n');
      for (const c of cells) assert.strictEqual(fileLines[c.line - 1], c.source.split('\n')[0]);
    });

    it('unescapes \\%% and \\\\%% lines and treats any other %% line as a marker', () => {
      const { cells } = parseBpnb('%%\n\\%% not a marker\n\\\\%% two\n%% python\nx');
      assert.deepStrictEqual(plain(cells), [
        { kind: 'code', source: '%% not a marker\n\\%% two' },
        { kind: 'code', source: 'x' },
      ]);
      assert.strictEqual(cells[1].format?.marker, '%% python');
    });

    it('reads a file without markers as one code cell, and an empty file as no cells', () => {
      assert.deepStrictEqual(plain(parseBpnb('forward\nstep').cells), [{ kind: 'code', source: 'forward\nstep' }]);
      assert.deepStrictEqual(parseBpnb('').cells, []);
    });

    it('reads CRLF, a BOM and no final newline, and writes them back', () => {
      const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('%% markdown\r\n# Hi\r\n\r\n%%\r\nforward')]);
      const doc = readBpnb(bytes);
      assert.deepStrictEqual(plain(doc.cells), [{ kind: 'markdown', source: '# Hi' }, { kind: 'code', source: 'forward' }]);
      assert.strictEqual(doc.format.bom, true);
      assert.strictEqual(doc.format.eol, '\r\n');
      assert.strictEqual(doc.format.finalNewline, false);
      assert.deepStrictEqual(writeBpnb(doc.cells, doc.format), bytes);
    });

    it('opens invalid UTF-8 as latin1 without losing a byte', () => {
      const bytes = Uint8Array.from([0x25, 0x25, 0x0a, 0xff, 0xfe, 0x00, 0xc3, 0x0a, 0x80]);
      const doc = readBpnb(bytes);
      assert.strictEqual(doc.format.encoding, 'latin1');
      assert.strictEqual(doc.cells[0].source, '\u00ff\u00fe\u0000\u00c3\n\u0080');
      assert.deepStrictEqual(writeBpnb(doc.cells, doc.format), bytes);
    });

    it('decodes UTF-8 text, keeping non-ASCII names and symbols', () => {
      const doc = readBpnb(enc('%% markdown\nη = 0.5, ∂E/∂w5 ✓\n'));
      assert.strictEqual(doc.format.encoding, 'utf-8');
      assert.strictEqual(doc.cells[0].source, 'η = 0.5, ∂E/∂w5 ✓');
    });
  });

  describe('writing', () => {
    it('writes canonical markers with a blank line between cells', () => {
      const text = serializeBpnb([
        { kind: 'markdown', source: '# Title' },
        { kind: 'code', source: 'input a\n%% looks like a marker\n\\%% so does this' },
        { kind: 'code', source: '' },
      ]);
      assert.strictEqual(text, '%% markdown\n# Title\n\n%%\ninput a\n\\%% looks like a marker\n\\\\%% so does this\n\n%%\n');
    });

    it('writes an edited mixed-ending file with its main line ending everywhere', () => {
      const doc = readBpnb(enc('%%\r\na\r\nb\n\r\n%%\r\nc\r\n'));
      assert.strictEqual(doc.format.eol, '\r\n');
      assert.ok(doc.format.mixedEol);
      assert.strictEqual(dec(writeBpnb(doc.cells, doc.format)), '%%\r\na\r\nb\n\r\n%%\r\nc\r\n');
      const edited = [{ ...doc.cells[0], source: 'a\nB' }, doc.cells[1]];
      assert.strictEqual(dec(writeBpnb(edited, doc.format)), '%%\r\na\r\nB\r\n\r\n%%\r\nc\r\n');
    });

    it('gives a moved unmarked first cell a marker', () => {
      const { cells } = parseBpnb('forward\n%% markdown\nhi\n');
      assert.strictEqual(cells[0].format?.marker, null);
      const text = serializeBpnb([cells[1], cells[0]]);
      assert.deepStrictEqual(plain(parseBpnb(text).cells), [{ kind: 'markdown', source: 'hi' }, { kind: 'code', source: 'forward' }]);
    });

    it('replaces a kept marker that no longer matches the cell kind', () => {
      const { cells } = parseBpnb('%% MD\nhi\n');
      assert.strictEqual(cells[0].kind, 'markdown');
      assert.strictEqual(serializeBpnb([{ ...cells[0], kind: 'code' }]), '%%\nhi\n');
    });
  });

  describe('round trips on generated input', () => {
    const pieces = ['%%', '%% markdown', '%% bpnb', '\\%%', '\\\\%%', '\n', '\n', '\r\n', '\r', ' ', '', 'a', 'w5 h1 -> o1 = 0.4',
      '# x', '\t', 'η', '\\', '%', 'markdown'];

    function randomText(r: () => number): string {
      let s = '';
      const n = Math.floor(r() * 14);
      for (let i = 0; i < n; i++) s += pieces[Math.floor(r() * pieces.length)];
      return s;
    }

    it('write(read(bytes)) gives back the bytes, for text and binary junk', () => {
      const r = rng(20261122);
      for (let k = 0; k < 3000; k++) {
        let bytes: Uint8Array;
        if (k % 3 === 2) {
          bytes = Uint8Array.from({ length: Math.floor(r() * 40) }, () => {
            const x = r();
            return x < 0.15 ? 10 : x < 0.25 ? 13 : x < 0.35 ? 37 : x < 0.4 ? 92 : Math.floor(r() * 256);
          });
        } else {
          bytes = enc((r() < 0.2 ? '\ufeff' : '') + randomText(r));
        }
        const doc = readBpnb(bytes);
        const again = writeBpnb(JSON.parse(JSON.stringify(doc.cells)), JSON.parse(JSON.stringify(doc.format)));
        assert.deepStrictEqual(Array.from(again), Array.from(bytes), `case ${k}: ${JSON.stringify(Array.from(bytes))}`);
      }
    });

    it('read(write(cells)) gives back the cells, and line numbers point at their first line', () => {
      const r = rng(7);
      for (let k = 0; k < 3000; k++) {
        const cells: BpnbCellInput[] = Array.from({ length: Math.floor(r() * 5) }, () => {
          const lines = Array.from({ length: Math.floor(r() * 4) }, () => randomText(r).replace(/[\r\n]/g, ''));
          return { kind: r() < 0.3 ? 'markdown' : 'code', source: lines.join('\n') };
        });
        const format: Partial<BpnbFileFormat> = { eol: (['\n', '\r\n', '\r'] as const)[k % 3], finalNewline: r() < 0.7, bom: r() < 0.2 };
        const bytes = writeBpnb(cells, format);
        const doc = readBpnb(bytes);
        assert.deepStrictEqual(plain(doc.cells), plain(cells), `case ${k}: ${JSON.stringify(cells)}`);
        const fileLines = dec(bytes).replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
        for (const c of doc.cells) {
          if (c.source === '') continue;
          const first = c.source.split('\n')[0];
          assert.strictEqual(fileLines[c.line - 1], /^\\*%%/.test(first) ? '\\' + first : first, `case ${k}`);
        }
      }
    });
  });

  describe('limits: time and memory linear in the file, whatever it holds', () => {
    it('60 MB of "%%" lines: the first 10,000 cells, the rest kept unread, and an error at the line it stopped', () => {
      const bytes = enc('%%\n'.repeat(20 * 1024 * 1024));
      const doc = readBpnb(bytes);
      assert.strictEqual(doc.cells.length, BPNB_LIMITS.maxCells);
      assert.deepStrictEqual(doc.error, { code: 'file-too-many-cells', args: { max: 10_000 }, line: 10_001, column: 1 });
      assert.strictEqual(doc.format.tail?.length, bytes.length - 3 * 10_000);
      assert.ok(same(writeBpnb(doc.cells, doc.format), bytes), 'nothing is lost');
    });

    it('60 MB of empty lines: one cell of the first 4,000,000 lines, and an error at line 4,000,001', () => {
      const bytes = enc('\n'.repeat(60 * 1024 * 1024));
      const doc = readBpnb(bytes);
      assert.strictEqual(doc.cells.length, 1);
      assert.strictEqual(doc.cells[0].source.length, BPNB_LIMITS.maxLines - 1);
      assert.deepStrictEqual(doc.error, { code: 'file-too-many-lines', args: { max: 4_000_000 }, line: 4_000_001, column: 1 });
      assert.ok(same(writeBpnb(doc.cells, doc.format), bytes), 'nothing is lost');
    });

    it('a file within the limits has no error, a million-row table included', () => {
      const text = `%%\ninput x\nlayer y linear\n\n%%\ndata\n  x -> y\n${'  1 2\n'.repeat(1_000_000)}`;
      const doc = readBpnb(enc(text));
      assert.strictEqual(doc.error, undefined);
      assert.strictEqual(doc.cells[1].source.split('\n').length, 1_000_002);
    });

    it('cut anywhere by small limits, a file still writes back byte for byte, its cells before the error line', () => {
      const r = rng(99);
      const pieces = ['%%\n', '%% markdown\n', 'a\n', '\n', '\r\n', '\r', '\\%%\n', ' \n', 'x'];
      for (let k = 0; k < 3000; k++) {
        let text = '';
        for (let i = Math.floor(r() * 12); i > 0; i--) text += pieces[Math.floor(r() * pieces.length)];
        const limits = { maxLines: 1 + Math.floor(r() * 6), maxCells: 1 + Math.floor(r() * 3) };
        const bytes = enc(text);
        const doc = readBpnb(bytes, limits);
        const again = writeBpnb(JSON.parse(JSON.stringify(doc.cells)), JSON.parse(JSON.stringify(doc.format)));
        assert.deepStrictEqual(dec(again), text, `case ${k}: ${JSON.stringify(text)} ${JSON.stringify(limits)}`);
        assert.ok(doc.cells.length <= limits.maxCells, `case ${k}`);
        const lines = text.split(/\r\n|\n|\r/);
        const lineCount = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
        if (doc.error) {
          assert.ok(doc.error.line <= limits.maxLines + 1, `case ${k}`);
          for (const c of doc.cells) assert.ok(c.line + c.source.split('\n').length - 1 < doc.error.line || c.source === '', `case ${k}`);
        } else {
          assert.ok(lineCount <= limits.maxLines, `case ${k}: no error, so within the lines limit`);
          assert.deepStrictEqual(plain(doc.cells), plain(parseBpnb(text).cells), `case ${k}: the same cells as without limits`);
        }
      }
    });
  });

  describe('not UTF-8', () => {
    it('says where the first byte that is not UTF-8 is: line and column in the text read', () => {
      // "%% markdown\n# Caf\xE9\n%%\ninput →" with é as one Latin-1 byte.
      const bytes = Uint8Array.from([...enc('%% markdown\r\n# Caf'), 0xe9, ...enc('\n%%\ninput \u2192\n')]);
      const doc = readBpnb(bytes);
      assert.strictEqual(doc.format.encoding, 'latin1');
      assert.deepStrictEqual(doc.decodeNote, { line: 2, column: 6, byte: 0xe9 });
      assert.ok(same(writeBpnb(doc.cells, doc.format), bytes));
      const bom = readBpnb(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0d, 0x0a, 0x62, 0x80]));
      assert.deepStrictEqual(bom.decodeNote, { line: 3, column: 2, byte: 0x80 });
      assert.strictEqual(readBpnb(enc('caf\u00e9 \u2192 ok\n')).decodeNote, undefined);
    });

    it('finds the first invalid byte exactly where the standard decoder fails, on random bytes', () => {
      const fatal = new TextDecoder('utf-8', { fatal: true });
      const valid = (b: Uint8Array) => { try { fatal.decode(b); return true; } catch { return false; } };
      const r = rng(5);
      const special = [0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x9f, 0x8f, 0x90];
      for (let k = 0; k < 20_000; k++) {
        const b = Uint8Array.from({ length: 1 + Math.floor(r() * 8) }, () => (r() < 0.5 ? special[Math.floor(r() * special.length)] : r() < 0.5 ? 0x41 : Math.floor(r() * 256)));
        const at = firstInvalidUtf8(b);
        if (at < 0) { assert.ok(valid(b), `case ${k}: ${Array.from(b)}`); continue; }
        // Everything before is UTF-8, and no sequence of 1 to 4 bytes starting there is.
        assert.ok(valid(b.subarray(0, at)), `case ${k}: prefix of ${Array.from(b)}`);
        for (let n = 1; n <= 4; n++) assert.ok(!valid(b.subarray(at, at + n)) || at + n > b.length, `case ${k}: ${Array.from(b)} at ${at}`);
      }
    });
  });

  it('file-format.md states the limits the reader has', () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'file-format.md'), 'utf8').replace(/\s+/g, ' ');
    const n = (v: number) => v.toLocaleString('en-US');
    assert.ok(text.includes(`up to **${n(BPNB_LIMITS.maxLines)} lines** and **${n(BPNB_LIMITS.maxCells)} cells**`));
  });
});
