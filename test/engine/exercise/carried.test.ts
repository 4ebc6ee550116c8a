/**
 * Error carried forward (exercise/carried.ts): without overrides its values are the exact ones —
 * Mazur's published 2-2-2 numbers, and the engine's own check on other networks — and with the
 * student's own values in place it gives what follows from them, computed here by hand.
 */
import * as assert from 'assert';
import { parseQuantity } from '../../../src/engine/language/quantities';
import type { Quantity } from '../../../src/engine/language/syntax';
import { quantityKey } from '../../../src/engine/commands/quantities';
import { Carried, type ExerciseNet } from '../../../src/engine/exercise/carried';
import { parseCells } from '../../../src/engine/exercise/declarations';
import { exerciseNet } from '../../../src/engine/exercise/prepare';
import { Session } from '../../../src/engine/session';
import type { CheckTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

const q = (text: string): Quantity => {
  const p = parseQuantity(text);
  assert.ok(!('code' in p), text);
  return p;
};

/** The network a check of `quantities` (each written as 0) evaluates at, and the check's exact values. */
function netAndExact(cell: string, quantities: string[]): { net: ExerciseNet; exact: Map<string, number> } {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(cell).errors, []);
  const r = s.runSync(`check\n${quantities.map((x) => `  ${x} = 0`).join('\n')}`);
  assert.deepStrictEqual(r.errors, []);
  const t = r.traces[0] as CheckTrace;
  const net = exerciseNet(t.network, parseCells([{ kind: 'code', source: cell }]), 0);
  assert.ok(net);
  return { net, exact: new Map(t.lines.map((l) => [l.quantity, l.exact])) };
}

const close = (actual: number | undefined, expected: number, tolerance: number, what: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what}: ${actual} is not within ${tolerance} of ${expected}`);

describe('exercises: error carried forward', () => {
  it('without overrides, the 2-2-2 network gives the published values', () => {
    const { net } = netAndExact(MAZUR_CELL, ['E']);
    const c = new Carried(net);
    for (const [text, value] of [
      ['E', 0.298371109], ['out(h1)', 0.593269992], ['dE/dw5', 0.082167041], ['dE/dout(h1)', 0.036350306],
      ["w5'", 0.35891648], ["w1'", 0.149780716], ['dE/dw1', 0.000438568], ['dout(o1)/dnet(o1)', 0.186815602],
      ['dE/dout(o1)', 0.74136507], ['E(o1)', 0.274811083],
    ] as [string, number][]) {
      const f = c.value(q(text));
      close(f?.value, value, 5e-10, text);
      assert.deepStrictEqual(f?.used, [], text);
    }
  });

  it('without overrides, it agrees with the engine\'s check on other networks (relu, tanh, two samples, mse, a shared bias)', () => {
    const cell = [
      'input x1 x2', 'layer h1 h2 relu', 'layer h3 tanh', 'layer y1 y2 sigmoid',
      'w1 x1 -> h1 = 0.4', 'w2 x2 -> h1 = -0.3', 'w3 x1 -> h2 = 0.25', 'w4 x2 -> h2 = 0.6',
      'w5 h1 -> h3 = 0.7', 'w6 h2 -> h3 = -0.45', 'w7 h3 -> y1 = 1.2', 'w8 h3 -> y2 = -0.8',
      'bias b1 -> h1 h2 = 0.1', 'bias b2 -> y1 y2 = -0.2', 'loss mse', 'rate 0.3',
      'sample x1=0.5 x2=0.9 -> y1=1 y2=0', 'sample x1=-0.2 x2=0.4 -> y1=0 y2=1',
    ].join('\n');
    const quantities = [
      'E', 'E[2]', 'E(y2)', 'E(y1)[1]', 'net(h2)[2]', 'out(h3)[2]', 'dout(h3)/dnet(h3)[1]', 'dE/dout(h1)[2]', 'dE/dnet(h2)[1]',
      'dnet(h3)/dw5[2]', 'dE/dw1', 'dE/dw6[2]', 'dE/db1', 'dE/db2', "w2'", "b1'", "w8'", 'dE/dout(h1)', 'dE/dnet(y2)', 'E(y1)', 'out(h2)',
    ];
    const { net, exact } = netAndExact(cell, quantities);
    const c = new Carried(net);
    for (const text of quantities) close(c.value(q(text))?.value, exact.get(text)!, 1e-12 * Math.max(1, Math.abs(exact.get(text)!)), text);
  });

  it('follows the student\'s own wrong values, and says which it used', () => {
    const { net } = netAndExact(MAZUR_CELL, ['E']);
    // Overrides by the quantity as a student writes it, keyed as check keys it (commands/quantities.ts).
    const follow = (overrides: [string, number][], text: string) => new Carried(net, new Map(overrides.map(([x, v]) => [quantityKey(q(x), 1), v]))).value(q(text));
    // E from a wrong out(o1) = 0.75: ½(0.01 − 0.75)² + ½(0.99 − 0.772928465)² = 0.2738 + 0.023560026.
    const e = follow([['out(o1)', 0.75]], 'E');
    close(e?.value, 0.297360026, 5e-10, 'E');
    assert.deepStrictEqual(e?.used, ['out(o1)[1]']);
    // ∂E/∂w5 from a wrong ∂E/∂out(o1) = 0.7: 0.7 × 0.186815602 × 0.593269992.
    close(follow([['dE/dout(o1)', 0.7]], 'dE/dw5')?.value, 0.0775825, 5e-8, 'dE/dw5');
    // w5' from a wrong ∂E/∂w5 = 0.09: 0.4 − 0.5 × 0.09.
    close(follow([['dE/dw5', 0.09]], "w5'")?.value, 0.355, 1e-12, "w5'");
    // out(h1) from the notes' net(h1) = 0.3825 (0.25 used for w2): σ(0.3825) = 1/(1 + e^−0.3825).
    close(follow([['net(h1)', 0.3825]], 'out(h1)')?.value, 0.594475931, 5e-10, 'out(h1)');
    // An override the quantity does not depend on changes nothing and is not used.
    const w7 = follow([['dE/dw5', 0.09]], "w7'");
    assert.deepStrictEqual(w7?.used, []);
  });

  it('has nothing to carry into w\' when an epoch makes several updates', () => {
    const { net } = netAndExact(`${MAZUR_CELL}mode sample\nsample i1=0.10 i2=0.05 -> o1=0.99 o2=0.01`, ['E']);
    assert.strictEqual(net.inputs.length, 2);
    assert.strictEqual(new Carried(net).value(q("w5'")), undefined);
    assert.ok(new Carried(net).value(q('dE/dw5')) !== undefined);
  });
});
