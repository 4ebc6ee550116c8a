/**
 * Every example notebook opened and run in the real workbench. Expected numbers are the published
 * 2-2-2 example (Mazur), the ReLU chain's hand arithmetic in the notes, and a few lines of independent
 * arithmetic below — never the engine's own output.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { TRACE_MIME } from '../../../src/engine/trace/schema';
import { ERROR_MIME, close, codeCells, exampleUri, itemText, only, openNotebook, runCells, closeAll } from './helpers';

const EXAMPLES = ['mazur-2-2-2.bpnb', 'students-notes-2-2-2.bpnb', 'theta-notation-check.bpnb', 'relu-chain.bpnb', 'data-table-and-vanishing-gradient.bpnb'];

function failedQuantities(cell: vscode.NotebookCell): string[] {
  return only(cell, 'check').lines.filter((l) => !l.ok).map((l) => l.quantity.replace(/\s+/g, ''));
}

describe('example notebooks', () => {
  after(closeAll);

  for (const name of EXAMPLES) {
    it(`${name}: opens, starts with a Markdown cell, and every code cell runs with the three output types`, async () => {
      const nb = await openNotebook(exampleUri(name));
      assert.strictEqual(nb.notebookType, 'backprop-notebook');
      assert.strictEqual(nb.cellAt(0).kind, vscode.NotebookCellKind.Markup, 'opens with an explanation');
      await runCells(nb);
      for (const cell of codeCells(nb)) {
        assert.ok(cell.executionSummary?.executionOrder, `cell ${cell.index} has an execution order`);
        assert.ok(cell.outputs.length > 0, `cell ${cell.index} has output`);
        for (const o of cell.outputs) {
          const mimes = o.items.map((i) => i.mime);
          assert.ok(!mimes.includes(ERROR_MIME), `cell ${cell.index} failed: ${itemText(cell, ERROR_MIME)}`);
          assert.deepStrictEqual(mimes, [TRACE_MIME, 'text/markdown', 'text/plain'], `cell ${cell.index} output items`);
        }
      }
    });
  }

  it('mazur-2-2-2: the published numbers', async () => {
    const nb = await openNotebook(exampleUri('mazur-2-2-2.bpnb'));
    await runCells(nb);
    const [, forward, check, step, again] = codeCells(nb);
    const f = only(forward, 'forward');
    close(f.loss.total, 0.298371109, 5e-10, 'E');
    close(f.forward[0].layers[1].out[0], 0.593269992, 5e-10, 'out(h1)');
    close(f.forward[0].layers[2].out[0], 0.75136507, 5e-9, 'out(o1)');
    close(f.forward[0].layers[2].out[1], 0.772928465, 5e-10, 'out(o2)');

    const c = only(check, 'check');
    assert.strictEqual(c.failed, 0, 'every published number checks');
    assert.strictEqual(c.passed, 6);

    const st = only(step, 'step');
    const grads = new Map(st.updates[0].grads.map((g) => [g.name, g.grad]));
    const news = new Map(st.updates[0].updates.map((u) => [u.name, u.new]));
    close(grads.get('w5')!, 0.082167041, 5e-10, 'dE/dw5');
    close(grads.get('w1')!, 0.000438568, 5e-10, 'dE/dw1');
    close(news.get('w5')!, 0.35891648, 5e-9, "w5'");
    close(news.get('w6')!, 0.408666186, 5e-10, "w6'");
    close(news.get('w7')!, 0.51130127, 5e-9, "w7'");
    close(news.get('w8')!, 0.561370121, 5e-10, "w8'");
    close(news.get('w1')!, 0.149780716, 5e-10, "w1'");
    close(news.get('w2')!, 0.19956143, 5e-9, "w2'");
    close(news.get('w3')!, 0.24975114, 5e-9, "w3'");
    close(news.get('w4')!, 0.29950229, 5e-9, "w4'");
    assert.strictEqual(news.get('b1'), 0.35, 'b1 is frozen');
    // Chain-rule factors of w5: ∂E/∂out(o1) = out − t, σ' = out(1 − out), ∂net/∂w5 = out(h1).
    const path = st.updates[0].grads.find((g) => g.name === 'w5')!.perSample[0].paths[0];
    close(path.dE_dout, 0.74136507, 5e-9, '∂E/∂out(o1)');
    close(path.dout_dnet, 0.186815602, 5e-10, '∂out(o1)/∂net(o1)');
    close(path.dnet_dparam, 0.593269992, 5e-10, '∂net(o1)/∂w5');
    const h1 = st.updates[0].neurons.find((n) => n.neuron === 'h1')!;
    close(h1.dE_dout, 0.036350306, 5e-10, '∂E/∂out(h1)');
    assert.strictEqual(h1.downstream?.length, 2, 'h1 gathers from o1 and o2');

    // Forward again at the new weights: E recomputed by hand from the published new weights.
    close(only(again, 'forward').loss.total, 0.291027774, 5e-9, 'E after one step');
    assert.ok(itemText(step, 'text/markdown').includes('0.082167'), 'the Markdown fallback shows ∂E/∂w5');
    assert.ok(itemText(step, 'text/plain').includes('0.358916'), 'the text fallback shows w5\'');
  });

  it('students-notes-2-2-2: the notes of 000 and 004 pasted as they are, in their own notation', async () => {
    const nb = await openNotebook(exampleUri('students-notes-2-2-2.bpnb'));
    await runCells(nb);
    const [, notes000, notes004] = codeCells(nb);
    // The notes' own lines (check notes, in their notation). 000: z_1 used 0.25 for w2 (0.05·0.15 + 0.10·0.25
    // + 0.35 = 0.3825, not 0.3775); J_2 = ½(0.773 − 0.99)² = 0.0235445 was cut to 0.023; 0.741·0.187·0.593
    // = 0.08217 was cut to 0.0821; 0.773(1 − 0.773) from the rounded a_4 gives 0.175, the exact 0.17551;
    // ω1 was updated with η = 0.05 (0.149978 for 0.149780716).
    const s000 = only(notes000, 'check');
    assert.deepStrictEqual(failedQuantities(notes000), ['net(h1)', 'E(o2)', 'dE/dw5', 'dout(o2)/dnet(o2)', "w1'"]);
    assert.strictEqual(s000.notes, true);
    assert.ok((s000.notChecked ?? []).length > 10, 'the prose and the symbolic lines are listed as not checked');
    const z1 = s000.lines.find((l) => l.symbol === 'z_1')!;
    assert.strictEqual(z1.quantity, 'net(h1)');
    assert.match(z1.diagnosis!, /^0\.25 is used where w2 = 0\.2 belongs/);
    // 004: outh_1 = 0.596884378 = 593269992 (h2's value, then without its 0.); O_1 = 0.105905967 for
    // 1.105905967; ∂E/∂out(o1) 0.74136505 for 0.74136507; ∂E_tot/∂outh_1 = 0.055399425, the path through o1
    // only (the sum is 0.036350306); w_3new = 0.24995114 for 0.24975114.
    const s004 = only(notes004, 'check');
    assert.deepStrictEqual(failedQuantities(notes004), ['out(h1)', 'net(o1)', 'dE/dout(o1)', 'dE/dout(h1)', "w3'"]);
    // One cell per student: 000's ∂E/∂w5 is shown beside 000's own factors (0.741, 0.187, 0.593), never
    // beside the 0.74136505 that only the 004 notes wrote.
    const w5line = s000.lines.find((l) => l.quantity === 'dE/dw5')!;
    assert.deepStrictEqual((w5line.factors ?? []).map((f) => f.written), [0.741, 0.187, 0.593]);
    assert.ok(s004.passed > 20, `004 has ${s004.passed} right lines`);
  });

  it('theta-notation-check: the notes of 001 in their own θ notation', async () => {
    const nb = await openNotebook(exampleUri('theta-notation-check.bpnb'));
    await runCells(nb);
    const [, hidden, output, backward] = codeCells(nb);
    const h = only(hidden, 'check');
    const o = only(output, 'check');
    const b = only(backward, 'check');
    // Only z_2 = 0,39 holds (net(h2) = 0.3925 ± 0.005): z_1^1 used θ¹₂₁'s 0,25, and a_1, a_2 carry it on.
    assert.deepStrictEqual(h.lines.filter((l) => l.ok).map((l) => l.symbol), ['z_2']);
    assert.deepStrictEqual([h.failed, o.passed, b.passed], [3, 0, 0]);
    // The output layer redefines a_1 and a_2: a later notation replaces an earlier one.
    assert.deepStrictEqual(o.lines.filter((l) => l.symbol === 'a_1').map((l) => l.quantity), ['out(o1)']);
    // b) a/(1 − a)² at 0,99 is 9900, not 0,124.
    const bee = b.lines.find((l) => l.quantity === 'dout(o1)/dnet(o1)')!;
    assert.ok(bee.steps!.some((st) => !st.ok && Math.abs(st.value - 9900) < 1e-6));
    // 1) 0,343 · 0,184 · 0,594 = 0,082 names no quantity; its number is ∂E/∂θ²₁₁ = 0.082167.
    const one = (b.notChecked ?? []).find((n) => n.text.startsWith('$$1)'))!;
    assert.strictEqual(one.suggestion?.quantity, 'dE/dtheta2_11');
  });

  it('relu-chain: the notes\' arithmetic, then forward again', async () => {
    const nb = await openNotebook(exampleUri('relu-chain.bpnb'));
    await runCells(nb);
    const [, forward, check, step, again, check2] = codeCells(nb);
    const f = only(forward, 'forward');
    close(f.forward[0].layers[2].out[0], 1.2, 1e-12, 'ŷ');
    close(f.loss.total, 0.32, 1e-12, 'J');
    const c = only(check, 'check');
    // The table of Problem 3 (six derivatives) and the two aligned blocks of Problem 4 (three and five rows).
    assert.deepStrictEqual([c.passed, c.failed], [14, 0]);
    const st = only(step, 'step');
    const news = new Map(st.updates[0].updates.map((u) => [u.name, u.new]));
    const grads = new Map(st.updates[0].grads.map((g) => [g.name, g.grad]));
    close(grads.get('w1')!, -1.92, 1e-12, 'dJ/dw1');
    close(grads.get('w2')!, -1.2, 1e-12, 'dJ/dw2');
    close(news.get('w1')!, 0.692, 1e-12, 'w1');
    close(news.get('w2')!, 0.92, 1e-12, 'w2');
    // ŷ = 0.92 · 0.692 · 3 = 1.90992; J = (2 − 1.90992)² / 2 = 0.0040572032.
    close(only(again, 'forward').loss.total, 0.0040572032, 1e-12, 'J after the step');
    assert.strictEqual(only(check2, 'check').failed, 0);
  });

  it('data-table-and-vanishing-gradient: batches over epochs, and the gradient shrinking layer by layer', async () => {
    const nb = await openNotebook(exampleUri('data-table-and-vanishing-gradient.bpnb'));
    await runCells(nb);
    const [, step, train, , chainStep] = codeCells(nb);
    const st = only(step, 'step');
    assert.strictEqual(st.updates.length, 1, 'batch mode: one update per epoch');
    for (const g of st.updates[0].grads) {
      assert.strictEqual(g.perSample.length, 3, `${g.name}: one contribution per row of the table`);
      const sum = g.perSample.reduce((s, p) => s + p.value, 0);
      close(g.grad, sum, 1e-9 * Math.max(1, Math.abs(sum)), `${g.name}: the batch gradient is the sum of the rows'`);
    }
    const tr = only(train, 'train');
    assert.strictEqual(tr.epochsRun, 100);
    assert.strictEqual(tr.snapshots.length, 4, 'tables at epochs 25, 50, 75, 100');
    // The table is learnt, not stuck: no hidden ReLU is dead for every row (a dead one never changes),
    // and the loss ends below a hundredth of where training started.
    const curve = tr.lossCurve;
    assert.ok(curve[curve.length - 1] < curve[0] / 100, `the loss fell from ${curve[0]} to ${curve[curve.length - 1]}`);
    for (const [j, name] of ['h1', 'h2'].entries()) {
      assert.ok(st.updates[0].forward.some((f) => f.layers[1].net[j] > 0), `${name} is active for some row`);
    }

    // The deep chain by hand: six sigmoids, all weights 1, x = 1, t = 0, half-sse.
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const outs = [1];
    for (let l = 0; l < 6; l++) outs.push(sig(outs[l]));
    const expected: number[] = new Array(6);
    let delta = outs[6] * outs[6] * (1 - outs[6]);
    for (let l = 6; l >= 1; l--) {
      expected[l - 1] = delta * outs[l - 1];
      delta = delta * outs[l - 1] * (1 - outs[l - 1]);
    }
    const chain = only(chainStep, 'step');
    const g = new Map(chain.updates[0].grads.map((x) => [x.name, x.grad]));
    for (let i = 1; i <= 6; i++) close(g.get(`w${i}`)!, expected[i - 1], 1e-15 + 1e-12 * expected[i - 1], `dE/dw${i}`);
    for (let i = 1; i < 6; i++) assert.ok(Math.abs(g.get(`w${i}`)!) < Math.abs(g.get(`w${i + 1}`)!), `|dE/dw${i}| < |dE/dw${i + 1}|`);
    assert.ok(g.get('w6')! / g.get('w1')! > 1000, 'the first weight learns over a thousand times slower');
  });
});
