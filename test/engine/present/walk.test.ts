/**
 * The step-through's sequence of operations, computed from the trace. Expected numbers are Mazur's
 * published 2-2-2 example (δ_o1 = 0.74136507 × 0.186815602 = 0.138498562, ∂E/∂w5 = 0.082167041,
 * ∂E/∂out_h1 = 0.036350306, w5' = 0.35891648), not the engine's output.
 */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from '../../../src/engine/session';
import { TraceLookups } from '../../../src/engine/trace/lookups';
import type { ForwardTrace, StepTrace, Trace } from '../../../src/engine/trace/schema';
import type { M } from '../../../src/engine/present/formula';
import { mathText } from '../../../src/engine/present/notation';
import { Notation } from '../../../src/engine/present/quantities';
import { productSteps, walkForward, walkUpdate, type WalkStep } from '../../../src/engine/present/walk';
import { announce } from '../../../renderer/update';
import { DATA_TABLE_CELL, MAZUR_CELL, SOFTMAX_CELL } from '../fixtures';

function traceOf(...cells: string[]): Trace {
  const s = new Session();
  let last: Trace | undefined;
  for (const c of cells) last = s.runSync(c).traces.at(-1);
  return last!;
}

/** The value so far: the last step of the formula, or the number in front of what is still unknown. */
function soFar(step: WalkStep): number {
  const m = step.formula[step.formula.length - 1];
  const first = (x: M): M => (x.t === 'op' ? first(x.items[0]) : x);
  const n = first(m);
  assert.strictEqual(n.t, 'num', `${step.what}: ${mathText(m)}`);
  return n.t === 'num' ? n.v : NaN;
}

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 5e-9 + 1e-8 * Math.abs(b), `${what}: ${a} is not ${b}`);

describe('the step-through of a step', () => {
  const trace = traceOf(MAZUR_CELL, 'step') as StepTrace;
  const look = new TraceLookups(trace);
  const steps = walkUpdate(look, new Notation(6), trace.updates[0]);

  it('goes forward, loss, backward, update, in that order, and ends at the last update', () => {
    const order = ['forward', 'loss', 'neurons', 'gradients', 'update'];
    const phase = (s: WalkStep) => (s.table === 'gradients' ? 'neurons' : s.table);
    const phases = steps.map(phase).filter((p, i, a) => i === 0 || a[i - 1] !== p);
    assert.deepStrictEqual(phases, ['forward', 'loss', 'neurons', 'update']);
    assert.ok(order.indexOf(steps[0].table) === 0);
    assert.strictEqual(steps.at(-1)!.table, 'update');
  });

  it('computes every neuron\'s net and out, and every loss term, then E', () => {
    for (const n of ['h1', 'h2', 'o1', 'o2']) assert.deepStrictEqual(steps.filter((s) => s.table === 'forward' && s.row === n).map((s) => s.what), [`net input of ${n}`, `output of ${n}`]);
    near(soFar(steps.find((s) => s.what === 'output of h1')!), 0.593269992, 'out(h1)');
    near(soFar(steps.find((s) => s.what === 'the loss E')!), 0.298371109, 'E');
  });

  it('visits every parameter\'s gradient and every update', () => {
    const names = trace.network.params.map((p) => p.name).sort();
    assert.deepStrictEqual([...new Set(steps.filter((s) => s.table === 'gradients').map((s) => s.row))].sort(), names);
    assert.deepStrictEqual(steps.filter((s) => s.table === 'update').map((s) => s.row).sort(), names);
    near(soFar(steps.find((s) => s.table === 'update' && s.row === 'w5')!), 0.35891648, "w5'");
  });

  it('takes ∂E/∂w5 one factor at a time, with the product so far', () => {
    const w5 = steps.filter((s) => s.table === 'gradients' && s.row === 'w5');
    assert.deepStrictEqual(w5.map((s) => s.what), ['∂E/∂w5, factor 1 of 3', '∂E/∂w5, factor 2 of 3', '∂E/∂w5, factor 3 of 3']);
    [0.74136507, 0.138498562, 0.082167041].forEach((v, i) => near(soFar(w5[i]), v, `after factor ${i + 1}`));
    // The factors not yet known stay symbols: ∂net_o1/∂w5 until the last step.
    assert.match(mathText(w5[1].formula.at(-1)!), /^0\.138499 × ∂net_o1\/∂w5$/);
  });

  it('highlights a hidden weight\'s edge and both paths through the outputs it feeds', () => {
    for (const s of steps.filter((x) => x.table === 'gradients' && x.row === 'w1')) {
      assert.deepStrictEqual([...s.params].sort(), ['w1', 'w5', 'w7']);
      assert.deepStrictEqual([...s.neurons].sort(), ['h1', 'i1', 'o1', 'o2']);
    }
    const w5 = steps.find((x) => x.table === 'gradients' && x.row === 'w5')!;
    assert.deepStrictEqual(w5.params, ['w5']);
  });

  it('gathers a hidden ∂E/∂out one term at a time, from the δ of the outputs', () => {
    const h1 = steps.filter((s) => s.table === 'neurons' && s.row === 'h1' && s.what.startsWith('∂E/∂out'));
    assert.strictEqual(h1.length, 2);
    near(soFar(h1[0]), 0.138498562 * 0.4, 'δ_o1 · w5');
    near(soFar(h1[1]), 0.036350306, '∂E/∂out(h1)');
    assert.deepStrictEqual([...h1[0].params].sort(), ['w5', 'w7']);
  });

  it('is what docs/outputs.md says of the 2-2-2 example, stop by stop', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'outputs.md'), 'utf8');
    const listed = [...doc.matchAll(/^(\d+) of (\d+): .*$/gm)];
    assert.ok(listed.length >= 10, 'the doc lists the stops');
    for (const [line, k, n] of listed) {
      assert.strictEqual(Number(n), steps.length, 'the number of stops');
      assert.strictEqual(line, announce(steps[Number(k) - 1], Number(k) - 1, steps.length));
    }
    const w5 = steps.filter((s) => s.table === 'gradients' && s.row === 'w5').map((s) => mathText(s.formula.at(-1)!));
    for (const v of w5) assert.ok(doc.includes(`= ${v}\n`), `the partial product ${v} in the doc`);
  });

  it('writes no factor of 1 (a bias\'s ∂net/∂b) and no step for it', () => {
    const b2 = steps.filter((s) => s.table === 'gradients' && s.row === 'b2');
    assert.strictEqual(b2.length, 2, 'one step per path through o1 and o2');
    assert.doesNotMatch(mathText(b2[1].formula.at(-2)!), /× 1\b/);
    assert.deepStrictEqual(productSteps(new Notation(6), { t: 'sym', text: 'y', tex: 'y' }, [], [1, 1], 1).length, 1);
  });
});

describe('the step-through of other outputs', () => {
  it('a forward output: net and out of each neuron, each loss term, E', () => {
    const trace = traceOf(MAZUR_CELL, 'forward') as ForwardTrace;
    const look = new TraceLookups(trace);
    const steps = walkForward(look, new Notation(6), trace.forward, look.paramValues(), trace.loss);
    assert.strictEqual(steps.length, 4 * 2 + 2 + 1);
    assert.strictEqual(steps.at(-1)!.what, 'the loss E');
  });

  it('a batch: each sample\'s contributions, then the sums, then the updates', () => {
    const trace = traceOf(DATA_TABLE_CELL, 'step') as StepTrace;
    const look = new TraceLookups(trace);
    const u = trace.updates[0];
    const steps = walkUpdate(look, new Notation(6), u);
    const samples = [...new Set(steps.filter((s) => s.table === 'gradients' && s.what.startsWith('∂E[')).map((s) => s.sample))];
    assert.deepStrictEqual(samples, u.samples);
    const sums = steps.filter((s) => s.what.endsWith('summed over the batch'));
    assert.strictEqual(sums.length, u.grads.length);
    for (const s of sums) near(soFar(s), u.grads.find((g) => g.name === s.row)!.grad, s.what);
    assert.strictEqual(steps.at(-1)!.table, 'update');
  });

  it('sample mode: the updates one after another', () => {
    const trace = traceOf(DATA_TABLE_CELL, 'mode sample\nstep') as StepTrace;
    const look = new TraceLookups(trace);
    const steps = trace.updates.flatMap((u, i) => walkUpdate(look, new Notation(6), u, i));
    const updates = steps.map((s) => s.update).filter((x, i, a) => i === 0 || a[i - 1] !== x);
    assert.deepStrictEqual(updates, [0, 1, 2]);
  });

  // By hand (test/engine/commands/classification.test.ts): out = 0.412194065, 0.346429222, the rest of 1;
  // under softmax with cross-entropy δ_k = out_k − t_k, and ∂out_o2/∂net_o1 = −out_o2 · out_o1.
  it('softmax: the Jacobian\'s column one entry at a time, δ as its sum and by out − t, δ one factor of a weight\'s path', () => {
    const trace = traceOf(SOFTMAX_CELL, 'step') as StepTrace;
    const steps = walkUpdate(new TraceLookups(trace), new Notation(6), trace.updates[0]);
    const out = { o1: 0.412194065, o2: 0.346429222, o3: 1 - 0.412194065 - 0.346429222 };
    const deltas = { o1: out.o1, o2: out.o2 - 1, o3: out.o3 };
    for (const [o, delta] of Object.entries(deltas)) {
      const mine = steps.filter((s) => s.table === 'neurons' && s.row === o);
      assert.deepStrictEqual(mine.filter((s) => s.what.includes('Jacobian entry')).length, 3, `${o}: three entries`);
      const ds = mine.filter((s) => s.what.startsWith('δ'));
      assert.deepStrictEqual(ds.map((s) => s.what), [`δ of ${o}`, `δ of ${o} by the simplification out − t`]);
      for (const s of ds) near(soFar(s), delta, s.what);
    }
    const entry = steps.find((s) => s.row === 'o1' && s.what.endsWith('entry 2 of 3'))!;
    near(soFar(entry), -out.o2 * out.o1, '∂out_o2/∂net_o1');
    assert.deepStrictEqual([...entry.neurons].sort(), ['o1', 'o2']);
    const w7 = steps.filter((s) => s.table === 'gradients' && s.row === 'w7');
    assert.deepStrictEqual(w7.map((s) => s.what), ['∂E/∂w7, factor 1 of 2', '∂E/∂w7, factor 2 of 2']);
    near(soFar(w7[0]), deltas.o1, 'δ_o1 first');
    near(soFar(w7[1]), 0.241800284, '∂E/∂w7');
    const h1 = steps.find((s) => s.row === 'h1' && s.what === '∂E/∂out of h1, term 1 of 3')!;
    near(soFar(h1), deltas.o1 * 0.3, 'δ_o1 · w7');
  });

  it('Adam: each update one line of the rule at a time, with the optimizer\'s state', () => {
    const trace = traceOf(MAZUR_CELL, 'optimizer adam\nrate 0.01\nstep') as StepTrace;
    const steps = walkUpdate(new TraceLookups(trace), new Notation(6), trace.updates[0]);
    const w5 = steps.filter((s) => s.table === 'update' && s.row === 'w5');
    assert.strictEqual(w5.length, 5, "m', v', m̂, v̂, then p'");
    // By hand, the first update (t = 1): m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g², w5' = 0.4 − 0.01·g/(|g| + 1e-8).
    const g = 0.082167041;
    [0.1 * g, 0.001 * g * g, g, g * g, 0.4 - 0.01 * g / (g + 1e-8)].forEach((v, i) => near(soFar(w5[i]), v, w5[i].what));
  });

  it('decay: a weight\'s ∂E/∂w gains λ·w in a step of its own; a bias has none', () => {
    const trace = traceOf(MAZUR_CELL, 'decay 0.01\nstep') as StepTrace;
    const steps = walkUpdate(new TraceLookups(trace), new Notation(6), trace.updates[0]);
    const w5 = steps.filter((s) => s.table === 'gradients' && s.row === 'w5');
    assert.match(w5[0].what, /^∂E\[1\]\/∂w5/, 'the data term first');
    assert.strictEqual(w5.at(-1)!.what, "∂E/∂w5, with the decay's λ·w");
    near(soFar(w5.at(-1)!), 0.082167041 + 0.01 * 0.4, '∂E/∂w5 with λ·w5');
    assert.ok(!steps.some((s) => s.row === 'b2' && s.what.includes('decay')));
  });
});
