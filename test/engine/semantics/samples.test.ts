import * as assert from 'assert';
import { Session } from '../../../src/engine/session';
import { parseCell } from '../../../src/engine/language/parser';
import { collectSamples } from '../../../src/engine/semantics/samples';
import type { Diagnostic } from '../../../src/engine/semantics/diagnostics';

const NET = 'input i1 i2\nlayer o1 linear\nw1 i1 -> o1 = 1\nw2 i2 -> o1 = 1\n';
const errs = (cell: string) => new Session().runSync(cell).errors.map((e) => ({ at: `${e.line}:${e.column} ${e.code}`, args: e.args }));

describe('samples', () => {
  it('says which sample lacks which input or target', () => {
    assert.deepStrictEqual(errs(NET + 'sample i1=1 -> o1=0\nsample i1=1 i2=2 -> o1=1\nsample i2=2 ->\n'), [
      { at: '5:1 sample-lacks', args: { sample: 1, inputs: ['i2'], targets: [], more: 0 } },
      { at: '7:13 sample-needs-target', args: {} },
    ]);
    assert.deepStrictEqual(errs(NET + 'sample i1=1 i2=2 -> o1=1\nsample i1=1 i2=2 -> o2=1\n'), [
      { at: '6:1 sample-lacks', args: { sample: 2, inputs: [], targets: ['o1'], more: 0 } },
      { at: '6:21 not-a-network-output', args: { name: 'o2', near: 'o1' } },
    ]);
  });

  it('data tables: unknown columns and missing inputs', () => {
    assert.deepStrictEqual(errs(NET + 'data\n  i1 -> o1\n  1 -> 2\n'), [{ at: '7:3 sample-lacks', args: { sample: 1, inputs: ['i2'], targets: [], more: 0 } }]);
    assert.deepStrictEqual(errs(NET + 'data\n  i1 i3 -> o1\n  1 1 -> 2\n'), [
      { at: '6:6 not-a-network-input', args: { name: 'i3', near: 'i1' } },
      { at: '7:3 sample-lacks', args: { sample: 1, inputs: ['i2'], targets: [], more: 0 } },
    ]);
    assert.deepStrictEqual(errs(NET + 'data\n  o1 i2 -> i1\n  1 1 -> 2\n'), [
      { at: '6:3 output-as-input', args: { name: 'o1' } },
      { at: '6:12 input-as-target', args: { name: 'i1' } },
      { at: '7:3 sample-lacks', args: { sample: 1, inputs: ['i1'], targets: ['o1'], more: 0 } },
    ]);
    assert.deepStrictEqual(errs(NET + 'data\n  zzzz i2 -> o1\n  1 1 -> 2\n')[0], { at: '6:3 not-a-network-input', args: { name: 'zzzz', names: ['i1', 'i2'], more: 0 } });
  });

  it('a sample lacking many inputs names the first few, not all of them', () => {
    const e = errs('input x[1000]\nlayer y linear\ninit xavier\nsample x1=1 -> y=1\n');
    assert.deepStrictEqual(e, [{ at: '4:1 sample-lacks', args: { sample: 1, inputs: ['x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9'], targets: [], more: 991 } }]);
  });

  it('a name given twice in a sample or header is an error', () => {
    assert.deepStrictEqual(errs(NET + 'sample i1=1 i1=2 i2=0 -> o1=1\n'), [{ at: '5:13 sample-name-twice', args: { name: 'i1' } }]);
    assert.deepStrictEqual(errs(NET + 'data\n  i1 i1 i2 -> o1\n  1 1 1 -> 1\n'), [{ at: '6:6 header-name-twice', args: { name: 'i1' } }]);
    assert.deepStrictEqual(errs(NET + 'sample i1=1 i2=1 -> o1=1\nsample i1=1 o1=1 -> i2=1\n').slice(0, 2), [
      { at: '6:13 sample-name-side', args: { name: 'o1', side: 'target' } },
      { at: '6:21 sample-name-side', args: { name: 'i2', side: 'input' } },
    ]);
  });

  it('samples in any order of names; a new cell\'s samples replace the old ones', () => {
    const s = new Session();
    s.runSync(NET + 'sample i2=2 i1=1 -> o1=1\n');
    const f = s.runSync('forward').traces[0];
    assert.ok(f.kind === 'forward');
    assert.deepStrictEqual(f.forward[0].input, [1, 2]);
    s.runSync('data\n  i1 i2 -> o1\n  1 1 -> 0\n  2 2 -> 0\n');
    assert.strictEqual(s.state().sampleCount, 2);
  });

  it('samples with a decimal comma', () => {
    const s = new Session();
    assert.deepStrictEqual(s.runSync(NET + 'sample i1=0,05 i2=0,10 -> o1=0,01\n').errors, []);
    const f = s.runSync('forward').traces[0];
    assert.ok(f.kind === 'forward');
    assert.deepStrictEqual(f.forward[0].input, [0.05, 0.1]);
    assert.deepStrictEqual(f.forward[0].target, [0.01]);
  });

  it('samples of an earlier cell that do not fit the new network say so, with the line in their cell', () => {
    const s = new Session();
    assert.deepStrictEqual(s.runSync('input i1\nlayer o1 linear\nw1 i1 -> o1 = 1\n\nsample i1=1 -> o1=1\n').errors, []);
    const r = s.runSync(NET + 'step\n');
    assert.deepStrictEqual(r.errors.map((e) => ({ at: `${e.line}:${e.column} ${e.code}`, args: e.args })), [
      { at: '5:1 sample-lacks', args: { sample: 1, inputs: ['i2'], targets: [], more: 0, cellLine: 5, earlier: 1 } },
    ]);
  });

  it('a data table of many rows is read into the sample set in order', () => {
    const rows = Array.from({ length: 5000 }, (_, k) => `  ${k} ${k % 7},5 -> ${-k}e-3`).join('\n');
    const set = collectSamples('', parseCell(`data\n  a b -> y\n${rows}\n`).statements, [])!;
    assert.strictEqual(set.count, 5000);
    assert.deepStrictEqual(Array.from(set.inputs.subarray(2 * 4321, 2 * 4322)), [4321, (4321 % 7) + 0.5]);
    assert.strictEqual(set.targets[4321], -4.321);
    assert.strictEqual(set.lines[4321], 4321 + 3);
  });

  it('too many samples is one error at the first sample statement', () => {
    const errors: Diagnostic[] = [];
    const statements = parseCell('data\n  a -> y\n  1 2\n').statements;
    const data = statements[0];
    assert.ok(data.kind === 'data');
    // The same rows counted many times: the limit is on the count, whatever the rows hold.
    const many = Array.from({ length: 2 }, () => ({ ...data, rows: { ...data.rows, count: 600_000 } }));
    assert.strictEqual(collectSamples('data\n  a -> y\n  1 2\n', many, errors), undefined);
    assert.deepStrictEqual(errors.map((e) => ({ code: e.code, args: e.args })), [
      { code: 'too-many-samples', args: { count: 1_200_000, width: 2, maxSamples: 1_000_000, maxValues: 50_000_000 } },
    ]);
  });
});
