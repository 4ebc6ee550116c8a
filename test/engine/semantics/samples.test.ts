import * as assert from 'assert';
import { Session } from '../../../src/engine/session';

const NET = 'input i1 i2\nlayer o1 linear\nw1 i1 -> o1 = 1\nw2 i2 -> o1 = 1\n';
const errs = (cell: string) => new Session().runSync(cell).errors.map((e) => `${e.line}:${e.column} ${e.message}`);

describe('samples', () => {
  it('says which sample lacks which input or target', () => {
    assert.deepStrictEqual(errs(NET + 'sample i1=1 -> o1=0\nsample i1=1 i2=2 -> o1=1\nsample i2=2 ->\n'), [
      '5:1 sample 1 lacks input i2',
      '7:13 a sample needs at least one target after ->',
    ]);
    assert.deepStrictEqual(errs(NET + 'sample i1=1 i2=2 -> o1=1\nsample i1=1 i2=2 -> o2=1\n'), [
      '6:1 sample 2 lacks target o1',
      "6:21 'o2' is not an output of the network — did you mean 'o1'?",
    ]);
  });

  it('data tables: unknown columns and missing inputs', () => {
    assert.deepStrictEqual(errs(NET + 'data\n  i1 -> o1\n  1 -> 2\n'), ['7:3 sample 1 lacks input i2']);
    assert.deepStrictEqual(errs(NET + 'data\n  i1 i3 -> o1\n  1 1 -> 2\n'), [
      "6:6 'i3' is not an input of the network — did you mean 'i1'?",
      '7:3 sample 1 lacks input i2',
    ]);
    assert.deepStrictEqual(errs(NET + 'data\n  o1 i2 -> i1\n  1 1 -> 2\n'), [
      "6:3 'o1' is an output neuron; write it after '->'",
      "6:12 'i1' is an input neuron; write it before '->'",
      '7:3 sample 1 lacks input i1, target o1',
    ]);
  });

  it('a sample lacking many inputs names the first few, not all of them', () => {
    const e = errs('input x[1000]\nlayer y linear\ninit xavier\nsample x1=1 -> y=1\n');
    assert.deepStrictEqual(e, ['4:1 sample 1 lacks input x2, input x3, input x4, input x5, input x6, input x7, input x8, input x9, … (991 more)']);
  });

  it('a name given twice in a sample or header is an error', () => {
    assert.deepStrictEqual(errs(NET + 'sample i1=1 i1=2 i2=0 -> o1=1\n'), ["5:13 'i1' is given twice in this sample"]);
    assert.deepStrictEqual(errs(NET + 'data\n  i1 i1 i2 -> o1\n  1 1 1 -> 1\n'), ["6:6 'i1' appears twice in this header"]);
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
});
