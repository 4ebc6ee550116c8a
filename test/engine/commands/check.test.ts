import * as assert from 'assert';
import { Session } from '../../../src/engine/session';
import type { CheckLine, CheckTrace } from '../../../src/engine/trace/schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBpnb } from '../../../src/engine/file/bpnb';
import { messageOf } from '../../../src/engine/semantics/messages';
import { MAZUR_CELL } from '../fixtures';

function check(lines: string, setup = MAZUR_CELL, header = 'check'): CheckTrace {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(setup).errors, []);
  const r = s.runSync(`${header}\n${lines}`);
  assert.deepStrictEqual(r.errors, []);
  const t = r.traces[0];
  assert.ok(t.kind === 'check');
  assert.strictEqual(r.checksFailed, t.failed);
  return t;
}
const line = (t: CheckTrace, q: string): CheckLine => t.lines.find((l) => l.quantity === q)!;

describe('check', () => {
  it('a value matches within half a unit of its last written digit', () => {
    // w5' = 0.35891648 (published); 0.359 is within 0.0005, 0.3589 within 0.00005, 0.3590 is not.
    const t = check("  w5' = 0.359\n  w5' = 0.3589\n  w5' = 0.3590\n  w5' = 0.358\n  w5' = 0.35891648\n");
    assert.deepStrictEqual(t.lines.map((l) => [l.writtenText, l.ok, l.tolerance]), [
      ['0.359', true, 0.0005], ['0.3589', true, 0.00005], ['0.3590', false, 0.00005], ['0.358', false, 0.0005], ['0.35891648', true, 5e-9],
    ]);
    assert.strictEqual(t.passed, 3);
    assert.strictEqual(t.failed, 2);
  });

  it('decimal commas are read as decimal points and kept as written', () => {
    const t = check("  w5' = 0,359\n  E = 0,298\n");
    assert.deepStrictEqual(t.lines.map((l) => [l.writtenText, l.written, l.ok]), [['0,359', 0.359, true], ['0,298', 0.298, true]]);
  });

  it('`within TOL` replaces the digit rule', () => {
    const t = check('  E = 0.3\n  E = 0.29\n', MAZUR_CELL, 'check within 0.005');
    assert.deepStrictEqual(t.lines.map((l) => [l.ok, l.tolerance]), [[true, 0.005], [false, 0.005]]);
  });

  it('evaluates every kind of quantity (values from the published example and by hand)', () => {
    const t = check([
      '  E(o1) = 0.274811083', '  E(o2) = 0.023560026', '  net(h1) = 0.3775', '  out(o2) = 0.772928465',
      '  dE/dout(o1) = 0.74136507', '  dout(o1)/dnet(o1) = 0.186815602', '  dnet(o1)/dw5 = 0.593269992',
      '  dE/dnet(o1) = 0.138498562', '  dnet(o2)/dw5 = 0', '  dnet(h1)/db1 = 1', '  w5 = 0.4', "  b1' = 0.35",
      '  E[1] = 0.298371109', '  out(h1)[1] = 0.593269992', '  dE/dw1 = 0.000438568',
    ].join('\n'));
    for (const l of t.lines) assert.ok(l.ok, `${l.quantity}: wrote ${l.writtenText}, exact ${l.exact}`);
  });

  it('shows a gradient\'s chain-rule factors', () => {
    const t = check('  dE/dw5 = 0.082167041\n');
    const l = line(t, 'dE/dw5');
    assert.deepStrictEqual(l.factors!.map((f) => f.quantity), ['dE/dout(o1)', 'dout(o1)/dnet(o1)', 'dnet(o1)/dw5']);
    assert.ok(l.factors!.every((f) => !f.suspect));
    assert.strictEqual(l.diagnosis, undefined);
  });

  describe('diagnosis of a wrong line (seed 001\'s slips)', () => {
    it('a wrong activation derivative: a/(1−a)² instead of a(1−a)', () => {
      // out(o1) = 0.75136507 → out/(1 − out)² = 0.75136507 / 0.24863493² = 12.1542 (by hand).
      const t = check('  dout(o1)/dnet(o1) = 12.154\n');
      const l = t.lines[0];
      assert.strictEqual(l.ok, false);
      assert.match(l.diagnosis!, /wrong activation derivative/);
      assert.match(l.diagnosis!, /out\/\(1−out\)²/);
    });

    it('the same slip inside dE/dw5 marks the derivative factor as the suspect', () => {
      // 0.74136507 × 12.1542 × 0.59327 = 5.3457 (by hand).
      const l = check('  dE/dw5 = 5.3457\n').lines[0];
      assert.strictEqual(l.ok, false);
      assert.match(l.diagnosis!, /wrong activation derivative/);
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [false, true, false]);
    });

    it('a factor the student also checked and got wrong is blamed for the product', () => {
      const t = check('  dout(o1)/dnet(o1) = 12.154\n  dE/dw5 = 5.3457\n');
      const l = line(t, 'dE/dw5');
      assert.match(l.diagnosis!, /follows from the wrong factor you wrote, dout\(o1\)\/dnet\(o1\) = 12.154/);
      const f = l.factors!.find((x) => x.suspect)!;
      assert.strictEqual(f.quantity, 'dout(o1)/dnet(o1)');
      assert.strictEqual(f.written, 12.154);
      assert.strictEqual(f.ok, false);
    });

    it('a sign flipped: (t − o) instead of (o − t)', () => {
      const l = check('  dE/dw5 = -0.0822\n').lines[0];
      assert.match(l.diagnosis!, /sign flipped/);
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [true, false, false]);
    });

    it('a factor left out', () => {
      // ∂E/∂w5 without ∂out/∂net: 0.74136507 × 0.59327 = 0.43983 (by hand).
      const l = check('  dE/dw5 = 0.4398\n').lines[0];
      assert.match(l.diagnosis!, /dout\(o1\)\/dnet\(o1\) = 0.186816 seems to be left out/);
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [false, true, false]);
    });

    it('a term of the hidden sum left out', () => {
      // ∂E/∂out(h1) through o1 alone: 0.74136507 × 0.186815602 × 0.40 = 0.055399425 (the notes' value).
      const l = check('  dE/dout(h1) = 0.055399425\n').lines[0];
      assert.match(l.diagnosis!, /^a term of the sum is missing: in ∂E\/∂out\(h1\) = Σ ∂E\/∂net · w, the term through o2 \(-0.0190491\) was left out$/);
      assert.deepStrictEqual(l.slips!.map((x) => x.family), ['term-left-out']);
      // The path through o2 is the one blamed: ∂E/∂out(o2), ∂out(o2)/∂net(o2) and w7.
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [false, false, false, true, true, true]);
    });

    it('the out of the wrong neuron used for ∂net/∂w', () => {
      // 0.74136507 × 0.186815602 × out(h2) = 0.596884378 → 0.082668 (by hand).
      const l = check('  dE/dw5 = 0.08267\n').lines[0];
      assert.match(l.diagnosis!, /out\(h2\) = 0.596884 seems to have been used/);
    });

    it('rounding named only when a rounded chain gives the value; digits cut off instead of rounded', () => {
      // The notes write a1 = 0,594 for out(h1) = 0.593269992, and a2 = 0,596 for out(h2) = 0.596884378.
      // net(h1) = 0.3775 rounded to two digits is 0.38, and σ(0.38) = 1/(1 + 0.683861) = 0.593873 (by hand),
      // within 0.0005 of 0,594; 0.596884 cut off at three decimals is 0.596.
      const t = check('  out(h1) = 0,594\n  out(h2) = 0,596\n');
      assert.deepStrictEqual(t.lines.map((l) => l.ok), [false, false]);
      assert.match(t.lines[0].diagnosis!, /^rounding along the way: with net\(h1\) = 0.3775 rounded to 2 significant digits, this is 0.593873/);
      assert.match(t.lines[1].diagnosis!, /cut off instead of rounded: 0.596884 rounds to 0.597/);
      // 0,5925: no rounded chain gives it (σ of 0.38, 0.378 or 0.3775 is 0.593873, 0.593393, 0.59327),
      // so nothing is named, and what is known is said instead.
      const none = check('  out(h1) = 0,5925\n').lines[0];
      assert.strictEqual(none.slips, undefined);
      assert.match(none.diagnosis!, /^no single slip gives 0,5925: it is off by 0.000769992 \(0.13 %\) from the exact value, where your digits allow ± 5e-5\. out\(h1\) = σ\(net\(h1\)\) = σ\(0.3775\)$/);
    });

    it('a net input with the weight of another edge names every substitution that gives it (seed 000)', () => {
      // net(h1) = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775. 0.3825 is w3 = 0.25 in either slot:
      // 0.25·0.05 + 0.20·0.10 + 0.35 = 0.3825 and 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825. No other one
      // weight of the layer does it: 0.20 or 0.30 for w1 gives 0.38 and 0.385, 0.15 or 0.30 for w2
      // 0.3725 and 0.3875.
      const l = check('  net(h1) = 0.3825\n').lines[0];
      assert.strictEqual(l.ok, false);
      assert.match(l.diagnosis!, /^2 slips give 0\.3825 equally well: /);
      assert.ok(l.diagnosis!.includes('uses w3 = 0.25 for i1 -> h1 instead of w1 = 0.15'), l.diagnosis);
      assert.ok(l.diagnosis!.includes('uses w3 = 0.25 for i2 -> h1 instead of w2 = 0.2'), l.diagnosis);
      assert.strictEqual(l.diagnosis!.match(/ uses /g)!.length, 2);
    });

    it('a written factor is the suspect only if, as written, it gives the product', () => {
      // Both factors written wrong, the product made with only the second: 0.74136507 × 0.124 ×
      // 0.593269992 = 0.0545389 (with both, 0.99 × 0.124 × 0.593269992 = 0.0728298).
      const t = check('  dE/dout(o1) = 0.99\n  dout(o1)/dnet(o1) = 0.124\n  dE/dw5 = 0.05454\n');
      const l = line(t, 'dE/dw5');
      assert.match(l.diagnosis!, /^follows from the wrong factor you wrote, dout\(o1\)\/dnet\(o1\) = 0.124 \(exact 0.186816\);/);
      assert.deepStrictEqual(l.factors!.map((f) => f.suspect), [false, true, false]);
      // Written factors that give neither: 0.99 × 0.124 × 0.593269992 = 0.0728, not 0.06.
      const n = line(check('  dE/dout(o1) = 0.99\n  dout(o1)/dnet(o1) = 0.124\n  dE/dw5 = 0.06\n'), 'dE/dw5');
      assert.match(n.diagnosis!, /^no single slip gives 0.06: .*The factors as written do not explain 0.06 either: they give 0.0728298\. Wrong among them: dE\/dout\(o1\) = 0.99/);
      assert.strictEqual(n.slips, undefined);
      assert.ok(n.factors!.every((f) => !f.suspect));
    });

    it('wrong values carried on: out from a wrong net, a loss term from a wrong out', () => {
      // σ(0.3825) = 0.594475 (by hand); ½(0.01 − 0.757)² = 0.279004.
      const t = check('  net(h1) = 0.3825\n  out(h1) = 0.5945\n  out(o1) = 0.757\n  E(o1) = 0.279\n');
      assert.match(line(t, 'out(h1)').diagnosis!, /follows from the wrong net\(h1\) = 0.3825 you wrote/);
      assert.match(line(t, 'E(o1)').diagnosis!, /follows from the wrong out\(o1\) = 0.757 you wrote/);
    });

    it('another neuron\'s value (seed 004 writes out(h2) = 0.596884378 as out(h1))', () => {
      const l = check('  out(h1) = 0.596884378\n').lines[0];
      assert.match(l.diagnosis!, /this is out\(h2\) = 0.596884, not out\(h1\)/);
    });

    it('an update with the wrong rate or the wrong sign (seed 000: 0.15 − 0.05 × 0.00044 = 0.149978)', () => {
      const t = check("  w1' = 0.149978\n  w5' = 0.441\n");
      assert.match(t.lines[0].diagnosis!, /uses the rate 0.05 instead of η = 0.5/);
      // 0.4 + 0.5 × 0.082167 = 0.441084 (by hand).
      assert.match(t.lines[1].diagnosis!, /moved up the gradient/);
    });

    it('the loss factor of a gradient, as the loss records list the slips', () => {
      // half-sse: ∂E/∂out(o1) = out − t = 0.75136507 − 0.01 = 0.74136507; with the ½ dropped, twice that.
      const own = check('  dE/dout(o1) = 1.4827\n').lines[0];
      assert.strictEqual(own.diagnosis, 'the ½ of the loss dropped (2(out − t) for out − t): the exact value is 0.741365, not 1.48273');
      // Inside ∂E/∂w5 = 0.082167041: 2 × that = 0.164334082, and the loss factor is the suspect.
      const inside = check('  dE/dw5 = 0.16433\n').lines[0];
      assert.match(inside.diagnosis!, /^the ½ of the loss dropped .*: dE\/dout\(o1\) is 0\.741365, not 1\.48273$/);
      assert.deepStrictEqual(inside.factors!.map((f) => f.suspect), [true, false, false]);
      // mse over 2 samples, y = 2x: ∂E/∂out(y)[1] = 2(2 − 0)/2 = 2. Summed, not averaged: 4; without the 2: 1.
      const mse = 'input x\nlayer y linear\nw x -> y = 2\nloss mse\nsample x=1 -> y=0\nsample x=3 -> y=1\n';
      const t = check('  dE/dout(y)[1] = 4\n  dE/dout(y)[1] = 1\n  dE/dw[1] = 4\n', mse);
      assert.match(t.lines[0].diagnosis!, /^summed over the batch where the loss takes the mean \(÷ N left out\)/);
      assert.match(t.lines[1].diagnosis!, /^the factor 2 of the squared error left out/);
      assert.match(t.lines[2].diagnosis!, /^summed over the batch where the loss takes the mean .*: dE\/dout\(y\) is 2, not 4$/);
    });

    it('a loss without its ½', () => {
      const l = check('  E = 0.596742\n').lines[0];
      assert.strictEqual(l.diagnosis, 'the ½ in front of Σ(t − o)² left out: the exact value is 0.298371, not 0.596742');
      assert.deepStrictEqual(l.slips!.map((x) => x.family), ['loss-scale']);
    });

    it('a copying slip in w\' is not taken for a wrong rate (seed 004 writes 0.24995114 for w3\' = 0.24975114)', () => {
      // ∂E/∂w3 = 0.05 × 0.240613417 × 0.041370323 = 0.000497713 (fixtures): w3' = 0.25 − 0.5 × that = 0.24975114.
      // A rate of 0.05 would give 0.25 − 0.05 × 0.000497713 = 0.24997511, further from 0.24995114 than the step is long.
      const l = check("  w3' = 0.24995114\n").lines[0];
      assert.strictEqual(l.ok, false);
      assert.doesNotMatch(l.diagnosis!, /rate/);
      assert.match(l.diagnosis!, /one digit differs .* 0\.24975114: 9 where it has 7/);
      // Seed 001 writes 0,201 for out(h1)(1 − out(h1)) = 0.241 (and uses 0,241 a few lines later).
      const d = check('  dout(h1)/dnet(h1) = 0,201\n').lines[0];
      assert.match(d.diagnosis!, /one digit differs .* 0\.241: 0 where it has 4/);
      assert.match(check('  out(h1) = 0.5393\n').lines[0].diagnosis!, /two neighbouring digits are swapped: .* 0\.5933/);
      // Seed 004's O_1 = 0.105905967 for net(o1) = 0.4 × 0.593269992 + 0.45 × 0.596884378 + 0.6 = 1.105905967.
      assert.match(check('  net(o1) = 0.105905967\n').lines[0].diagnosis!, /a digit seems to be left out: the exact value is 1\.105905967$/);
      // ... and inside the decimals: 0.7136507 for ∂E/∂out(o1) = 0.74136507.
      assert.match(check('  dE/dout(o1) = 0.7136507\n').lines[0].diagnosis!, /a digit seems to be left out: the exact value is 0\.74136507$/);
    });

    it('a decimal point slipped, and a total from the loss terms written (seed 003: E_o2 = 0.23, E = 0.50)', () => {
      // E(o2) = ½(0.99 − 0.772928465)² = 0.023560026; E(o1) = 0.274811083, so 0.274811 + 0.23 = 0.504811.
      const t = check('  E(o2) = 0.23\n  E = 0.50\n');
      assert.deepStrictEqual(t.lines.map((l) => l.ok), [false, false]);
      assert.match(t.lines[0].diagnosis!, /ten times the exact value 0.02356: the decimal point/);
      assert.match(t.lines[1].diagnosis!, /follows from the wrong loss term you wrote, E\(o2\) = 0.23$/);
    });

    it('the notes\' wrong forward values (seed 001: 1,136 for net(o1), 0,306 for E)', () => {
      const t = check('  net(o1) = 1,136\n  E = 0,306\n');
      assert.deepStrictEqual(t.lines.map((l) => l.ok), [false, false]);
      assert.ok(t.lines.every((l) => typeof l.diagnosis === 'string' && l.diagnosis.length > 0));
    });
  });

  describe('the notes of seed 001, as examples/theta-notation-check.bpnb checks them', () => {
    const cells = parseBpnb(readFileSync(join(__dirname, '..', '..', '..', 'examples', 'theta-notation-check.bpnb'), 'utf8')).cells.filter((c) => c.kind === 'code');
    const [setup, forward, backward] = cells.map((c) => c.source);
    const lineOf = (t: CheckTrace, n: number): CheckLine => t.lines.find((l) => l.line === n)!;

    it('z¹₁ = 0,3825: 0,25 read for θ¹₁₁ or for θ¹₁₂ — both named', () => {
      // The notes write (0,15·0,05) + (0,25·0,1) + 0,35 — 0,25 for θ¹₁₂ = 0,20; 0,25 for θ¹₁₁ = 0,15
      // gives 0,0125 + 0,02 + 0,35 = 0,3825 as well.
      const d = lineOf(check(forward.replace(/^check\n/, ''), setup), 2).diagnosis!;
      assert.ok(d.includes('uses theta1_21 = 0.25 for x1 -> h1 instead of theta1_11 = 0.15'), d);
      assert.ok(d.includes('uses theta1_21 = 0.25 for x2 -> h1 instead of theta1_12 = 0.2'), d);
    });

    it('no factor written wrong is blamed for a product it does not give', () => {
      const t = check(backward.replace(/^check\n/, ''), setup);
      // 2) 0,082 for ∂E/∂θ²₁₂: ∂E/∂θ²₁₁'s value, 0.74136507 × 0.186815602 × out(h1) 0.593269992 = 0.0821670,
      // out(h1) standing in for out(h2). The written 0,99 and 0,124 would give 0.99 × 0.124 × 0.596884 = 0.0733.
      const two = lineOf(t, 10);
      assert.match(two.diagnosis!, /out\(h1\) = 0.59327 seems to have been used/);
      assert.deepStrictEqual(two.factors!.map((f) => f.suspect), [false, false, true]);
      // 3) −0,025: the written −0,594 and 0,184 give −0.594 × 0.184 × 0.593269992 = −0.0648420.
      const three = lineOf(t, 11);
      assert.match(three.diagnosis!, /The factors as written do not explain -0,025 either: they give -0.064842\./);
      // 3), 4), 6), 7), 8): the written factors give −0.0648, −0.0652, 0.000731, 0.000848, 0.00170.
      for (const n of [11, 12, 14, 15, 16]) {
        const l = lineOf(t, n);
        assert.match(l.diagnosis!, /the factors as written do not explain/i, `line ${n}`);
        assert.ok(l.factors!.every((f) => !f.suspect), `line ${n}`);
      }
    });
  });

  it('a line naming something unknown is marked with its diagnostic; every other line is checked', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const r = s.runSync('check\n  dE/dw9 = 1\n  out(h3) = 1\n  out(h1)[2] = 1\n  E(h1) = 1\n  dout(i1)/dnet(i1) = 1\n  dnet(i1)/dw1 = 1\n  E = 0.298371109\n');
    const found = [
      ['2:3', 'unknown-name', { what: 'parameter', name: 'w9', near: 'w1' }],
      ['3:3', 'unknown-name', { what: 'neuron', name: 'h3', near: 'h1' }],
      ['4:3', 'sample-out-of-range', { count: 1, sample: 2 }],
      ['5:3', 'not-an-output', { neuron: 'h1' }],
      ['6:3', 'input-has-no-activation', { neuron: 'i1' }],
      ['7:3', 'input-has-no-net', { neuron: 'i1' }],
    ];
    // Warnings in the editor and on the command line, at the quantity; the cell still runs.
    assert.deepStrictEqual(r.errors.map((e) => [`${e.line}:${e.column}`, e.code, e.args]), found);
    assert.ok(r.errors.every((e) => e.severity === 'warning'));
    assert.deepStrictEqual(r.errors.map((e) => messageOf(e)), [
      "unknown parameter 'w9' — did you mean 'w1'?",
      "unknown neuron 'h3' — did you mean 'h1'?",
      'there is 1 sample; [2] is out of range',
      "E(h1): h1 is not an output neuron (E(NAME) is one output's loss term)",
      'i1 is an input: it has no activation to differentiate',
      'i1 is an input: it has no net input',
    ]);
    const t = r.traces[0];
    assert.ok(t.kind === 'check');
    // The bad lines are marked with the same code and counted as failed; the valid one is checked.
    assert.deepStrictEqual(t.lines.map((l) => [l.line, l.ok, l.problem?.code]), [
      [2, false, 'unknown-name'], [3, false, 'unknown-name'], [4, false, 'sample-out-of-range'], [5, false, 'not-an-output'],
      [6, false, 'input-has-no-activation'], [7, false, 'input-has-no-net'], [8, true, undefined],
    ]);
    assert.strictEqual(t.lines[0].problem!.message, "unknown parameter 'w9' — did you mean 'w1'?");
    assert.ok(Number.isNaN(t.lines[0].exact));
    assert.deepStrictEqual([t.passed, t.failed, r.checksFailed], [1, 6, 6]);
  });

  it('per-sample quantities with [k] in a batch', () => {
    const cell = 'input x\nlayer y linear\nw x -> y = 2\nloss half-sse\nsample x=1 -> y=0\nsample x=3 -> y=1\n';
    // y = 2x: outputs 2 and 6; E = ½(4 + 25) = 14.5; ∂E/∂w = Σ (y − t)·x = 2·1 + 5·3 = 17.
    const t = check('  E = 14.5\n  E[2] = 12.5\n  out(y)[2] = 6\n  dE/dw = 17\n  dE/dw[1] = 2\n', cell);
    for (const l of t.lines) assert.ok(l.ok, `${l.quantity} exact ${l.exact}`);
  });
});
