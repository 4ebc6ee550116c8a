import * as assert from 'assert';
import { Session } from '../../src/engine/session';
import { DATA_TABLE_CELL, MAZUR_CELL } from './fixtures';

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
});
