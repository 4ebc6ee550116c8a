/** `notation`: the student's symbols, their errors with positions, and how long they hold. */
import * as assert from 'assert';
import { Session } from '../../../src/engine/session';
import { messageOf } from '../../../src/engine/semantics/messages';
import { tracesToText } from '../../../src/engine/present/text';
import type { CheckTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

function session(): Session {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(MAZUR_CELL).errors, []);
  return s;
}
const checkOf = (s: Session, cell: string): CheckTrace => {
  const r = s.runSync(cell);
  assert.deepStrictEqual(r.errors.map((e) => messageOf(e)), []);
  const t = r.traces.find((x) => x.kind === 'check');
  assert.ok(t && t.kind === 'check');
  return t;
};
const errors = (s: Session, cell: string) => s.runSync(cell).errors.map((e) => [`${e.line}:${e.column}`, e.code, e.args]);

describe('notation', () => {
  it('maps the student\'s symbols to quantities; outputs show the symbol beside the quantity', () => {
    const s = session();
    const t = checkOf(s, 'notation z_1 = net(h1), a_1 = out(h1), J = E, \\hat{y}_1 = out(o1)\ncheck\n  z_{1} = 0.3775\n  $a_1 = 0.5933$\n  J = 0.298\n  ŷ₁ = 0.751\n');
    // net(h1) = 0.3775, out(h1) = 0.593269992, E = 0.298371109, out(o1) = 0.75136507 (published).
    assert.deepStrictEqual(t.lines.map((l) => [l.symbol, l.quantity, l.ok]), [
      ['z_{1}', 'net(h1)', true], ['a_1', 'out(h1)', true], ['J', 'E', true], ['ŷ₁', 'out(o1)', true],
    ]);
    assert.match(tracesToText([t]), /z_\{1\} \(net\(h1\)\)\s+0\.3775/);
  });

  it('holds for the cells below, a later notation replaces an earlier one, and a new network forgets it', () => {
    const s = session();
    s.runSync('notation a_1 = out(h1)');
    assert.strictEqual(checkOf(s, 'check\n  a_1 = 0.593\n').lines[0].quantity, 'out(h1)');
    s.runSync('notation a_1 = out(o1)');
    assert.strictEqual(checkOf(s, 'check\n  a_1 = 0.751\n').lines[0].quantity, 'out(o1)');
    s.runSync('reset');
    assert.strictEqual(checkOf(s, 'check\n  a_1 = 0.751\n').lines[0].quantity, 'out(o1)', 'reset keeps it');
    s.runSync(MAZUR_CELL);
    assert.deepStrictEqual(errors(s, 'check\n  a_1 = 0.751\n'), [['2:3', 'unknown-quantity', { text: 'a_1' }]]);
  });

  it('a notation statement and a check of the same cell: in order', () => {
    const s = session();
    assert.deepStrictEqual(errors(s, 'check\n  z_1 = 0.3775\nnotation z_1 = net(h1)\n'), [['2:3', 'unknown-quantity', { text: 'z_1' }]]);
  });

  it('symbols that collide with a quantity, a parameter or each other are errors where they are', () => {
    const s = session();
    assert.deepStrictEqual(errors(s, 'notation z_1 = net(h1), z_{1} = out(h1)'), [['1:25', 'notation-symbol-twice', { symbol: 'z_{1}', first: 'z_1' }]]);
    assert.match(messageOf(s.runSync('notation z_1 = net(h1)\nnotation z1 = out(h1)').errors[0]), /'z1' is the same symbol as 'z_1' on line 1/);
    assert.deepStrictEqual(errors(s, 'notation w_5 = out(h1)'), [['1:10', 'notation-symbol-is-parameter', { symbol: 'w_5', name: 'w5' }]]);
    assert.deepStrictEqual(errors(s, 'notation a = net(h1), out(h1) = net(h2)'), [['1:23', 'notation-symbol-is-quantity', { symbol: 'out(h1)', quantity: 'out(h1)' }]]);
    assert.deepStrictEqual(errors(s, 'notation E = net(h1)').map((e) => e[1]), ['notation-symbol-is-quantity']);
  });

  it('bad pairs and unknown quantities have their place', () => {
    const s = session();
    assert.deepStrictEqual(errors(s, 'notation z_1 net(h1)'), [['1:10', 'notation-syntax', {}]]);
    assert.deepStrictEqual(errors(s, 'notation'), [['1:1', 'notation-syntax', {}]]);
    assert.deepStrictEqual(errors(s, 'notation z_1 = fnord(h1)'), [['1:16', 'unknown-quantity', { text: 'fnord(h1)' }]]);
    assert.deepStrictEqual(errors(s, 'notation z_1 = net(h9)'), [['1:16', 'unknown-name', { what: 'neuron', name: 'h9', near: 'h1' }]]);
    assert.deepStrictEqual(errors(s, 'notation 0.5 = net(h1)'), [['1:10', 'notation-not-a-symbol', { symbol: '0.5' }]]);
    // Pairs on indented lines below, and a comment after them.
    assert.deepStrictEqual(errors(s, 'notation\n  z_1 = net(h1)   # the net input\n  a_1 = out(h1), J = E\n'), []);
  });

  it('derivatives of symbols are the quantities check has; a derivative of two unjoined things is said to be one', () => {
    const s = session();
    const t = checkOf(s, 'notation J = E, a_3 = out(o1), z_3 = net(o1), a_1 = out(h1), \\omega_5 = w5\ncheck notes\n'
      + '  \\frac{\\partial J}{\\partial a_3} = 0.741\n  \\frac{\\partial a_3}{\\partial z_3} = 0.187\n  \\frac{\\partial z_3}{\\partial \\omega_5} = 0.593\n'
      + '  \\frac{\\partial z_3}{\\partial a_1} = 0.40\n  \\frac{\\partial J}{\\partial \\omega_5} = 0.0822\n  \\frac{\\partial a_3}{\\partial z_1} = 0.2\n  \\frac{\\partial a_1}{\\partial z_3} = 0.2\n');
    // ∂E/∂out(o1) = 0.74136507, σ'(net(o1)) = 0.186815602, out(h1) = 0.593269992, w5 = 0.4, ∂E/∂w5 = 0.082167041.
    assert.deepStrictEqual(t.lines.map((l) => [l.quantity, l.ok]), [['dE/dout(o1)', true], ['dout(o1)/dnet(o1)', true], ['dnet(o1)/dw5', true], ['w5', true], ['dE/dw5', true]]);
    assert.deepStrictEqual(t.notChecked!.map((n) => n.code), ['notes-unknown-symbol', 'not-a-chain-factor']);
  });
});

describe('check notes', () => {
  it('checks the equations it can and lists every other line with the reason, and no line is an error', () => {
    const s = session();
    const t = checkOf(s, 'notation a_1 = out(h1)\ncheck notes\n  = 0.5\n  $$a_1 = \\frac{1}{1 + e^{-0.3775}} = 0.593$$\n  $$a_2 = 0.597$$\n  $$\\frac{\\partial J}{\\partial w} ?$$\n'
      + '  Forward pass:\n  $$J = \\frac{1}{2}(t - o)^2$$\n  $$\\eta (\\text{rate}) = 0.5$$\n');
    assert.strictEqual(t.notes, true);
    assert.deepStrictEqual(t.lines.map((l) => [l.line, l.quantity, l.ok]), [[4, 'out(h1)', true]]);
    assert.deepStrictEqual(t.notChecked!.map((n) => [n.line, n.code]), [
      [3, 'notes-continues-nothing'], [5, 'notes-unknown-symbol'], [6, 'notes-question'], [7, 'notes-no-equals'], [8, 'notes-no-number'], [9, 'notes-unknown-symbol'],
    ]);
    // 0.597 is out(h2) = 0.596884378 and no other quantity within ±0.0005: a suggestion with its notation.
    const a2 = t.notChecked![1];
    assert.deepStrictEqual(a2.suggestion, { quantity: 'out(h2)', exact: a2.suggestion!.exact, notation: 'a_2 = out(h2)' });
    assert.ok(Math.abs(a2.suggestion!.exact - 0.596884378) < 5e-10);
    assert.match(tracesToText([t]).replace(/\s+/g, ' '), /line 5: \$\$a_2 = 0\.597\$\$ — 'a_2' is neither a quantity check knows nor a symbol given by 'notation'; looks like out\(h2\) = 0\.596884: add notation a_2 = out\(h2\)/);
  });

  it('the suggested notation makes the line a check', () => {
    const s = session();
    const t = checkOf(s, 'notation a_2 = out(h2)\ncheck notes\n  $$a_2 = 0.597$$\n');
    assert.deepStrictEqual(t.lines.map((l) => [l.symbol, l.quantity, l.ok]), [['a_2', 'out(h2)', true]]);
    assert.deepStrictEqual(t.notChecked, []);
  });
});

describe('notation and the step a check looks at', () => {
  it('a notation between a step and a check changes nothing of the weights: the check still looks at the step', () => {
    const s = session();
    s.runSync('step');
    // Before the step: net(h1) = 0.3775; the step made w5 0.35891648.
    const t = checkOf(s, 'notation z_1 = net(h1), \\omega_5 = w5\ncheck\n  z_1 = 0.3775\n  \\omega_5 = \\omega_5 - 0.5 \\cdot 0.082167041 = 0.35891648\n');
    assert.strictEqual(t.stepEpoch, 1);
    assert.deepStrictEqual(t.lines.map((l) => [l.quantity, l.ok]), [['net(h1)', true], ["w5'", true]]);
  });
});
