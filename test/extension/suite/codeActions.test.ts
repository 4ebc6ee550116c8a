/**
 * The quick fix of `check notes` in the real workbench: a line not checked whose number is exactly one
 * quantity gets a diagnostic after the run, its code action inserts the `notation` line, and after
 * running again the line is checked. Published 2-2-2 values: out(h2) = 0.596884378, net(h1) = 0.3775.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { MAZUR_CELL as MAZUR } from '../../engine/fixtures';
import { closeAll, only, runCells, sleep, untitledNotebook, waitFor } from './helpers';

const NOTES = 'check notes\n  Forward Pass:\n  $$a_2 = 0.597$$\n  $$z_1 = 0.3775$$\n';

function suggestions(doc: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(doc.uri).filter((d) => d.code === 'notes-suggestion');
}

async function fixes(nb: vscode.NotebookDocument, doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  // The workbench asks the cell's editor for its text model: show the cell, and ask again while it is
  // being made anew after an edit.
  await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(1, 2)] });
  for (let attempt = 0; ; attempt++) {
    try {
      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
      return actions.filter((a): a is vscode.CodeAction => 'edit' in a && a.title.startsWith('Add notation'));
    } catch (e) {
      if (attempt >= 40) throw e;
      await sleep(100);
    }
  }
}

describe('check notes: the quick fix that adds a notation', () => {
  after(closeAll);

  it('inserts the suggested notation line above the block, and the line is then checked', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: NOTES }]);
    await runCells(nb);
    const cell = nb.cellAt(1);
    const doc = cell.document;
    const first = only(cell, 'check');
    assert.deepStrictEqual(first.lines.length, 0);
    // a_2 = 0.597 looks like out(h2) only; z_1 = 0.3775 like net(h1) only.
    const found = await waitFor('the suggestions of the run', () => (suggestions(doc).length === 2 ? suggestions(doc) : undefined));
    const a2 = found.find((d) => d.range.start.line === 2)!;
    assert.ok(a2, 'a diagnostic on the line of a_2');
    assert.strictEqual(a2.severity, vscode.DiagnosticSeverity.Information);
    assert.match(a2.message, /looks like out\(h2\) = 0\.596884: add notation a_2 = out\(h2\)/);

    const [fix] = await fixes(nb, doc, a2);
    assert.ok(fix, 'a quick fix is offered');
    assert.strictEqual(fix.title, 'Add notation a_2 = out(h2)');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.strictEqual(doc.lineAt(0).text, 'notation a_2 = out(h2)');
    // The other suggestion follows its line down, and its fix adds to the notation line just written.
    const z1 = await waitFor('the z_1 suggestion on its new line', () => suggestions(doc).find((d) => d.range.start.line === 4));
    assert.strictEqual(suggestions(doc).length, 1, 'the applied suggestion is gone');
    const [fix2] = await fixes(nb, doc, z1);
    assert.ok(await vscode.workspace.applyEdit(fix2.edit!));
    assert.strictEqual(doc.lineAt(0).text, 'notation a_2 = out(h2), z_1 = net(h1)');

    await runCells(nb);
    const second = only(nb.cellAt(1), 'check');
    assert.deepStrictEqual(second.lines.map((l) => [l.symbol, l.quantity, l.ok]), [['a_2', 'out(h2)', true], ['z_1', 'net(h1)', true]]);
    await waitFor('no suggestion left', () => suggestions(doc).length === 0);
  });
});
