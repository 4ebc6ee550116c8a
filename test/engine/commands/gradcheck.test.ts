import * as assert from 'assert';
import { GRADCHECK_WORK } from '../../../src/engine/commands/gradcheck';
import { Session } from '../../../src/engine/session';
import { DATA_TABLE_CELL, MAZUR_CELL } from '../fixtures';

describe('gradcheck', () => {
  it('analytic and numeric gradients agree on the 2-2-2 example, shared biases included', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    const t = s.runSync('gradcheck').traces[0];
    assert.ok(t.kind === 'gradcheck');
    assert.ok(t.ok);
    assert.deepStrictEqual(t.rows.map((r) => r.name), ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8', 'b1', 'b2']);
    assert.ok(t.maxRelativeError < 1e-6);
    const w5 = t.rows.find((r) => r.name === 'w5')!;
    assert.ok(Math.abs(w5.analytic - 0.082167041) < 5e-10);
    // b1 feeds both h1 and h2: its gradient is the sum of both paths, and the numeric one agrees.
    const b1 = t.rows.find((r) => r.name === 'b1')!;
    assert.ok(b1.relativeError < 1e-6);
    assert.ok(Math.abs(b1.analytic) > 0);
  });

  it('covers generated weights of a data-table network, in every mode', () => {
    for (const mode of ['batch', 'sample', 'minibatch 2']) {
      const s = new Session();
      s.runSync(DATA_TABLE_CELL.replace('mode batch', `mode ${mode}`).replace('relu', 'tanh'));
      const t = s.runSync('gradcheck').traces[0];
      assert.ok(t.kind === 'gradcheck');
      assert.strictEqual(t.rows.length, 6);
      assert.ok(t.ok, `${mode}: max relative error ${t.maxRelativeError}`);
    }
  });

  it('does not move the weights', () => {
    const s = new Session();
    s.runSync(MAZUR_CELL);
    s.runSync('gradcheck');
    assert.strictEqual(s.value('w5'), 0.4);
    assert.strictEqual(s.value('b1'), 0.35);
  });

  it('checks a big network on a subset spread over every layer, within its work budget, and says so', function () {
    // A generous timeout only keeps a hang from blocking the run; the work budget is what bounds it.
    this.timeout(60_000);
    // 784-128-10 with a shared bias: 101,633 parameters, 50 samples (the case that took 80 s).
    let rows = '';
    for (let s = 0; s < 50; s++) {
      rows += `  ${Array.from({ length: 784 }, (_, i) => ((s * 7 + i * 13) % 17) / 17).join(' ')} -> ${Array.from({ length: 10 }, (_, k) => (k === s % 10 ? 1 : 0)).join(' ')}\n`;
    }
    const cell = `input x[784]\nlayer h[128] sigmoid\nlayer y[10] sigmoid\ninit xavier seed 2\nbias b1 -> h[128] = 0.1\ndata\n  x[784] -> y[10]\n${rows}`;
    const s = new Session();
    assert.deepStrictEqual(s.runSync(cell).errors, []);
    const t = s.runSync('gradcheck').traces[0];
    assert.ok(t.kind === 'gradcheck');
    // Each parameter checked costs two loss passes of 50 samples × 101,633 parameters; GRADCHECK_WORK
    // (1e9 multiply-adds) affords ⌊1e9 / (2 · 50 · 101,633)⌋ = 98 of them, more than the floor of 2 per layer.
    assert.strictEqual(t.rows.length, 98);
    assert.ok(2 * t.rows.length * 50 * 101_633 <= GRADCHECK_WORK);
    assert.ok(t.ok, `max relative error ${t.maxRelativeError}`);
    const names = t.rows.map((r) => r.name);
    assert.strictEqual(new Set(names).size, names.length, 'no parameter twice');
    assert.ok(names.length >= 8 && names.length < 101_633);
    // Both layers are covered end to end: each one's first weight and its last parameter (layer 1 ends with b1).
    for (const n of ['w_x1_h1', 'b1', 'w_h1_y1', 'w_h128_y10']) assert.ok(names.includes(n), `${n} checked`);
    assert.ok(names.filter((n) => /_y\d+$/.test(n)).length >= 4, 'the output layer gets its share');
    assert.ok(t.limits.truncated);
    assert.ok(t.limits.notes.some((n) => n.includes(`${names.length} of 101,633 parameters`) && n.includes('every layer')), t.limits.notes.join('\n'));
    // Deterministic: the same subset again.
    const again = s.runSync('gradcheck').traces[0];
    assert.ok(again.kind === 'gradcheck');
    assert.deepStrictEqual(again.rows.map((r) => r.name), names);
  });

  it('with more parameters than a trace lists, still reaches the last layer', () => {
    // 100-50-10: 5,500 weights, more than the 4,096 a trace lists; cheap enough to check that many.
    const s = new Session();
    const r = s.runSync(`input x[100]\nlayer h[50] tanh\nlayer y[10] linear\ninit uniform -0.1 0.1 seed 5\nsample ${Array.from({ length: 100 }, (_, i) => `x${i + 1}=${(i % 7) / 7}`).join(' ')} -> ${Array.from({ length: 10 }, (_, k) => `y${k + 1}=${k / 10}`).join(' ')}\ngradcheck`);
    assert.deepStrictEqual(r.errors, []);
    const t = r.traces[0];
    assert.ok(t.kind === 'gradcheck');
    assert.strictEqual(t.rows.length, 4096);
    assert.ok(t.ok);
    const out = t.rows.filter((row) => /_y\d+$/.test(row.name)).length;
    // 500 output weights fit in an even share of 2,048 per layer: all of them are checked.
    assert.strictEqual(out, 500);
  });
});

