/** What package.json promises: the walkthrough's links, its media, and the significant-digits setting. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, codeCells, runCells, untitledNotebook } from './helpers';

const EXTENSION_ID = 'backprop-notebook.backprop-notebook';

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext;
}

describe('contributions', () => {
  after(closeAll);

  it('every example the walkthrough links to opens as a Backprop notebook, and its media exist', async () => {
    const json = extension().packageJSON as { contributes: { walkthroughs: { steps: { description: string; media: { markdown: string } }[] }[] } };
    const steps = json.contributes.walkthroughs[0].steps;
    const linked = steps.flatMap((s) => [...s.description.matchAll(/command:backprop\.openExample\?([^)\s]+)/g)].map((m) => JSON.parse(decodeURIComponent(m[1]))[0] as string));
    assert.ok(linked.length >= 4, 'the walkthrough links the examples');
    for (const name of linked) {
      const nb = await vscode.commands.executeCommand<vscode.NotebookDocument>('backprop.openExample', name);
      assert.strictEqual(nb?.notebookType, 'backprop-notebook', name);
      assert.ok(nb.cellCount > 1, `${name} has cells`);
    }
    for (const step of steps) {
      const stat = await vscode.workspace.fs.stat(vscode.Uri.joinPath(extension().extensionUri, step.media.markdown)).then((s) => s, () => undefined);
      // In the browser the extension is served over http, which workspace.fs may not stat: then fetch it.
      const ok = stat !== undefined || (await fetch(vscode.Uri.joinPath(extension().extensionUri, step.media.markdown).toString(true))).ok;
      assert.ok(ok, `${step.media.markdown} exists`);
    }
  });

  it('the digits setting changes what a new notebook shows', async () => {
    const config = vscode.workspace.getConfiguration('backpropNotebook');
    await config.update('digits', 9, vscode.ConfigurationTarget.Global);
    try {
      const nb = await untitledNotebook([
        { code: 'input i1 i2\nlayer h1 h2 sigmoid\nlayer o1 o2 sigmoid\nw1 i1 -> h1 = 0.15\nw2 i2 -> h1 = 0.20\nw3 i1 -> h2 = 0.25\nw4 i2 -> h2 = 0.30\nw5 h1 -> o1 = 0.40\nw6 h2 -> o1 = 0.45\nw7 h1 -> o2 = 0.50\nw8 h2 -> o2 = 0.55\nbias b1 -> h1 h2 = 0.35\nbias b2 -> o1 o2 = 0.60\nrate 0.5\nsample i1=0.05 i2=0.10 -> o1=0.01 o2=0.99' },
        { code: 'step' },
      ]);
      await runCells(nb);
      const doc = codeCells(nb)[0].document;
      const at = doc.positionAt(doc.getText().indexOf('w5 h1') + 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      const text = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
      // ∂E/∂w5 = 0.08216704056… (published to 9 decimals as 0.082167041): 9 significant digits.
      assert.match(text, /0\.0821670406\b/, text);
    } finally {
      await config.update('digits', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
