/** The kernel and the file format seen from VS Code: errors, interrupts, state, save and reopen, commands. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  ERROR_MIME, close, closeAll, exampleUri, itemText, only, openNotebook, runCells, scratchUri, sleep, traces, untitledNotebook, waitFor,
} from './helpers';
import { MAZUR_CELL as MAZUR } from '../../engine/fixtures';
import { readBpnb } from '../../../src/engine/file/bpnb';
import { Session } from '../../../src/engine/session';
import { runNotebook, solutionCells, solutionDocument } from '../../../src/engine/notebook';

describe('kernel', () => {
  after(closeAll);

  it('a cell with an error shows it with line and column, fails, and leaves the state alone', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'step\nw5 h1 -> o7 = 1' }, { code: 'forward' }]);
    await runCells(nb, 0, 1);
    await runCells(nb, 1, 2);
    const bad = nb.cellAt(1);
    assert.strictEqual(bad.executionSummary?.success, false);
    const message = itemText(bad, ERROR_MIME);
    assert.match(message, /line 2, column \d+/, message);
    assert.match(message, /o7/, message);
    assert.strictEqual(traces(bad).length, 0, 'nothing ran');
    await runCells(nb, 2, 3);
    // The `step` in the broken cell did not run: E is still the published one.
    close(only(nb.cellAt(2), 'forward').loss.total, 0.298371109, 5e-10, 'E');
  });

  it('after a cell fails, the cells below it in the same run say they did not run instead of keeping old outputs', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'step' }]);
    await runCells(nb);
    assert.strictEqual(only(nb.cellAt(1), 'step').epoch, 1);
    // Break the network cell, then Run All without clearing anything first (as a person would).
    const doc = nb.cellAt(0).document;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), '\nw9 h1 -> o7 = 1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const t0 = Date.now() - 1;
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 2 }], document: nb.uri });
    await waitFor('the broken cell to fail', () => nb.cellAt(0).executionSummary?.success === false && (nb.cellAt(0).executionSummary?.timing?.endTime ?? 0) >= t0);
    const below = nb.cellAt(1);
    await waitFor('the cell below to say it did not run', () => /Not run/.test(itemText(below, 'application/vnd.code.notebook.stdout')));
    assert.strictEqual(traces(below).length, 0, 'the step output of the earlier run is gone');
  });

  it('execution order counts up per notebook', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'forward' }]);
    await runCells(nb);
    const a = nb.cellAt(0).executionSummary?.executionOrder ?? 0;
    const b = nb.cellAt(1).executionSummary?.executionOrder ?? 0;
    assert.ok(a >= 1 && b === a + 1, `orders ${a}, ${b}`);
    assert.ok(nb.cellAt(1).executionSummary?.timing, 'timing is reported');
  });

  it('a long train streams progress, stays responsive, and stops on interrupt at a whole epoch', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'train 100000000' }, { code: 'forward' }]);
    await runCells(nb, 0, 1);
    const cell = nb.cellAt(1);
    const running = vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 1, end: 2 }], document: nb.uri });
    const progress = await waitFor('a progress line', () => {
      const t = itemText(cell, 'text/plain');
      return /epoch [\d,]+ of 100,000,000, loss/.test(t) ? t : undefined;
    }, 30000);
    assert.match(progress, /loss \d(\.\d+)?(e-\d+)?\b/);
    // The extension host still answers while training runs.
    const t0 = Date.now();
    await vscode.commands.executeCommand('vscode.executeHoverProvider', nb.cellAt(0).document.uri, new vscode.Position(0, 1));
    assert.ok(Date.now() - t0 < 5000, 'a hover answered during training');
    await sleep(300);
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', { ranges: [{ start: 1, end: 2 }], document: nb.uri });
    await running;
    await waitFor('the train cell to end', () => cell.executionSummary?.timing?.endTime !== undefined, 30000);
    const tr = only(cell, 'train');
    assert.strictEqual(tr.stopped?.reason, 'interrupted');
    assert.ok(tr.epochsRun > 0 && tr.epochsRun < 100000000, `stopped after ${tr.epochsRun} epochs`);
    assert.strictEqual(tr.epoch, tr.epochsRun, 'a whole number of epochs since the network was defined');
    assert.match(itemText(cell, 'application/vnd.code.notebook.stdout'), /Interrupted/);
    assert.doesNotMatch(itemText(cell, 'text/plain'), /^train \(line \d+\): epoch/m, 'the progress line was replaced by the result');
    // The state kept is that of the last whole epoch: forward reports the same loss as the trace.
    await runCells(nb, 2, 3);
    close(only(nb.cellAt(2), 'forward').loss.total, tr.loss.total, 1e-15, 'E at the kept weights');
  });

  it('Reset Network State puts the declared weights back', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'step' }, { code: 'forward' }]);
    await runCells(nb);
    assert.ok(only(nb.cellAt(2), 'forward').loss.total < 0.2983, 'the step lowered E');
    await vscode.commands.executeCommand('backprop.resetState', nb.uri);
    await runCells(nb, 2, 3);
    close(only(nb.cellAt(2), 'forward').loss.total, 0.298371109, 5e-10, 'E at the declared weights');
  });

  it('save and reopen: the file changes only where the notebook did, line endings and BOM kept', async () => {
    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(exampleUri('relu-chain.bpnb')));
    // A Windows-edited copy: BOM and CRLF must survive an edit and a save.
    const crlf = '\uFEFF' + original.replace(/\n/g, '\r\n');
    const uri = scratchUri('roundtrip.bpnb');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(crlf));
    const nb = await openNotebook(uri);
    const count = nb.cellCount;
    const edit = new vscode.WorkspaceEdit();
    edit.set(nb.uri, [vscode.NotebookEdit.insertCells(1, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'gradcheck', 'bpnb')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await nb.save(), 'saved');
    const bytes = await vscode.workspace.fs.readFile(uri);
    // The new cell goes after the first (Markdown) cell, i.e. before the first `%%` code marker.
    const firstCode = crlf.indexOf('\r\n%%\r\n') + 2;
    const expected = crlf.slice(0, firstCode) + '%%\r\ngradcheck\r\n\r\n' + crlf.slice(firstCode);
    assert.strictEqual(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), expected);

    // Reopened from its bytes (a second file), the cells come back the same.
    const copy = scratchUri('roundtrip-copy.bpnb');
    await vscode.workspace.fs.writeFile(copy, bytes);
    const again = await openNotebook(copy);
    assert.strictEqual(again.cellCount, count + 1);
    assert.deepStrictEqual(again.getCells().map((c) => [c.kind, c.document.getText()]), nb.getCells().map((c) => [c.kind, c.document.getText()]));
  });

  it('exports the worked solution as Markdown and LaTeX', async () => {
    const nb = await openNotebook(exampleUri('mazur-2-2-2.bpnb'));
    const md = scratchUri('solution.md');
    const tex = scratchUri('solution.tex');
    assert.ok(await vscode.commands.executeCommand('backprop.exportMarkdown', nb.uri, md));
    assert.ok(await vscode.commands.executeCommand('backprop.exportLatex', nb.uri, tex));
    const mdText = new TextDecoder().decode(await vscode.workspace.fs.readFile(md));
    const texText = new TextDecoder().decode(await vscode.workspace.fs.readFile(tex));
    assert.match(mdText, /The 2-2-2 network, every factor/, 'the Markdown cells are the prose');
    assert.match(mdText, /```bpnb\n# Mazur/, 'the code cells are fenced');
    assert.match(mdText, /0\.082167/, 'the export holds the computed gradient');
    assert.match(texText, /\\begin\{document\}[\s\S]*0\.082167[\s\S]*\\end\{document\}/);

    // The document `bpnb run --format markdown|latex` prints for the file (test/cli/export.test.ts
    // checks that the command line prints exactly this).
    const cells = readBpnb(await vscode.workspace.fs.readFile(exampleUri('mazur-2-2-2.bpnb'))).cells;
    const runs = await runNotebook(cells, new Session());
    assert.strictEqual(mdText, solutionDocument('markdown', 'mazur-2-2-2.bpnb', solutionCells(cells, runs)));
    assert.strictEqual(texText, solutionDocument('latex', 'mazur-2-2-2.bpnb', solutionCells(cells, runs)));
  });

  it('Run All: a blank cell succeeds with no output, a failed check does not stop the cells below', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: '  ' }, { code: 'check\n  E = 0.31' }, { code: 'forward' }]);
    const t0 = Date.now() - 1;
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: 4 }], document: nb.uri });
    await waitFor('the last cell to run', () => (nb.cellAt(3).executionSummary?.timing?.endTime ?? 0) >= t0 && nb.cellAt(3).outputs.length > 0);
    assert.strictEqual(nb.cellAt(1).executionSummary?.success, true, 'the blank cell');
    assert.strictEqual(nb.cellAt(1).outputs.length, 0);
    assert.strictEqual(nb.cellAt(2).executionSummary?.success, false, 'the failed check marks its cell');
    close(only(nb.cellAt(3), 'forward').loss.total, 0.298371109, 5e-10, 'E below the failed check');
  });

  it('an error output names other lines of the cell by the cell\'s lines', async () => {
    const nb = await untitledNotebook([{ markdown: '# one\n\ntwo' }, { code: 'input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h1 = 1\nw1 i2 -> h1 = 2' }]);
    await runCells(nb, 1, 2);
    const message = itemText(nb.cellAt(1), ERROR_MIME);
    assert.match(message, /line 4, column 1: duplicate name 'w1': already declared on line 3/, message);
  });

  it('New Notebook and Open Example open Backprop notebooks', async () => {
    const created = await vscode.commands.executeCommand<vscode.NotebookDocument>('backprop.newNotebook');
    assert.strictEqual(created.notebookType, 'backprop-notebook');
    assert.strictEqual(vscode.window.activeNotebookEditor?.notebook, created);
    await runCells(created);
    assert.ok(created.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code).every((c) => c.executionSummary?.success), 'the template runs');
    // It shows how to check one's own numbers: a check cell whose lines all pass.
    const checkCell = created.getCells().find((c) => traces(c).some((t) => t.kind === 'check'));
    assert.ok(checkCell, 'the template has a check cell');
    const check = only(checkCell, 'check');
    assert.ok(check.lines.length >= 2 && check.failed === 0, `the template's check lines pass: ${JSON.stringify(check.lines.map((l) => [l.quantity, l.ok]))}`);
    const example = await vscode.commands.executeCommand<vscode.NotebookDocument>('backprop.openExample', 'relu-chain.bpnb');
    assert.strictEqual(example.notebookType, 'backprop-notebook');
    assert.ok(example.isUntitled, 'a copy, not the extension\'s own file');
    assert.match(example.cellAt(0).document.getText(), /ReLU chain/);
  });
});
