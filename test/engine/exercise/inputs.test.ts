/** The inputs of an exercise: the roster (CSV, RFC 4180) and the hash that seeds each student's draws. */
import * as assert from 'assert';
import { csvField, readCsv, writeCsv } from '../../../src/engine/exercise/csv';
import { drawsFor, fnv1a, studentHash } from '../../../src/engine/exercise/draw';
import { readRoster } from '../../../src/engine/exercise/roster';
import { messageOf } from '../../../src/engine/semantics/messages';
import { varyGrid } from '../../../src/engine/language/statements/vary';

describe('exercises: roster and draws', () => {
  it('reads CSV as RFC 4180 writes it: quotes, doubled quotes, commas and line breaks in fields, CRLF', () => {
    const { records, error } = readCsv('id,name\r\ns01,"Turing, Alan"\r\ns02,"Edsger ""EWD"" Dijkstra"\r\ns03,"two\nlines"\r\n');
    assert.strictEqual(error, undefined);
    assert.deepStrictEqual(records.map((r) => r.map((f) => f.text)), [['id', 'name'], ['s01', 'Turing, Alan'], ['s02', 'Edsger "EWD" Dijkstra'], ['s03', 'two\nlines']]);
    assert.deepStrictEqual(readCsv('\ufeffa,b\nc,\n').records.map((r) => r.map((f) => f.text)), [['a', 'b'], ['c', '']]);
    assert.strictEqual(readCsv('a,"b\n').error?.code, 'csv-unclosed-quote');
    assert.strictEqual(readCsv('a,b"c\n').error?.code, 'csv-quote-in-field');
    assert.strictEqual(readCsv('a,"b"c\n').error?.code, 'csv-after-quote');
  });

  it('writes CSV fields quoted only when they need it, each record ended by CRLF', () => {
    assert.deepStrictEqual(['plain', 'a,b', 'say "hi"', 'two\nlines', "w5'"].map(csvField), ['plain', '"a,b"', '"say ""hi"""', '"two\nlines"', "w5'"]);
    const text = writeCsv([['id', 'note'], ['s01', 'numbers changed: w1 is 0.3, not 0.2']]);
    assert.strictEqual(text, 'id,note\r\ns01,"numbers changed: w1 is 0.3, not 0.2"\r\n');
    assert.deepStrictEqual(readCsv(text).records.map((r) => r.map((f) => f.text)), [['id', 'note'], ['s01', 'numbers changed: w1 is 0.3, not 0.2']]);
  });

  it('takes the ids of the column id, in order, other columns ignored', () => {
    const r = readRoster('name,ID ,email\n"Lovelace, Ada",s01,a@x\nHopper,s-02.b,\n\n');
    assert.deepStrictEqual(r, { ids: ['s01', 's-02.b'], errors: [] });
  });

  it('rejects a roster it cannot use, at the line and column of the problem', () => {
    const problem = (text: string) => {
      const d = readRoster(text).errors[0];
      return d && [d.code, d.line, d.column];
    };
    assert.deepStrictEqual(problem(''), ['roster-no-header', 1, 1]);
    assert.deepStrictEqual(problem('name,email\nAda,a@x\n'), ['roster-no-id-column', 1, 1]);
    assert.deepStrictEqual(problem('id\n'), ['roster-no-students', 1, 1]);
    assert.deepStrictEqual(problem('name,id\nAda,s01\nGrace\n'), ['roster-missing-id', 3, 6]);
    assert.deepStrictEqual(problem('id\ns01\n../etc/passwd\n'), ['roster-unsafe-id', 3, 1]);
    assert.deepStrictEqual(problem('x,id\nA,s01\nB,"a b"\n'), ['roster-unsafe-id', 3, 3]);
    assert.deepStrictEqual(problem('id\nCON\n'), ['roster-unsafe-id', 2, 1]);
    assert.deepStrictEqual(problem('id\nnul.txt\n'), ['roster-unsafe-id', 2, 1]);
    assert.deepStrictEqual(problem('id\ns.\n'), ['roster-unsafe-id', 2, 1]);
    assert.deepStrictEqual(problem('id\n""\n'), ['roster-empty-id', 2, 1]);
    assert.deepStrictEqual(problem('id\ns01\nS01\n'), ['roster-duplicate-id', 3, 1]);
    assert.deepStrictEqual(problem('id\n"s01\n'), ['csv-unclosed-quote', 2, 1]);
    const d = readRoster('id\ns01\nS01\n').errors[0];
    assert.strictEqual(messageOf(d), "the id 'S01' is already on line 2 (ids are compared ignoring case, as some file systems do)");
  });

  it('hashes with 32-bit FNV-1a (its published test vectors)', () => {
    // From the FNV reference (Fowler, Noll, Vo; draft-eastlake-fnv): "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    assert.strictEqual(fnv1a(''), 0x811c9dc5);
    assert.strictEqual(fnv1a('a'), 0xe40c292c);
    assert.strictEqual(fnv1a('foobar'), 0xbf9cf968);
    assert.strictEqual(studentHash(1, 's01'), fnv1a('1:s01'));
    assert.notStrictEqual(studentHash(1, 's01'), studentHash(1, 's02'));
    assert.notStrictEqual(studentHash(1, 's01'), studentHash(2, 's01'));
  });

  it('draws the same values for the same seed and id, from the grid only', () => {
    const ref = (text: string) => ({ value: Number(text), text, halfUnit: 0.005, start: 0, end: 0 });
    const varied = [{ key: 'w1', grid: varyGrid(ref('0.10'), ref('0.60'), ref('0.05')) }, { key: 'rate', grid: varyGrid(ref('0.1'), ref('0.9'), ref('0.1')) }];
    const a = drawsFor(7, 's01', varied);
    const b = drawsFor(7, 's01', varied);
    const first = Array.from({ length: 50 }, () => a());
    assert.deepStrictEqual(Array.from({ length: 50 }, () => b()), first);
    const allowed = [new Set(Array.from({ length: 11 }, (_, i) => varied[0].grid.text(i))), new Set(Array.from({ length: 9 }, (_, i) => varied[1].grid.text(i)))];
    for (const draw of first) draw.forEach((t, i) => assert.ok(allowed[i].has(t), t));
    // 50 draws of 11 × 9 values: they are spread, not stuck on a few.
    assert.ok(new Set(first.map((d) => d.join())).size > 30);
    assert.notDeepStrictEqual(drawsFor(7, 's02', varied)(), drawsFor(8, 's02', varied)());
  });
});
