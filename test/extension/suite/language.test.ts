/** Hovers, completions and diagnostics inside notebook cells, through VS Code's own provider commands. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { MAZUR_CELL as MAZUR } from '../../engine/fixtures';
import { closeAll, exampleUri, openNotebook, runCells, scratchUri, untitledNotebook, waitFor, codeCells } from './helpers';

function hoverText(hovers: vscode.Hover[]): string {
  const md = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
  // appendText escapes Markdown punctuation and spaces; read it as a person would.
  return md.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
}

function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `'${needle}' is in the cell`);
  return doc.positionAt(i + offset);
}

describe('language features in cells', () => {
  after(closeAll);

  it('hover on w5 after a step shows its value, gradient as a chain-rule product, and old → new', async () => {
    const nb = await openNotebook(exampleUri('mazur-2-2-2.bpnb'));
    // Up to and including `step` (the last cell, a forward pass, would not change the hover's gradient).
    const stepCell = codeCells(nb).find((c) => c.document.getText().trim() === 'step')!;
    await runCells(nb, 0, stepCell.index + 1);
    const doc = codeCells(nb)[0].document;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'w5  h1', 1));
    const text = hoverText(hovers);
    // Published: ∂E/∂w5 = 0.74136507 × 0.186815602 × 0.593269992 = 0.082167041, w5: 0.4 → 0.35891648.
    assert.match(text, /w5/);
    assert.match(text, /0\.082167/, text);
    assert.match(text, /0\.741365 × 0\.186816 × 0\.59327/, text);
    assert.match(text, /0\.4 → 0\.358916/, text);

    // The same parameter written as a derivative in a `check` line.
    const check = codeCells(nb).find((c) => c.document.getText().includes('dE/dw5 = 0.082167041'))!.document;
    const inCheck = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', check.uri, positionOf(check, 'dE/dw5', 4)));
    assert.match(inCheck, /0\.082167/, inCheck);
  });

  it('hover on w5 before any step says its gradient is at the current weights, for the next step', async () => {
    const nb = await untitledNotebook([{ code: MAZUR }, { code: 'forward' }]);
    await runCells(nb);
    const doc = nb.cellAt(0).document;
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'w5  h1', 1)));
    // Published: ∂E/∂w5 = 0.082167041 at the declared weights; w5 would become 0.35891648.
    assert.match(text, /0\.082167/, text);
    assert.match(text, /0\.4 → 0\.358916 after the next step/, text);
    assert.match(text, /next `?step`? would/, text);
    assert.doesNotMatch(text, /latest run/, text);
  });

  it('hover on a neuron shows net and out; on a keyword its meaning', async () => {
    const nb = await openNotebook(exampleUri('mazur-2-2-2.bpnb'));
    await runCells(nb, 0, 3);
    const doc = codeCells(nb)[0].document;
    const neuron = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'h1 h2  sigmoid', 0)));
    assert.match(neuron, /net\(h1\) = 0\.3775/, neuron);
    assert.match(neuron, /out\(h1\) = 0\.59327/, neuron);
    const keyword = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 'sigmoid', 2)));
    assert.match(keyword, /1 \/ \(1 \+ e/, keyword);
  });

  it('diagnostics as you type: an unknown neuron is marked where it is written', async () => {
    const nb = await untitledNotebook([{ code: 'input i1 i2\nlayer h1 sigmoid\ninit xavier seed 1\nw1 i1 -> h9 = 0.1\n' }]);
    const doc = nb.cellAt(0).document;
    const diag = await waitFor('a diagnostic on the unknown neuron', () => vscode.languages.getDiagnostics(doc.uri).find((d) => /h9/.test(d.message)));
    assert.strictEqual(diag.range.start.line, 3, 'on the fourth line');
    assert.strictEqual(doc.getText(diag.range), 'h9', 'the range is the unknown name');
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Error);

    // Fixing the text clears it.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, diag.range, 'h1');
    await vscode.workspace.applyEdit(edit);
    await waitFor('the diagnostic to go away', () => vscode.languages.getDiagnostics(doc.uri).length === 0);
  });

  it('a file that is not UTF-8 gets one warning, at its first odd byte, in the cell that holds it', async () => {
    // `café` written in Latin-1 in the Markdown cell; the code cell's arrow then reads as three characters.
    const enc = (t: string) => [...new TextEncoder().encode(t)];
    const uri = scratchUri('latin1.bpnb');
    await vscode.workspace.fs.writeFile(uri, Uint8Array.from([...enc('%% markdown\nA caf'), 0xe9, ...enc('\n\n%%\ninput a\nlayer b linear\n')]));
    const nb = await openNotebook(uri);
    const md = nb.cellAt(0).document;
    const warning = await waitFor('the encoding warning', () => vscode.languages.getDiagnostics(md.uri).find((d) => /UTF-8/.test(d.message)));
    assert.strictEqual(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual([warning.range.start.line, warning.range.start.character], [0, 5], 'at the é of "A café"');
    assert.match(warning.message, /0xE9/);
    assert.ok(!vscode.languages.getDiagnostics(nb.cellAt(1).document.uri).some((d) => /UTF-8/.test(d.message)), 'said once');
  });

  it('diagnostics name other lines by the cell\'s lines', async () => {
    const nb = await untitledNotebook([{ markdown: 'intro' }, { code: 'input i1 i2\nlayer h1 sigmoid\nw1 i1 -> h1 = 1\nw1 i2 -> h1 = 2\n' }]);
    const doc = nb.cellAt(1).document;
    const diag = await waitFor('the duplicate', () => vscode.languages.getDiagnostics(doc.uri).find((d) => /duplicate/.test(d.message)));
    assert.strictEqual(diag.message, "duplicate name 'w1': already declared on line 3");
    assert.strictEqual(diag.range.start.line, 3);
  });
});
