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

  /** The network of a check right after the cells' last `step` (its trace holds the state before that step). */
  function afterStep(cells: string[], quantities: string[]): { net: ExerciseNet; exact: Map<string, number> } {
    const s = new Session();
    for (const cell of cells) assert.deepStrictEqual(s.runSync(cell).errors, [], cell);
    const t = s.runSync(`check\n${quantities.map((x) => `  ${x} = 0`).join('\n')}`).traces[0] as CheckTrace;
    assert.notStrictEqual(t.stepEpoch, undefined, 'the check looks at the step');
    const net = exerciseNet(t.network, parseCells([{ kind: 'code', source: cells[0] }]), 0, true);
    assert.ok(net);
    return { net, exact: new Map(t.lines.map((l) => [l.quantity, l.exact])) };
  }
  const follow = (net: ExerciseNet, overrides: [string, number][], text: string) =>
    new Carried(net, new Map(overrides.map(([x, v]) => [quantityKey(q(x), 1), v]))).value(q(text));

  it('carries a wrong gradient through momentum: w5\' = w5 − η·(β·v + g) and v(w5) = β·v + g of the step just taken', () => {
    // Step 1 exact: v(w5) = ∂E/∂w5 = 0.082167041 (Mazur), w5' = 0.4 − 0.5 × 0.082167041.
    const one = afterStep([MAZUR_CELL, 'optimizer momentum 0.9', 'step'], ["w5'", 'v(w5)']);
    close(new Carried(one.net).value(q("w5'"))?.value, 0.35891648, 5e-9, "w5' exact");
    close(new Carried(one.net).value(q('v(w5)'))?.value, 0.082167041, 5e-10, 'v(w5) exact');
    // Step 2 from a wrong ∂E/∂w5 = 0.07: v = 0.9 × 0.082167041 + 0.07, w5' = 0.35891648 − 0.5 × v (by hand).
    const two = afterStep([MAZUR_CELL, 'optimizer momentum 0.9', 'step', 'step'], ["w5'", 'v(w5)']);
    const w = follow(two.net, [['dE/dw5', 0.07]], "w5'");
    close(w?.value, 0.28694131105, 5e-9, "w5' carried");
    assert.deepStrictEqual(w?.used, ['dE/dw5[1]']);
    close(follow(two.net, [['dE/dw5', 0.07]], 'v(w5)')?.value, 0.1439503369, 5e-10, 'v(w5) carried');
    for (const text of ["w5'", 'v(w5)']) close(new Carried(two.net).value(q(text))?.value, two.exact.get(text)!, 1e-15, `${text} without overrides is the check's exact value`);
  });

  it('carries a wrong gradient through Adam\'s second step (m, v, the bias corrections at t = 2)', () => {
    // By hand (a Python script of the issue's formulas) from Mazur's ∂E/∂w5 = 0.082167041 at step 1 and
    // a wrong 0.07 at step 2: m = 0.9 × 0.0082167041 + 0.1 × 0.07, v = 0.999 × 6.7514226e-6 + 0.001 × 0.07²,
    // w5' = −0.0999999391 − 0.5 × (m / 0.19) / (√(v / 0.001999) + 1e-8).
    const two = afterStep([MAZUR_CELL, 'optimizer adam', 'step', 'step'], ["w5'", 'm(w5)', 'v(w5)']);
    close(follow(two.net, [['dE/dw5', 0.07]], "w5'")?.value, -0.596331410706746, 1e-7, "w5' carried");
    close(follow(two.net, [['dE/dw5', 0.07]], 'm(w5)')?.value, 0.01439503369, 5e-11, 'm(w5) carried');
    close(follow(two.net, [['dE/dw5', 0.07]], 'v(w5)')?.value, 1.1644671204068986e-5, 1e-13, 'v(w5) carried');
    for (const text of ["w5'", 'm(w5)', 'v(w5)']) close(new Carried(two.net).value(q(text))?.value, two.exact.get(text)!, 1e-15, `${text} without overrides`);
  });

  it('away from a step, v(w5) is the current state: nothing a check computes feeds it', () => {
    const s = new Session();
    for (const cell of [MAZUR_CELL, 'optimizer momentum 0.9', 'step', 'forward']) s.runSync(cell);
    const t = s.runSync('check\n  v(w5) = 0').traces[0] as CheckTrace;
    assert.strictEqual(t.stepEpoch, undefined);
    const net = exerciseNet(t.network, parseCells([{ kind: 'code', source: MAZUR_CELL }]), 0, false)!;
    const v = follow(net, [['dE/dw5', 0.07]], 'v(w5)');
    close(v?.value, 0.082167041, 5e-10, 'v(w5)');
    assert.deepStrictEqual(v?.used, []);
  });
});
