/**
 * `check notes` over the students' real notes (test/engine/seeds/, copied from the project's seeds):
 * every line of them is either checked or listed as not checked with a reason, and the verdicts on
 * the lines that carry the notes' slips are what the arithmetic by hand says. Expected values are the
 * published 2-2-2 example (Mazur) and the notes' own numbers, worked out in the comments.
 */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../../src/engine/session';
import type { CheckLine, CheckTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';
import { THETA_SETUP } from './theta-cells';

const seed = (prefix: string) => {
  const dir = join(__dirname, '..', 'seeds');
  const names = ['000_7da6992d7d4986d0', '001_e95ce17405b7336a', '002_36ad226f2918c581', '003_beba6db8d02d8019', '004_97eeff3131833aa8'];
  return readFileSync(join(dir, `${names.find((n) => n.startsWith(prefix))!}.txt`), 'utf8');
};

const RELU = 'input x\nlayer a1 relu\nlayer yhat relu\nw1 x -> a1 = 0.5\nw2 a1 -> yhat = 0.8\nloss half-mse\nrate 0.1\nsample x=3 -> yhat=2\n';

const NOTATION: Record<string, { setup: string; notation: string[] }> = {
  '000': {
    setup: MAZUR_CELL,
    notation: [
      'notation z_1 = net(h1), a_1 = out(h1), z_2 = net(h2), a_2 = out(h2), z_3 = net(o1), a_3 = out(o1), z_4 = net(o2), a_4 = out(o2)',
      'notation J = E, J_1 = E(o1), J_2 = E(o2), x_1 = out(i1), x_2 = out(i2), \\omega_1 = w1, \\omega_5 = w5',
    ],
  },
  '001': {
    setup: THETA_SETUP,
    notation: [
      'notation z_1^1 = net(h1), a_1 = out(h1), z_2 = net(h2), a_2 = out(h2), z_1^2 = net(o1), z_2^2 = net(o2), Loss_1 = E(o1), Loss_2 = E(o2), Loss = E',
      'notation \\ell = E, \\ell_1 = E(o1), \\ell_2 = E(o2), a_1^3 = out(o1), a_2^3 = out(o2), a_1^2 = out(h1), a_2^2 = out(h2), z_2^1 = net(h2), a_1^1 = out(x1), a_2^1 = out(x2)',
      'notation \\theta_{11}^2 = theta2_11, \\theta_{12}^2 = theta2_12, \\theta_{21}^2 = theta2_21, \\theta_{22}^2 = theta2_22',
    ],
  },
  '002': { setup: RELU, notation: ['notation J = E, \\hat{y} = out(yhat), z_2 = net(yhat), a_1 = out(a1), z_1 = net(a1)'] },
  '003': {
    setup: MAZUR_CELL,
    notation: ['notation h_1(\\text{in}) = net(h1), h_2(\\text{in}) = net(h2), o_1(\\text{in}) = net(o1), h_1(\\text{out}) = out(h1), h_2(\\text{out}) = out(h2), o_1(\\text{out}) = out(o1), o_2(\\text{out}) = out(o2), E_{o_1} = E(o1), E_{o_2} = E(o2), E_{\\text{Total}} = E'],
  },
  '004': {
    setup: MAZUR_CELL,
    notation: [
      'notation h_1 = net(h1), outh_1 = out(h1), outh_2 = out(h2), O_1 = net(o1), outO_1 = out(o1), outO_2 = out(o2)',
      'notation E_{O_1} = E(o1), E_{O_2} = E(o2), E_{tot} = E, x_1 = out(i1), x_2 = out(i2), u_5 = w5, u_6 = w6, u_7 = w7, u_8 = w8',
    ],
  },
};

/** The seed's notes run as one `check notes` block; `at(n)` is the check line of the seed's line n. */
function runSeed(prefix: string): { t: CheckTrace; lines: string[]; offset: number; at: (n: number) => CheckLine | undefined } {
  const { setup, notation } = NOTATION[prefix];
  const lines = seed(prefix).split(/\r?\n/);
  const s = new Session();
  assert.deepStrictEqual(s.runSync(setup).errors, []);
  const r = s.runSync([...notation, 'check notes', ...lines.map((l) => (l.trim() ? `  ${l}` : ''))].join('\n'));
  assert.deepStrictEqual(r.errors.map((e) => `${e.line}:${e.column} ${e.code}`), []);
  assert.strictEqual(r.traces.length, 1);
  const t = r.traces[0];
  assert.ok(t.kind === 'check');
  const offset = notation.length + 1;
  return { t, lines, offset, at: (n) => t.lines.find((l) => l.line === n + offset) };
}

const near = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} is not ${b}`);

describe('check notes over the students\' notes', () => {
  for (const prefix of ['000', '001', '002', '003', '004']) {
    it(`seed ${prefix}: every line is checked or listed as not checked, with a reason`, () => {
      const { t, lines, offset } = runSeed(prefix);
      const covered = new Set<number>();
      const cover = (from: number, to = from) => { for (let n = from; n <= to; n++) covered.add(n - offset); };
      for (const l of t.lines) cover(l.line, l.endLine);
      for (const n of t.notChecked ?? []) {
        assert.ok(n.reason.length > 5 && n.code.length > 0, `line ${n.line}: a reason`);
        cover(n.line, n.endLine);
      }
      const missed = lines.map((l, i) => ({ l, n: i + 1 })).filter(({ l, n }) => l.trim() !== '' && !l.trim().startsWith('#') && !covered.has(n));
      assert.deepStrictEqual(missed, [], 'lines neither checked nor listed');
      const numeric = lines.filter((l) => /=/.test(l) && /\d/.test(l)).length;
      assert.ok(numeric > 0);
      assert.ok(t.lines.length > 0, 'some lines are checked');
    });
  }

  it('seed 000: the slips named from the notes\' own arithmetic', () => {
    const { t, at } = runSeed('000');
    // z_1 = 0.05 * 0.15 + 0.10 * 0.25 + 0.35 = 0.3825: right arithmetic (0.0075 + 0.025 + 0.35), but the
    // exact net(h1) is 0.05·0.15 + 0.10·0.20 + 0.35 = 0.3775: 0.25 stands where w2 = 0.20 belongs.
    const z1 = at(16)!;
    assert.deepStrictEqual([z1.symbol, z1.quantity, z1.ok], ['z_1', 'net(h1)', false]);
    near(z1.exact, 0.3775, 1e-12, 'net(h1)');
    near(z1.steps![0].value, 0.3825, 1e-12, 'the arithmetic as written');
    assert.strictEqual(z1.steps![0].ok, true);
    assert.deepStrictEqual(z1.steps![0].operand, { text: '0.25', name: 'w2', exact: 0.2 });
    assert.match(z1.diagnosis!, /^0\.25 is used where w2 = 0\.2 belongs/);
    // a_1 = 1/(1 + e^{-0.3825}) = 0.593: 0.593 is out(h1) (0.593269992), but 1/(1 + e^−0.3825) is not 0.593.
    const a1 = at(18)!;
    assert.strictEqual(a1.ok, true);
    near(a1.steps![0].value, 1 / (1 + Math.exp(-0.3825)), 1e-15, '1/(1 + e^-0.3825)');
    assert.strictEqual(a1.steps![0].ok, false);
    // J_2 = ½ (0.773 − 0.99)² = ½ · 0.047089 = 0.0235445, which rounds to 0.024: 0.023 is cut off.
    const j2 = at(43)!;
    assert.strictEqual(j2.ok, false);
    near(j2.steps![0].value, 0.0235445, 1e-12, '½ (0.773 − 0.99)²');
    assert.match(j2.diagnosis!, /cut off/);
    // ω1 = 0.15 − 0.05 · 0.00044 = 0.149978: with η = 0.5, 0.15 − 0.5 · 0.00044 = 0.14978 ≈ 0.149780716.
    const w1 = t.lines.find((l) => l.quantity === "w1'")!;
    assert.strictEqual(w1.symbol, '\\omega_1');
    assert.strictEqual(w1.diagnosis, '0.05 is used where η = 0.5 belongs');
    // ∂J/∂ω5 over four lines, = 0.741 * 0.187 * 0.593 = 0.0821: 0.082170 rounds to 0.0822.
    const w5 = t.lines.find((l) => l.quantity === 'dE/dw5')!;
    assert.ok(w5.endLine! > w5.line, 'a chain continued on the lines below');
    assert.match(w5.diagnosis!, /= 0\.0821702, which rounds to 0\.0822: 0\.0821 has its last digits cut off/);
    // The update of ω5 written as ω5 = ω5 − η ∂J/∂ω5 is w5' (0.4 − 0.5 · 0.0821 = 0.35895 ≈ 0.35891648).
    assert.strictEqual(t.lines.find((l) => l.symbol === '\\omega_5')?.quantity, "w5'");
  });

  it('seed 000: a line not checked gets the one quantity its number is, as a notation to add', () => {
    const { t } = runSeed('000');
    // ∂Z_1/∂ω_1 = λ_1 = 0.05: Z_1 (capital) is no symbol of the notation; 0.05 is x1 and nothing else.
    const z = t.notChecked!.find((n) => n.text.includes('\\partial Z_1'))!;
    assert.strictEqual(z.code, 'notes-unknown-symbol');
    assert.deepStrictEqual(z.suggestion, { quantity: 'out(i1)', exact: 0.05, notation: '\\frac{\\partial Z_1}{\\partial \\omega_1} = out(i1)' });
    // η = 0.5 is as close to w7 = 0.5 as to w6 = 0.45 at one decimal: no suggestion.
    const eta = t.notChecked!.find((n) => n.text === '$$\\eta = 0.5$$')!;
    assert.strictEqual(eta.suggestion, undefined);
  });

  it('seed 001: a wrong value carried on is named as the student\'s own, and a/(1−a)² is computed', () => {
    const { at } = runSeed('001');
    // a_1 = 1/(1 + e^{-0,3825}) = 0,594: the arithmetic is right (0.594476); with net(h1) = 0.3775 it
    // would be 0.59327 — the 0,3825 is the z_1^1 of the notes' line 5 (line 9 of the cell, after the notation).
    const a1 = at(7)!;
    assert.strictEqual(a1.ok, false);
    assert.strictEqual(a1.diagnosis, '0,3825 is used where net(h1) = 0.3775 belongs — it is your z_1^1 from line 9, carried on');
    // b) 0,99 / (1 − 0,99)² = 0.99 / 0.0001 = 9900, not 0,124.
    const b = at(47)!;
    assert.strictEqual(b.quantity, 'dout(o1)/dnet(o1)');
    near(b.steps![0].value, 9900, 1e-9, '0.99 / 0.01²');
    assert.strictEqual(b.steps![0].ok, false);
    // g) ∂z_2^2/∂a_2^2 is the weight h2 → o2, θ²₂₂ = 0.55.
    assert.deepStrictEqual([at(57)!.quantity, at(57)!.exact], ['theta2_22', 0.55]);
  });

  it('seed 002: the table and the aligned rows are read row by row, and all are right', () => {
    const { t } = runSeed('002');
    // dJ/dŷ = −(y − ŷ) = −(2 − 1.2) = −0.8; dŷ/dz2 = 1; dz2/da1 = w2 = 0.8; dz2/dw2 = a1 = 1.5; da1/dz1 = 1;
    // dz1/dw1 = x = 3; then dJ/dz2 = −0.8, dJ/dw2 = −1.2, dJ/da1 = −0.64, dJ/dz1 = −0.64, dJ/dw1 = −1.92.
    assert.deepStrictEqual(t.lines.map((l) => [l.quantity, l.written]), [
      ['dE/dout(yhat)', -0.8], ['dout(yhat)/dnet(yhat)', 1], ['w2', 0.8], ['dnet(yhat)/dw2', 1.5], ['dout(a1)/dnet(a1)', 1], ['dnet(a1)/dw1', 3],
      ['dE/dout(yhat)', -0.8], ['dE/dnet(yhat)', -0.8], ['dE/dw2', -1.2],
      ['dE/dout(yhat)', -0.8], ['dE/dnet(yhat)', -0.8], ['dE/dout(a1)', -0.64], ['dE/dnet(a1)', -0.64], ['dE/dw1', -1.92],
    ]);
    assert.strictEqual(t.failed, 0);
    // w_1 := 0.5 − 0.1(−1.92) ends in a computation, not in its result.
    assert.ok(t.notChecked!.some((n) => n.code === 'notes-ends-in-expression' && n.text.includes('0.5 - 0.1(-1.92)')));
  });

  it('seed 004: a digit changed after a right computation, and ∂ written as 2', () => {
    const { t, at } = runSeed('004');
    // −(0.01 − 0.75136507) = 0.74136507, written 0.74136505.
    const d = t.lines.find((l) => l.quantity === 'dE/dout(o1)')!;
    assert.strictEqual(d.ok, false);
    assert.ok(d.steps!.some((s) => !s.ok && Math.abs(s.value - 0.74136507) < 1e-12 && s.writtenText === '0.74136505'));
    // O_1 = 0.105905967 for 1.105905967; w_{3new} = 0.24995114 for 0.24975114.
    assert.strictEqual(at(305)!.ok, false);
    assert.strictEqual(t.lines.find((l) => l.symbol === 'w_{3new}')!.ok, false);
    // ∂2E_tot/∂2u_5 = 0.74136507 · 0.186815602 · 0.593269992 = 0.082167041: ∂E/∂w5, as a notation to add.
    const w5 = t.notChecked!.find((n) => n.text.includes('\\frac{2E_{tot}}{2u_5} = 0.74136507'))!;
    assert.deepStrictEqual([w5.suggestion?.quantity, w5.suggestion?.notation], ['dE/dw5', '\\frac{2E_{tot}}{2u_5} = dE/dw5']);
    // u_{5_{new}} = u_5 − η … = 0.35891648: the value after the step.
    assert.deepStrictEqual([at(366)?.quantity, at(366)?.ok], ["w5'", true]);
  });
});
