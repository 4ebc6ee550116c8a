/**
 * Every example notebook opened and run in the real workbench. Expected numbers are the published
 * 2-2-2 example (Mazur), the ReLU chain's hand arithmetic in the notes, and a few lines of independent
 * arithmetic below — never the engine's own output.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { TRACE_MIME } from '../../../src/engine/trace/schema';
import { ERROR_MIME, close, codeCells, exampleUri, itemText, only, openNotebook, runCells, closeAll } from './helpers';

const EXAMPLES = ['mazur-2-2-2.bpnb', 'theta-notation-check.bpnb', 'relu-chain.bpnb', 'data-table-and-vanishing-gradient.bpnb'];

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
    const [, forward, check, notes000, notes004, step, again] = codeCells(nb);
    const f = only(forward, 'forward');
    close(f.loss.total, 0.298371109, 5e-10, 'E');
    close(f.forward[0].layers[1].out[0], 0.593269992, 5e-10, 'out(h1)');
    close(f.forward[0].layers[2].out[0], 0.75136507, 5e-9, 'out(o1)');
    close(f.forward[0].layers[2].out[1], 0.772928465, 5e-10, 'out(o2)');

    const c = only(check, 'check');
    assert.strictEqual(c.failed, 0, 'every published number checks');
    assert.strictEqual(c.passed, 6);

    // The notes' slips: 000 used 0.25 for w2, cut 0.082167 off to 0.0821 and updated w1 with η = 0.05;
    // 004 copied outh2 for outh1, dropped the 1 of O1 and changed a digit of ∂E/∂out(o1).
    const s000 = only(notes000, 'check');
    assert.deepStrictEqual([s000.passed, s000.failed], [4, 3]);
    assert.deepStrictEqual(failedQuantities(notes000), ['net(h1)', 'dE/dw5', "w1'"]);
    const s004 = only(notes004, 'check');
    assert.deepStrictEqual([s004.passed, s004.failed], [4, 3]);
    assert.deepStrictEqual(failedQuantities(notes004), ['out(h1)', 'net(o1)', 'dE/dout(o1)']);
    // One cell per student: 000's ∂E/∂w5 (right factors, product cut off) must not be shown a
    // factor that only the 004 notes wrote (∂E/∂out(o1) = 0.74136505).
    const w5line = s000.lines.find((l) => l.quantity.replace(/\s+/g, '') === 'dE/dw5')!;
    for (const factor of w5line.factors ?? []) {
      assert.strictEqual(factor.written, undefined, `000 wrote no ${factor.quantity}, yet it is shown as written`);
    }

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

  it('theta-notation-check: only two of the notes\' numbers are right', async () => {
    const nb = await openNotebook(exampleUri('theta-notation-check.bpnb'));
    await runCells(nb);
    const [, fwd, bwd] = codeCells(nb);
    const f = only(fwd, 'check');
    const b = only(bwd, 'check');
    assert.deepStrictEqual([f.passed, f.failed], [1, 10]);
    assert.deepStrictEqual([b.passed, b.failed], [1, 14]);
    assert.deepStrictEqual(f.lines.filter((l) => l.ok).map((l) => l.quantity.replace(/\s+/g, '')), ['net(h2)']);
    assert.deepStrictEqual(b.lines.filter((l) => l.ok).map((l) => l.quantity.replace(/\s+/g, '')), ['dE/dtheta2_11']);
    // A wrong gradient comes with its chain-rule factors.
    const wrong = b.lines.find((l) => l.quantity.replace(/\s+/g, '') === 'dE/dtheta2_12')!;
    assert.ok(wrong.factors && wrong.factors.length >= 3, 'factors of a wrong gradient are listed');
  });

  it('relu-chain: the notes\' arithmetic, then forward again', async () => {
    const nb = await openNotebook(exampleUri('relu-chain.bpnb'));
    await runCells(nb);
    const [, forward, check, step, again, check2] = codeCells(nb);
    const f = only(forward, 'forward');
    close(f.forward[0].layers[2].out[0], 1.2, 1e-12, 'ŷ');
    close(f.loss.total, 0.32, 1e-12, 'J');
    const c = only(check, 'check');
    assert.deepStrictEqual([c.passed, c.failed], [13, 0]);
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
