import * as assert from 'assert';
import { parseCell, parseQuantity } from '../../src/engine/parser';
import { MAZUR_CELL, MAZUR_CHECK_CELL, DATA_TABLE_CELL } from './fixtures';

const at = (text: string) => parseCell(text).errors.map((e) => `${e.line}:${e.column}`);

describe('parser', () => {
  it('parses the issue\'s cells without errors, one statement a line', () => {
    const m = parseCell(MAZUR_CELL);
    assert.deepStrictEqual(m.errors, []);
    assert.deepStrictEqual(m.statements.map((s) => s.kind), [
      'input', 'layer', 'layer', 'weight', 'weight', 'weight', 'weight', 'weight', 'weight', 'weight', 'weight',
      'bias', 'bias', 'freeze', 'loss', 'rate', 'sample',
    ]);
    const b1 = m.statements[11];
    assert.ok(b1.kind === 'bias');
    assert.deepStrictEqual(b1.to.map((n) => n.name), ['h1', 'h2']);
    assert.strictEqual(b1.value.value, 0.35);
    assert.strictEqual(b1.line, 13);
    const c = parseCell(MAZUR_CHECK_CELL);
    assert.deepStrictEqual(c.errors, []);
    assert.ok(c.statements[0].kind === 'check');
    assert.deepStrictEqual(c.statements[0].items.map((i) => i.quantity), ['E', 'out(h1)', 'dE/dw5', 'dE/dout(h1)', "w5'", "w1'"]);
    const d = parseCell(DATA_TABLE_CELL);
    assert.deepStrictEqual(d.errors, []);
    const data = d.statements.find((s) => s.kind === 'data');
    assert.ok(data && data.kind === 'data');
    assert.deepStrictEqual(data.rows.map((r) => [...r.inputs, ...r.targets]), [[90, 40, 10], [30, 50, 25], [20, 60, 36]]);
  });

  it('accepts `=`-less weights, decimal commas, NAME[N], CRLF and comments', () => {
    const r = parseCell('input x[3]\r\nlayer y linear # out\r\nw x1 -> y 0,5\r\nsample x1=1 x2=,5 x3=-2 -> y=3.5e-5\r\n');
    assert.deepStrictEqual(r.errors, []);
    const input = r.statements[0];
    assert.ok(input.kind === 'input');
    assert.deepStrictEqual(input.names.map((n) => n.name), ['x1', 'x2', 'x3']);
    const w = r.statements[2];
    assert.ok(w.kind === 'weight');
    assert.strictEqual(w.value.value, 0.5);
    const s = r.statements[3];
    assert.ok(s.kind === 'sample');
    assert.deepStrictEqual(s.inputs.map((p) => p.value), [1, 0.5, -2]);
  });

  it('collects every error of the cell with its line and column', () => {
    const text = 'input i1 i2\nlayer h1 sigmod\nw1 i1 -> h1 = 0.2.3\nrate abc\nfoo bar\nloss mae\n';
    const r = parseCell(text);
    assert.deepStrictEqual(r.errors.map((e) => `${e.line}:${e.column}`), ['2:10', '3:15', '4:6', '5:1', '6:6']);
    assert.match(r.errors[0].message, /'sigmod' is not an activation — did you mean 'sigmoid'\?/);
    assert.match(r.errors[1].message, /'0.2.3' is not a number/);
    assert.match(r.errors[2].message, /'abc' is not a number.*learning rate/);
    assert.match(r.errors[3].message, /unknown statement 'foo'/);
    assert.match(r.errors[4].message, /'mae' is not a loss — did you mean 'mse'\?/);
    // Offsets agree with line and column.
    assert.strictEqual(text.slice(r.errors[1].start, r.errors[1].end), '0.2.3');
  });

  it('reports bad statements precisely', () => {
    assert.deepStrictEqual(at('mode minibatch 0'), ['1:16']);
    assert.deepStrictEqual(at('train 0'), ['1:7']);
    assert.deepStrictEqual(at('train 5 every'), ['1:14']);
    assert.deepStrictEqual(at('digits 40'), ['1:8']);
    assert.deepStrictEqual(at('init gaussian'), ['1:6']);
    assert.deepStrictEqual(at('init uniform 1 -1'), ['1:14']);
    assert.deepStrictEqual(at('layer h1 h2'), ['1:10']);
    assert.match(parseCell('layer h1 h2').errors[0].message, /no activation/);
    assert.deepStrictEqual(at('sample i1=1 o1=2'), ['1:1']);
    assert.deepStrictEqual(at('input'), ['1:1']);
    assert.deepStrictEqual(at('input 2x'), ['1:7']);
    assert.deepStrictEqual(at('input sample'), ['1:7']);
    assert.deepStrictEqual(at('step now'), ['1:6']);
    assert.deepStrictEqual(at('rate -1'), ['1:6']);
  });

  it('reads `data` and `check` blocks up to the first line that is not indented', () => {
    const r = parseCell('data\n  a -> b\n  1 2\n\n  3 4\nstep\n  5 6\n');
    // The last indented line is not under a block: it is parsed as a statement and fails.
    assert.deepStrictEqual(r.statements.map((s) => s.kind), ['data', 'step']);
    const d = r.statements[0];
    assert.ok(d.kind === 'data');
    assert.strictEqual(d.rows.length, 2);
    assert.deepStrictEqual(r.errors.map((e) => e.line), [7]);
  });

  it('reports bad data rows and check lines at their position', () => {
    const r = parseCell('data\n  a -> b\n  1 2\n  3\n  x 4\ncheck within 0,01\n  dE/dw5 = 1,5\n  dE/dw5/2 = 1\n  E =\n');
    assert.deepStrictEqual(r.errors.map((e) => `${e.line}:${e.column}`), ['4:3', '5:3', '8:3', '9:6']);
    assert.match(r.errors[0].message, /this row has 1 number, the header names 2/);
    const c = r.statements.find((s) => s.kind === 'check');
    assert.ok(c && c.kind === 'check');
    assert.strictEqual(c.within, 0.01);
    assert.strictEqual(c.items[0].value.value, 1.5);
  });

  it('understands every check quantity', () => {
    assert.deepStrictEqual(parseQuantity('E'), { kind: 'E' });
    assert.deepStrictEqual(parseQuantity('E(o1)[2]'), { kind: 'E', neuron: 'o1', sample: 2 });
    assert.deepStrictEqual(parseQuantity('net(h1)'), { kind: 'net', neuron: 'h1' });
    assert.deepStrictEqual(parseQuantity('out( h1 )[3]'), { kind: 'out', neuron: 'h1', sample: 3 });
    assert.deepStrictEqual(parseQuantity('dE/dw5'), { kind: 'dE/dparam', param: 'w5' });
    assert.deepStrictEqual(parseQuantity('∂E/∂w5'), { kind: 'dE/dparam', param: 'w5' });
    assert.deepStrictEqual(parseQuantity('dE/dout(h1)'), { kind: 'dE/dout', neuron: 'h1' });
    assert.deepStrictEqual(parseQuantity('dE/dnet(h1)'), { kind: 'dE/dnet', neuron: 'h1' });
    assert.deepStrictEqual(parseQuantity('dout(h1)/dnet(h1)'), { kind: 'dout/dnet', neuron: 'h1' });
    assert.deepStrictEqual(parseQuantity('dnet(o1)/dw5'), { kind: 'dnet/dparam', neuron: 'o1', param: 'w5' });
    assert.deepStrictEqual(parseQuantity("w5'"), { kind: 'after', param: 'w5' });
    assert.deepStrictEqual(parseQuantity('w5'), { kind: 'value', param: 'w5' });
    assert.strictEqual(typeof parseQuantity('dout(h1)/dnet(h2)'), 'string');
    assert.strictEqual(typeof parseQuantity('E[0]'), 'string');
  });
});
