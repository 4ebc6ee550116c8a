/**
 * Equation chains in `check`: the arithmetic of every computation against the number after it, and a
 * wrong operand named only when the right one in its place gives the exact value. The network is the
 * published 2-2-2 example: net(h1) = 0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775, net(h2) = 0.05·0.25 +
 * 0.10·0.30 + 0.35 = 0.3925, out(h1) = 0.593269992, E(o1) = 0.274811083, w1' = 0.149780716.
 */
import * as assert from 'assert';
import { Session } from '../../../src/engine/session';
import type { CheckLine } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

/** The check lines of `cell`, run after the 2-2-2 network. */
function lines(cell: string): CheckLine[] {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(MAZUR_CELL).errors, []);
  const r = s.runSync(cell);
  assert.deepStrictEqual(r.errors.map((e) => e.code), []);
  const t = r.traces[0];
  assert.ok(t.kind === 'check');
  return t.lines;
}

function line(text: string, notation = 'notation x_1 = out(i1), x_2 = out(i2)'): CheckLine {
  return lines(`${notation}\ncheck\n  ${text}\n`)[0];
}

describe('check: equation chains', () => {
  it('a wrong operand is named when putting the right one in its place gives the exact value', () => {
    // 0.05·0.15 + 0.10·0.25 + 0.35 = 0.3825; with 0.20 for the 0.25: 0.3775, the exact net(h1).
    const l = line('net(h1) = 0.05 * 0.15 + 0.10 * 0.25 + 0.35 = 0.3825');
    assert.strictEqual(l.ok, false);
    assert.deepStrictEqual(l.steps!.map((s) => [s.ok, s.operand]), [[true, { text: '0.25', name: 'w2', exact: 0.2 }]]);
    assert.strictEqual(l.diagnosis, '0.25 is used where w2 = 0.2 belongs (0.25 is w3\'s value)');
  });

  it('is not named when no one substitution reproduces the value (two wrong operands)', () => {
    // 0.05·0.25 + 0.10·0.25 + 0.35 = 0.3875: 0.25 for w1 and for w2. One swap gives 0.3825, never 0.3775.
    const l = line('net(h1) = 0.05 * 0.25 + 0.10 * 0.25 + 0.35 = 0.3875');
    assert.strictEqual(l.ok, false);
    assert.strictEqual(l.steps![0].ok, true);
    assert.strictEqual(l.steps![0].operand, undefined);
    assert.ok(!/is used where/.test(l.diagnosis ?? ''), l.diagnosis);
  });

  it('is not named when the arithmetic itself is wrong: that is the slip', () => {
    // 0.05·0.15 + 0.10·0.25 + 0.35 is 0.3825, not 0.39.
    const l = line('net(h1) = 0.05 * 0.15 + 0.10 * 0.25 + 0.35 = 0.39');
    assert.deepStrictEqual(l.steps!.map((s) => [s.ok, s.operand, s.finding]), [[false, undefined, '0.05 * 0.15 + 0.10 * 0.25 + 0.35 = 0.3825, not 0.39']]);
  });

  it('under a right value, only where the chain itself says which operand a number is', () => {
    // net(h2) = 0.3925 accepts 0.39 (±0.005), although 0.20 stands for w3 = 0.25: the symbols say so.
    const said = line('net(h2) = x_1 * w_3 + x_2 * w_4 + b_1 = 0.05 * 0.20 + 0.10 * 0.30 + 0.35 = 0.39');
    assert.strictEqual(said.ok, true);
    assert.deepStrictEqual(said.steps!.find((s) => s.operand)!.operand, { text: '0.20', name: 'w3', exact: 0.25 });
    const unsaid = line('net(h2) = 0.05 * 0.20 + 0.10 * 0.30 + 0.35 = 0.39');
    assert.strictEqual(unsaid.ok, true);
    assert.strictEqual(unsaid.steps?.[0]?.operand, undefined);
  });

  it('a student\'s own earlier wrong value carried on is said to be theirs', () => {
    const written = lines('notation z_1 = net(h1), a_1 = out(h1)\ncheck\n  z_1 = 0.3825\n  a_1 = \\frac{1}{1 + e^{-0.3825}} = 0.594\n');
    // 1/(1 + e^−0.3825) = 0.594476; with net(h1) = 0.3775 it is 0.593270 = out(h1).
    assert.strictEqual(written[1].diagnosis, '0.3825 is used where net(h1) = 0.3775 belongs — it is your z_1 from line 3, carried on');
  });

  it('an update: η put where it belongs, checked against the size of the step', () => {
    // 0.15 − 0.05·0.00044 = 0.149978; with η = 0.5: 0.15 − 0.00022 = 0.14978 (exact 0.149780716).
    const l = line('w1\' = 0.15 - 0.05 * 0.00044 = 0.149978');
    assert.strictEqual(l.diagnosis, '0.05 is used where η = 0.5 belongs');
  });

  it('digits cut off, and a rounded operand carried on, are told apart from a wrong computation', () => {
    // ½(0.773 − 0.99)² = 0.0235445 → 0.024, written 0.023.
    assert.match(line('E(o2) = \\frac{1}{2}(0.773 - 0.99)^2 = 0.023').steps![0].finding!, /= 0\.0235445, which rounds to 0\.024: 0\.023 has its last digits cut off/);
    // 0.773(1 − 0.773) = 0.175471 → 0.175; with out(o2) = 0.772928465: 0.17551 → 0.176.
    assert.match(line('dout(o2)/dnet(o2) = 0.773(1 - 0.773) = 0.175').diagnosis!, /rounded values written \(0\.773 for out\(o2\) = 0\.772928\); with the exact ones it is 0\.17551: a rounded value carried on/);
    // 0.75136507 is out(o1) to 8 digits: ½(0.01 − 0.75136507)² = 0.27481108351 rounds the other way
    // from 0.274811083, which the exact out(o1) gives: no slip.
    const copied = line('E(o1) = \\frac{1}{2} (0.01 - 0.75136507)^2 = 0.274811083');
    assert.deepStrictEqual([copied.ok, copied.steps?.every((s) => s.ok && !s.finding) ?? true], [true, true]);
  });

  it('a chain may continue on `=` lines, and its parts are numbers with a decimal comma or a power of ten', () => {
    const [l] = lines('check\n  dE/dw1 = (0.741 * 0.187 * 0.40 + (-0.217) * 0.175 * 0.50) 0.241 * 0.05\n\n  = 4,39 \\cdot 10^{-4}\n');
    // (0.0554268 − 0.0189875) · 0.01205 = 0.000439094; 4,39·10⁻⁴ ± 5·10⁻⁷ holds it and the exact 0.000438568.
    assert.deepStrictEqual([l.line, l.endLine, l.written, l.tolerance, l.ok, l.steps![0].ok], [2, 4, 0.000439, 5e-7, true, true]);
  });

  it('errors in a chain of a plain check have their place', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const r = s.runSync('check\n  net(h1) = 0.05 * * 0.15 = 0.3775\n  out(h1) = 0.59 = x\n  E = \\frac{1}{2 = 0.3\n');
    assert.deepStrictEqual(r.errors.map((e) => [`${e.line}:${e.column}`, e.code]), [['2:20', 'equation-expected-operand'], ['3:20', 'not-a-number'], ['4:7', 'not-a-number']]);
  });
});
