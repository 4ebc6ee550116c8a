import * as assert from 'assert';
import { messageOf } from '../../../src/engine/semantics/messages';
import { LIMITS } from '../../../src/engine/semantics/limits';
import { planCell, WorkBudget } from '../../../src/engine/semantics/plan';
import { analyze, Session } from '../../../src/engine/session';
import type { TrainTrace } from '../../../src/engine/trace/schema';
import { MAZUR_CELL } from '../fixtures';

function mazur(): Session {
  const s = new Session();
  assert.deepStrictEqual(s.runSync(MAZUR_CELL).errors, []);
  return s;
}

// The 2-2-2 network: 8 weights + 2 shared biases = 10 parameters, 1 sample. By the documented count,
// one epoch is 3·1·10 + 1000 = 1030 multiply-adds, a forward pass 1·10 + 1000 = 1010.
const EPOCH = 3 * 1 * 10 + 1000;
const FORWARD = 1 * 10 + 1000;
// 3e11 / 1030 = 291,262,135.9: the longest train that fits in one run.
const MOST = 291_262_135;

describe('planning a cell: the work budget', () => {
  it('a 2200-2200 relu net with 1,000,000 data rows: `forward` is refused at once, nothing runs', function () {
    this.timeout(120_000);
    // 2,200 + 2,200·2,200 + 2,200 weights and no biases: 4,844,400 parameters; a forward pass over
    // 10⁶ samples is about 4.8e12 multiply-adds, 16 times the limit.
    const cell = `input x\nlayer a[2200] relu\nlayer b[2200] relu\nlayer y linear\ninit xavier seed 1\ndata\n  x -> y\n${'  0.5 -> 1\n'.repeat(1_000_000)}forward\n`;
    const s = new Session();
    const r = s.runSync(cell);
    assert.strictEqual(r.traces.length, 0);
    assert.deepStrictEqual(r.errors.map((e) => [e.code, e.line]), [['command-over-work-limit', 1_000_008]]);
    assert.deepStrictEqual(r.errors[0].args, { command: 'forward', work: 1_000_000 * 4_844_400 + 1000, samples: 1_000_000, params: 4_844_400, limit: LIMITS.maxWork });
    assert.match(messageOf(r.errors[0]), /^'forward' is about 4\.8e\+12 multiply-adds of work \(1,000,000 samples × 4,844,400 parameters\), beyond the limit of 3e\+11$/);
    assert.strictEqual(s.state().network, undefined, 'the network was not defined either');
  });

  it('forward and gradcheck are checked like the other commands (by a direct call)', () => {
    // The 2-2-2 network with more samples than a cell may hold, planned directly: 10 parameters and
    // 2·10¹⁰ samples make a forward pass 2e11 multiply-adds (within 3e11), an epoch 6e11 (beyond).
    // gradcheck then compares the floor of 2 parameters per layer, 4 epochs' worth.
    const model = planCell(MAZUR_CELL, {}).model!;
    const state = (count: number) => ({ model, bound: { count, inputs: new Float64Array(0), targets: new Float64Array(0) } });
    const plan = planCell('forward\ngradcheck\nstep', state(2e10));
    assert.deepStrictEqual(plan.errors.map((e) => [e.code, e.args.command, e.args.work]), [
      ['command-over-work-limit', 'gradcheck', (3 * 2e10 * 10 + 1000) * 4],
      ['command-over-work-limit', 'step', 3 * 2e10 * 10 + 1000],
    ]);
    // Twice the samples: the forward pass alone is 4e11.
    assert.deepStrictEqual(planCell('forward', state(4e10)).errors.map((e) => [e.code, e.args.work]), [['command-over-work-limit', 4e10 * 10 + 1000]]);
    // And within one run, 2e11 + 2e11 is beyond it too.
    assert.deepStrictEqual(planCell('forward\nforward', state(2e10)).errors.map((e) => [e.code, e.line]), [['run-over-work-limit', 2]]);
  });

  it('a cell with many `train 291262135` lines is refused before anything runs, saying what was asked and what fits', () => {
    const s = mazur();
    // Without a run begun, the cell has a budget of its own.
    const r = s.runSync(`train ${MOST}\n`.repeat(5));
    assert.strictEqual(r.traces.length, 0);
    assert.strictEqual(r.errors.length, 1, 'one error, at the first line that does not fit');
    const [e] = r.errors;
    assert.strictEqual(e.code, 'run-over-work-limit');
    assert.strictEqual(e.line, 2);
    assert.deepStrictEqual(e.args, {
      command: 'train', epochs: MOST, total: 2 * MOST * EPOCH, cell: 5 * MOST * EPOCH, before: 0, left: LIMITS.maxWork - MOST * EPOCH, limit: LIMITS.maxWork, fit: 0,
    });
    assert.strictEqual(messageOf(e), 'train 291,262,135 would bring the work of this run to about 6.0e+11 multiply-adds, beyond the limit of 3e+11 for one run of cells (this cell asks for about 1.5e+12 in all); not one more epoch fits in this run');
    assert.strictEqual(s.state().epoch, 0);
    // Each line on its own is fine: the editor (a cell judged on its own) marks the same line.
    assert.deepStrictEqual(analyze(`train ${MOST}\ntrain 1`, s).map((d) => [d.code, d.line]), [['run-over-work-limit', 2]]);
    assert.deepStrictEqual(analyze(`train ${MOST}`, s), []);
  });

  it('the budget holds over the cells of one run, and a new run starts with a full one', () => {
    const s = mazur();
    s.beginRun({ maxWork: 1000 * EPOCH });
    assert.deepStrictEqual(s.runSync('train 600').errors, []);
    assert.strictEqual(s.state().workUsed, 600 * EPOCH);
    const r = s.runSync('forward\ntrain 500');
    assert.strictEqual(r.traces.length, 0);
    assert.strictEqual(r.errors[0].code, 'run-over-work-limit');
    // 400 epochs were left; the forward pass before the train takes 1010 of them, so 399 epochs fit.
    assert.strictEqual(r.errors[0].args.fit, Math.floor((400 * EPOCH - FORWARD) / EPOCH));
    assert.strictEqual(r.errors[0].args.before, 600 * EPOCH);
    assert.match(messageOf(r.errors[0]), /; 6\.2e\+5 ran earlier in this run\); train 399 is the most that still fits here$/);
    assert.deepStrictEqual(s.runSync('train 399').errors, []);
    s.beginRun({ maxWork: 1000 * EPOCH });
    assert.deepStrictEqual(s.runSync('train 500').errors, []);
    assert.strictEqual(s.state().epoch, 600 + 399 + 500);
    s.beginRun();
    assert.strictEqual(s.state().workUsed, 0);
  });

  it('until a run is begun, each cell has a budget of its own', () => {
    const s = mazur();
    assert.deepStrictEqual(s.runSync('train 1000').errors, []);
    assert.strictEqual(s.state().workUsed, 0);
    assert.deepStrictEqual(s.plan(`train ${MOST}`).errors, [], 'the earlier cell does not count');
    s.beginRun();
    assert.deepStrictEqual(s.runSync('train 1000').errors, []);
    assert.deepStrictEqual(s.plan(`train ${MOST}`).errors.map((e) => [e.code, e.args.fit]), [['run-over-work-limit', MOST - 1000]]);
  });

  it('every command spends its work; an interrupted train only the epochs it ran', async () => {
    const s = mazur();
    s.beginRun();
    // gradcheck compares all 10 parameters: 10 epochs' worth by the documented count.
    s.runSync('forward\nstep\ncheck\n  E = 0.3\ngradcheck\nreset\ndigits 4');
    assert.strictEqual(s.state().workUsed, FORWARD + EPOCH + EPOCH + 10 * EPOCH);
    s.beginRun();
    let polls = 0;
    const r = await s.run('train 100000000', { sliceMs: 1, isCancelled: () => ++polls >= 2 });
    const t = r.traces[0] as TrainTrace;
    assert.strictEqual(t.stopped?.reason, 'interrupted');
    assert.strictEqual(s.state().workUsed, t.epochsRun * EPOCH);
  });

  it('a budget object on its own', () => {
    const b = new WorkBudget(100);
    b.spend(30);
    b.spend(50);
    assert.strictEqual(b.used, 80);
    assert.strictEqual(new WorkBudget().limit, LIMITS.maxWork);
  });
});

describe('planning a cell: statements against the notebook', () => {
  const codes = (s: Session, text: string) => s.runSync(text).errors.map((e) => [e.code, e.line, e.column, e.args]);

  it('network statements outside the defining cell, and statements that need a network', () => {
    const s = new Session();
    assert.deepStrictEqual(codes(s, 'layer h sigmoid\ninit xavier\nfreeze w1\nw1 = 0.5\nw2 a -> b = 1\nforward'), [
      ['definition-outside-network-cell', 1, 1, { statement: 'layer' }],
      ['definition-outside-network-cell', 2, 1, { statement: 'init' }],
      ['needs-network', 3, 1, { statement: 'freeze' }],
      ['set-needs-network', 4, 1, {}],
      ['param-needs-network', 5, 1, { name: 'w2' }],
      ['needs-network', 6, 1, { statement: 'forward' }],
    ]);
  });

  it('a later cell may change existing parameters only, as they were declared', () => {
    const s = mazur();
    assert.deepStrictEqual(codes(s, 'freeze h1\nw9 = 1\nw5 h2 -> o1 = 1\nw6 i1 -> h1 = 1\nb1 h1 -> o1 = 1\nbias w7 -> o2 = 1\nbias b1 -> h1 = 0.3\nbias b9 -> h1 = 1'), [
      ['neuron-not-parameter', 1, 8, { name: 'h1' }],
      ['unknown-name', 2, 1, { what: 'parameter', name: 'w9', near: 'w1' }],
      ['weight-of-other-edge', 3, 4, { name: 'w5', from: 'h1', to: 'o1', writtenFrom: 'h2', writtenTo: 'o1' }],
      ['weight-of-other-edge', 4, 4, { name: 'w6', from: 'h2', to: 'o1', writtenFrom: 'i1', writtenTo: 'h1' }],
      ['bias-not-weight', 5, 4, { name: 'b1' }],
      ['weight-not-bias', 6, 6, { name: 'w7' }],
      ['bias-neurons-fixed', 7, 6, { name: 'b1', to: 'h1 h2' }],
      ['unknown-parameter-in-later-cell', 8, 6, { what: 'parameter', name: 'b9', near: 'b1' }],
    ]);
    assert.strictEqual(s.value('w5'), 0.4, 'nothing ran');
    const r = s.runSync('bias b1 -> h1 = 0.3');
    assert.strictEqual(messageOf(r.errors[0]), 'b1 is the bias of h1 h2; its neurons cannot change outside the defining cell');
    assert.strictEqual(messageOf(s.runSync('bias b9 -> h1 = 1').errors[0]), "unknown parameter 'b9' — did you mean 'b1'? (a cell without 'input' can only change existing parameters)");
  });

  it("the planner's own errors are capped per cell, the rest counted", () => {
    const s = mazur();
    const r = s.runSync('freeze h1\n'.repeat(80_000));
    assert.strictEqual(r.errors.length, 101);
    assert.ok(r.errors.slice(0, 100).every((e) => e.code === 'neuron-not-parameter'));
    assert.deepStrictEqual([r.errors[100].code, r.errors[100].args, r.errors[100].line], ['more-errors', { count: 79_900 }, 101]);
  });
});
