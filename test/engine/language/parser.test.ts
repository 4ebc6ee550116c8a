import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_NAME_LENGTH } from '../../../src/engine/language/names';
import { parseCell } from '../../../src/engine/language/parser';
import { parseQuantity } from '../../../src/engine/language/quantities';
import type { DataRows } from '../../../src/engine/language/syntax';
import { MAX_DIAGNOSTICS, type Diagnostic } from '../../../src/engine/semantics/diagnostics';
import { MAZUR_CELL, MAZUR_CHECK_CELL, DATA_TABLE_CELL } from '../fixtures';

const rowsOf = (rows: DataRows, width: number) => Array.from({ length: rows.count }, (_, k) => Array.from(rows.values.subarray(k * width, (k + 1) * width)));
const coded = (d: Diagnostic) => ({ code: d.code, args: d.args });
const ACTIVATION_WORDS = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear', 'softmax'];
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
    assert.deepStrictEqual(rowsOf(data.rows, 3), [[90, 40, 10], [30, 50, 25], [20, 60, 36]]);
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
    assert.deepStrictEqual(r.errors.map(coded), [
      { code: 'unknown-activation', args: { text: 'sigmod', choices: ACTIVATION_WORDS, near: 'sigmoid' } },
      { code: 'not-a-number', args: { text: '0.2.3', expected: 'weight-value', name: 'w1', from: 'i1', to: 'h1' } },
      { code: 'not-a-number', args: { text: 'abc', expected: 'rate' } },
      { code: 'unknown-statement', args: { word: 'foo', keywords: ['input', 'layer', 'bias', 'freeze', 'unfreeze', 'init'] } },
      { code: 'unknown-loss', args: { choices: ['half-sse', 'sse', 'half-mse', 'mse', 'cross-entropy', 'mean-cross-entropy', 'bce', 'mean-bce'], text: 'mae', near: 'mse' } },
    ]);
    // Offsets agree with line and column.
    assert.strictEqual(text.slice(r.errors[1].span.start, r.errors[1].span.end), '0.2.3');
  });

  it('reports bad statements precisely', () => {
    assert.deepStrictEqual(at('mode minibatch 0'), ['1:16']);
    assert.deepStrictEqual(at('train 0'), ['1:7']);
    assert.deepStrictEqual(at('train 5 every'), ['1:14']);
    assert.deepStrictEqual(at('digits 40'), ['1:8']);
    assert.deepStrictEqual(at('init gaussian'), ['1:6']);
    assert.deepStrictEqual(at('init uniform 1 -1'), ['1:14']);
    assert.deepStrictEqual(at('layer h1 h2'), ['1:10']);
    assert.deepStrictEqual(coded(parseCell('layer h1 h2').errors[0]), { code: 'unknown-activation', args: { text: 'h2', choices: ACTIVATION_WORDS } });
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
    assert.strictEqual(d.rows.count, 2);
    assert.deepStrictEqual(r.errors.map((e) => e.line), [7]);
  });

  it('reports bad data rows and check lines at their position', () => {
    const r = parseCell('data\n  a -> b\n  1 2\n  3\n  x 4\ncheck within 0,01\n  dE/dw5 = 1,5\n  dE/dw5/2 = 1\n  E =\n');
    assert.deepStrictEqual(r.errors.map((e) => `${e.line}:${e.column}`), ['4:3', '5:3', '8:3', '9:6']);
    assert.deepStrictEqual(r.errors.map(coded), [
      { code: 'data-row-width', args: { numbers: 1, inputs: 1, targets: 1 } },
      { code: 'not-a-number', args: { text: 'x', expected: 'number' } },
      { code: 'unknown-quantity', args: { text: 'dE/dw5/2' } },
      { code: 'expected', args: { expected: 'number-after-equals' } },
    ]);
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
    // Two neurons: an entry of a softmax layer's Jacobian, or an error once the network is known (plan.test.ts).
    assert.deepStrictEqual(parseQuantity('dout(h1)/dnet(h2)'), { kind: 'dout/dnet', neuron: 'h1', wrt: 'h2' });
    assert.deepStrictEqual(parseQuantity('v(w5)'), { kind: 'state', slot: 'v', param: 'w5' });
    assert.deepStrictEqual(parseQuantity('m( w5 )'), { kind: 'state', slot: 'm', param: 'w5' });
    assert.deepStrictEqual(parseQuantity('v(w5)[2]'), { code: 'state-takes-no-sample', args: { slot: 'v', name: 'w5' } });
    assert.deepStrictEqual(parseQuantity('E[0]'), { code: 'sample-numbering', args: {} });
  });

  it('a data row\'s arrow must split it as the header does; a row of only an arrow is an error, not a crash', () => {
    const r = parseCell('data\n  x1 x2 -> y\n  1 -> 2 3\n  1 2 -> 3 -> 4\n  ->\n  4 5 -> 6\n  7 8 9\n');
    assert.deepStrictEqual(r.errors.map((e) => `${e.line}:${e.column}`), ['3:5', '4:3', '5:3']);
    assert.deepStrictEqual(r.errors.map(coded), [
      { code: 'data-row-arrow-place', args: { before: 1, inputs: 2 } },
      { code: 'data-row-width', args: { numbers: 4, inputs: 2, targets: 1 } },
      { code: 'data-row-empty', args: {} },
    ]);
    assert.strictEqual(r.statements.length, 0);
    assert.strictEqual(parseCell('data\n  -> y\n  1\n').errors[0].code, 'data-header-needs-inputs');
    assert.deepStrictEqual(parseCell('data\n  a b -> y\n  1 -> 2 -> 3\n').errors.map(coded), [{ code: 'data-row-arrows', args: {} }]);
    // Arrows where the header has them, or none at all, are fine.
    assert.deepStrictEqual(parseCell('data\n  x1 x2 -> y\n  4 5 -> 6\n  7 8 9\n').errors, []);
  });

  it('check lines and data tables written flush left get one error that says to indent them', () => {
    const c = parseCell("check\nE = 0.298\ndE/dw5 = 0.08\nw5' = 0.359\nstep\n");
    assert.deepStrictEqual(c.errors.map((e) => `${e.line}:${e.column}`), ['2:1']);
    assert.strictEqual(c.errors[0].code, 'check-not-indented');
    assert.strictEqual(c.errors[0].span.end, "check\nE = 0.298\ndE/dw5 = 0.08\nw5' = 0.359".length);
    assert.deepStrictEqual(c.statements.map((s) => s.kind), ['step']);
    assert.strictEqual(parseCell('check\n').errors[0].code, 'check-needs-lines');
    const d = parseCell('data\nx1 x2 -> y\n1 2 -> 3\n4 5 6\nforward\n');
    assert.deepStrictEqual(d.errors.map((e) => `${e.line}:${e.column}`), ['2:1']);
    assert.strictEqual(d.errors[0].code, 'data-not-indented');
    assert.deepStrictEqual(d.statements.map((s) => s.kind), ['forward']);
  });

  it('reads no-break spaces as blanks and − (U+2212) as a minus sign, as pasted from typeset notes', () => {
    const r = parseCell('rate\u00a00.5\nw5\u2009=\u2009\u22120.25\ninput\u00a0i1\u3000i2\ncheck\n  dE/dw7 = \u22120,025\n  E = 1\u22121e\u22122\n');
    assert.deepStrictEqual(r.errors.map(coded), [{ code: 'not-a-number', args: { text: '1−1e−2' } }]);
    const [rate, set, input, check] = r.statements;
    assert.ok(rate.kind === 'rate' && rate.value === 0.5);
    assert.ok(set.kind === 'set' && set.value.value === -0.25);
    assert.ok(input.kind === 'input' && input.names.length === 2);
    assert.ok(check.kind === 'check' && check.items[0].value.value === -0.025 && check.items[0].value.halfUnit === 0.0005);
  });

  it('a seed is a whole number of 32 bits, so that different seeds give different weights', () => {
    for (const seed of ['-3', '4294967296', '1.5']) {
      assert.deepStrictEqual(parseCell(`init xavier seed ${seed}\n`).errors.map(coded), [{ code: 'seed-range', args: { text: seed } }], seed);
    }
    for (const seed of ['0', '4294967295']) assert.deepStrictEqual(parseCell(`init xavier seed ${seed}\n`).errors, [], seed);
  });

  it('a cell of 80,000 bad lines gives a capped list of errors, the rest counted', () => {
    const text = 'x\n'.repeat(80_000);
    const r = parseCell(text);
    assert.strictEqual(r.errors.length, MAX_DIAGNOSTICS + 1);
    assert.ok(r.errors.slice(0, MAX_DIAGNOSTICS).every((e) => e.code === 'unknown-statement'));
    const more = r.errors[MAX_DIAGNOSTICS];
    assert.deepStrictEqual(coded(more), { code: 'more-errors', args: { count: 80_000 - MAX_DIAGNOSTICS } });
    // Placed where the first error left out is: line 101.
    assert.deepStrictEqual([more.line, more.column], [MAX_DIAGNOSTICS + 1, 1]);
    assert.deepStrictEqual([r.errors[99].line, r.lines.lineCount], [100, 80_001]);
  });

  it('a name has at most 64 characters (a generated w_FROM_TO name twice that and its three joining characters)', () => {
    const a64 = 'a'.repeat(64);
    assert.deepStrictEqual(parseCell(`input ${a64} b\n`).errors, []);
    const r = parseCell(`input b ${a64}x\n`);
    assert.deepStrictEqual(r.errors.map((e) => ({ at: `${e.line}:${e.column}`, ...coded(e) })), [
      { at: '1:9', code: 'name-too-long', args: { max: 64, length: 65, start: 'a'.repeat(16) } },
    ]);
    // A pasted million-letter name is one clear error, not a stall.
    assert.deepStrictEqual(parseCell(`input ${'q'.repeat(1_000_000)}\n`).errors.map((e) => e.args.length), [1_000_000]);
    // x[N] names are the base and N's digits: x…x1000 has 4 characters more than the base.
    assert.deepStrictEqual(parseCell(`input ${'x'.repeat(60)}[1000]\n`).errors, []);
    assert.strictEqual(parseCell(`input ${'x'.repeat(61)}[1000]\n`).errors[0]?.code, 'name-too-long');
    const generated = `w_${a64}_${a64}`;
    assert.strictEqual(generated.length, 131);
    assert.deepStrictEqual(parseCell(`freeze ${generated}\n`).errors, []);
    assert.strictEqual(parseCell(`freeze ${generated}x\n`).errors[0]?.code, 'name-too-long');
    // In check quantities and samples too.
    assert.strictEqual(parseCell(`check\n  dE/d${a64}b = 1\n`).errors[0]?.code, 'name-too-long');
    assert.strictEqual(parseCell(`sample ${a64}b=1 -> y=1\n`).errors[0]?.code, 'name-too-long');
  });

  it('reads data rows with decimal commas, exponents, signs and typeset minus; a bad number is reported at its column', () => {
    const r = parseCell('data\n  x1 x2 -> y\n  1,5 -2e3 -> +.25\n  \u22120,5 1E\u22122 3. # note\n');
    assert.deepStrictEqual(r.errors, []);
    const d = r.statements[0];
    assert.ok(d.kind === 'data');
    assert.deepStrictEqual(rowsOf(d.rows, 3), [[1.5, -2000, 0.25], [-0.5, 0.01, 3]]);
    assert.deepStrictEqual(Array.from(d.rows.lines), [3, 4]);
    // The span of a row runs from its first to its last number, comments left out.
    const text = 'data\n  x1 x2 -> y\n  1,5 -2e3 -> +.25\n  \u22120,5 1E\u22122 3. # note\n';
    assert.strictEqual(text.slice(d.rows.spans[2], d.rows.spans[3]), '\u22120,5 1E\u22122 3.');
    const bad = parseCell('data\n  x1 x2 -> y\n  1 2 3\n  1 1e 3\n  4 5 -> 1,000.5\n  7=8 9\n');
    assert.deepStrictEqual(bad.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.args.text}`), [
      '4:5 not-a-number 1e', '5:10 not-a-number 1,000.5', '6:4 not-a-number =',
    ]);
  });

  it('numbers keep their exact binary value and half a unit of their last digit', () => {
    const r = parseCell('rate 0.1\ncheck\n  E = 0,30000000000000004\n  out(h1) = 1.5e-3\n');
    const [rate, check] = r.statements;
    assert.ok(rate.kind === 'rate' && rate.value === 0.1);
    assert.ok(check.kind === 'check');
    assert.strictEqual(check.items[0].value.value, 0.30000000000000004);
    assert.strictEqual(check.items[0].value.halfUnit, 5e-18);
    assert.strictEqual(check.items[1].value.halfUnit, 5e-5);
  });

  it('language.md states the name length and the cap on errors the parser has', () => {
    const text = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'language.md'), 'utf8').replace(/\s+/g, ' ');
    assert.ok(text.includes(`at most ${MAX_NAME_LENGTH} characters (a name \`init\` generates`));
    assert.ok(text.includes(`up to ${MAX_DIAGNOSTICS} from each of its checks`));
  });
});
