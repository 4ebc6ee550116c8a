/**
 * An editor that knows where you are (issue 12), in the real VS Code: completions by context through
 * VS Code's own provider command, the cell status bar items of check and network cells, and outputs
 * that never dirty a `.bpnb` file.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { MAZUR_CELL as MAZUR } from '../../engine/fixtures';
import { CellStatusBar } from '../../../src/extension/statusBar';
import { closeAll, exampleUri, openNotebook, runCells, untitledNotebook, waitFor } from './helpers';

/** The labels VS Code's completion command returns at the end of `line` in a cell that holds `text`. */
async function completionsAt(doc: vscode.TextDocument, line: number, character?: number): Promise<string[]> {
  const at = new vscode.Position(line, character ?? doc.lineAt(line).text.length);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

describe('the editor knows where you are', () => {
  after(closeAll);

  it('completions by context: losses after `loss`, activations after a layer\'s names, quantities in `check`', async () => {
    const nb = await untitledNotebook([
      { code: MAZUR },
      { code: 'loss h\nlayer k1 k2 \nmode \nfreeze \nw9 h1 -> \n' },
      { code: 'check\n  dE/dw\n  out(\n' },
      { code: '' },
    ]);
    await runCells(nb, 0, 1);
    const other = nb.cellAt(1).document;
    const loss = await completionsAt(other, 0);
    for (const l of ['half-sse', 'sse', 'half-mse', 'mse']) assert.ok(loss.includes(l), `after loss: ${l}`);
    for (const not of ['h1', 'h2', 'forward', 'sigmoid']) assert.ok(!loss.includes(not), `after loss, not ${not}: ${loss.join(', ')}`);
    const acts = await completionsAt(other, 1);
    for (const a of ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear']) assert.ok(acts.includes(a), `after a layer's names: ${a}`);
    assert.ok(!acts.includes('h1') && !acts.includes('forward'), `only activations: ${acts.join(', ')}`);
    const modes = await completionsAt(other, 2);
    assert.ok(['batch', 'minibatch', 'sample'].every((m) => modes.includes(m)) && !modes.includes('forward'), modes.join(', '));
    const freeze = await completionsAt(other, 3);
    assert.ok(freeze.includes('w5') && freeze.includes('b1') && !freeze.includes('h1'), `after freeze, parameters: ${freeze.join(', ')}`);
    const to = await completionsAt(other, 4);
    assert.ok(to.includes('o1') && !to.includes('w5'), `after an arrow, neurons: ${to.join(', ')}`);

    const check = nb.cellAt(2).document;
    const q = await completionsAt(check, 1);
    for (const want of ['dE/dw5', 'dE/dw1', 'dE/db1', 'out(h1)', 'net(o2)', 'dE/dout(h1)', 'dE/dnet(o1)', 'dout(o1)/dnet(o1)', "w5'", 'E(o1)', 'E']) {
      assert.ok(q.includes(want), `in a check block: ${want} (${q.slice(0, 30).join(', ')} …)`);
    }
    assert.ok(!q.includes('check') && !q.includes('sigmoid'), 'no keywords or activations in a check block');

    const start = await completionsAt(nb.cellAt(3).document, 0, 0);
    for (const want of ['forward', 'step', 'check', 'train', 'network', 'w5']) assert.ok(start.includes(want), `at a line's start: ${want}`);
    assert.ok(!start.includes('sigmoid') && !start.includes('half-sse'), 'no activations or losses at a line\'s start');
  });

  it('the network as it is being typed, before any run, is known to `check`', async () => {
    const nb = await untitledNotebook([{ code: 'input a\nlayer z linear\nwq a -> z = 2\n' }, { code: 'check\n  dE/d\n' }]);
    const q = await completionsAt(nb.cellAt(1).document, 1);
    assert.ok(q.includes('dE/dwq') && q.includes('out(z)') && q.includes('E(z)'), q.join(', '));
  });

  it('completions after `notation`: quantities with the network\'s names on the right of `=`, nothing for the student\'s symbol', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'notation z_1 = \nnotation\n  J_1 = E(o1)\n  J_2 = dE/d\n  a_1\n' }]);
    await runCells(nb, 0, 1);
    const doc = nb.cellAt(1).document;
    const line = await completionsAt(doc, 0);
    for (const want of ['out(h1)', 'net(h1)', 'dE/dw5', "w5'", 'E(o2)', 'E']) assert.ok(line.includes(want), `after notation's =: ${want} (${line.slice(0, 30).join(', ')} …)`);
    assert.ok(!line.includes('notation') && !line.includes('sigmoid') && !line.includes('within'), `only quantities: ${line.slice(0, 30).join(', ')}`);
    const block = await completionsAt(doc, 3);
    for (const want of ['dE/dw5', 'dE/dw1', 'dE/db1', 'dE/dout(h1)']) assert.ok(block.includes(want), `in a notation block: ${want}`);
    const symbol = await completionsAt(doc, 4);
    // (VS Code may still offer words of the notebook's cells as it does anywhere nothing else is offered.)
    for (const not of ['out(h1)', "w5'", 'dE/dnet(o1)', 'dout(o1)/dnet(o1)']) assert.ok(!symbol.includes(not), `a symbol is the student's own, not ${not}: ${symbol.join(', ')}`);
  });

  it('completions in `check` follow the optimizer: v(w5) and m(w5) under Adam as written, before it runs; neither under sgd', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'optimizer adam' }, { code: 'check\n  m(w\n' }]);
    await runCells(nb, 0, 1);
    const adam = await completionsAt(nb.cellAt(2).document, 1);
    for (const want of ['m(w5)', 'v(w5)', 'dE/dw5']) assert.ok(adam.includes(want), `under Adam: ${want} (${adam.slice(0, 30).join(', ')} …)`);
    const plain = await untitledNotebook([{ code: MAZUR }, { code: 'check\n  v(w\n' }]);
    await runCells(plain, 0, 1);
    const sgd = await completionsAt(plain.cellAt(1).document, 1);
    assert.ok(sgd.includes('dE/dw5') && !sgd.includes('v(w5)') && !sgd.includes('m(w5)'), `under sgd: ${sgd.slice(0, 30).join(', ')}`);
  });

  it('status bar: "5/7 right" on a check cell; "stale" on a network cell edited after the cells below ran', async () => {
    const bar = new CellStatusBar();
    try {
      // Mazur's published numbers: E, out(h1), ∂E/∂w5 and w5' are right; the other two are not.
      const checks = 'check\n  E = 0.298371109\n  out(h1) = 0.593269992\n  dE/dw5 = 0.082167041\n  w5\' = 0.35891648\n  dE/dw1 = 0.5\n  out(o1) = 0.1\n  w1\' = 0.149780716\n';
      const nb = await untitledNotebook([{ code: MAZUR }, { code: 'forward' }, { code: checks }]);
      await runCells(nb);
      const text = (i: number) => bar.provideCellStatusBarItems(nb.cellAt(i)).map((it) => it.text).join(' | ');
      assert.match(text(2), /5\/7 right/);
      assert.strictEqual(text(0), '', 'the network is not stale yet');
      const doc = nb.cellAt(0).document;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, new vscode.Range(doc.positionAt(doc.getText().indexOf('0.40')), doc.positionAt(doc.getText().indexOf('0.40') + 4)), '0.41');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.match(text(0), /stale: the network changed since cell 2 ran/);
      // Running everything again brings the cells up to date.
      await runCells(nb);
      assert.strictEqual(text(0), '');
      // Running only the network cell again, with the change, leaves the cells below behind.
      const edit2 = new vscode.WorkspaceEdit();
      edit2.insert(doc.uri, doc.positionAt(doc.getText().length), '\nrate 0.4');
      assert.ok(await vscode.workspace.applyEdit(edit2));
      // (Not runCells: it clears every output first, and the cells below would have none to be stale.)
      const t0 = Date.now() - 1;
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 1 }], document: nb.uri });
      await waitFor('the network cell to run', () => (nb.cellAt(0).executionSummary?.timing?.endTime ?? 0) >= t0);
      assert.match(text(0), /stale: the network changed since cell 2 ran/);
    } finally {
      bar.dispose();
    }
  });

  it('running cells never marks a .bpnb file as changed (outputs are transient)', async () => {
    const nb = await openNotebook(exampleUri('relu-chain.bpnb'));
    await runCells(nb);
    await waitFor('the outputs', () => nb.getCells().some((c) => c.outputs.length > 0));
    assert.strictEqual(nb.isDirty, false);
  });
});
