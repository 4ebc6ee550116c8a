/**
 * The palette and toolbar commands: a new notebook, reset, exports, and opening a bundled example
 * (the walkthrough's links). Commands that act on a notebook take its URI as an optional first
 * argument (tests, links) and otherwise use the active notebook editor.
 */
import * as vscode from 'vscode';
import { BpnbSerializer, CELL_LANGUAGE, NOTEBOOK_TYPE } from './serializer';
import { NotebookStates } from './state';
import { renderExport, solveNotebook, type ExportFormat } from './export';

const NEW_NOTEBOOK_INTRO = `# My backprop exercise

Declare a network in the first code cell, then run \`forward\`, \`step\` or \`train N\`.
Put your own hand-computed numbers in a \`check\` cell to see which are right.`;

// Worked by hand from the 2-2-2 example without o2: E = ½(0.01 − 0.751365)², ∂E/∂w5 = 0.741365 ×
// 0.186816 × 0.59327, w5' = 0.4 − 0.5 × 0.082167; rounded as a student would, so they all pass.
const NEW_NOTEBOOK_CHECK = `check                # your own numbers, one per line: each gets ✓ or ✗
  E      = 0.2748
  dE/dw5 = 0.0822
  w5'    = 0.359    # w5 after one step`;

const NEW_NOTEBOOK_CODE = `input  i1 i2
layer  h1 h2  sigmoid
layer  o1  sigmoid
w1  i1 -> h1 = 0.15
w2  i2 -> h1 = 0.20
w3  i1 -> h2 = 0.25
w4  i2 -> h2 = 0.30
w5  h1 -> o1 = 0.40
w6  h2 -> o1 = 0.45
bias b1 -> h1 h2 = 0.35
bias b2 -> o1 = 0.60
loss half-sse
rate 0.5
sample i1=0.05 i2=0.10 -> o1=0.01`;

function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  if (arg instanceof vscode.Uri) {
    return vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === arg.toString());
  }
  const active = vscode.window.activeNotebookEditor?.notebook;
  return active?.notebookType === NOTEBOOK_TYPE ? active : undefined;
}

async function newNotebook(): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, NEW_NOTEBOOK_INTRO, 'markdown'),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, NEW_NOTEBOOK_CODE, CELL_LANGUAGE),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'forward', CELL_LANGUAGE),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, NEW_NOTEBOOK_CHECK, CELL_LANGUAGE),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'step', CELL_LANGUAGE),
  ]);
  const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

async function readExtensionFile(uri: vscode.Uri): Promise<Uint8Array> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch (err) {
    // In the browser the extension is served over http, which workspace.fs may not read.
    if (uri.scheme !== 'http' && uri.scheme !== 'https') throw err;
    const response = await fetch(uri.toString(true));
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`, { cause: err });
    return new Uint8Array(await response.arrayBuffer());
  }
}

/** Opens a copy (untitled), so working through an example never edits the extension's own files. */
async function openExample(extensionUri: vscode.Uri, name: unknown): Promise<vscode.NotebookDocument | undefined> {
  if (typeof name !== 'string' || !/^[\w.-]+\.bpnb$/.test(name)) {
    void vscode.window.showErrorMessage(`Backprop: no example named ${String(name)}`);
    return undefined;
  }
  const bytes = await readExtensionFile(vscode.Uri.joinPath(extensionUri, 'examples', name));
  const data = new BpnbSerializer().deserializeNotebook(bytes);
  const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
  await vscode.window.showNotebookDocument(notebook);
  return notebook;
}

function resetState(states: NotebookStates, arg: unknown): boolean {
  const notebook = targetNotebook(arg);
  if (!notebook) {
    void vscode.window.showWarningMessage('Backprop: open a Backprop notebook to reset its network.');
    return false;
  }
  const state = states.peek(notebook);
  state?.session.reset();
  void vscode.window.showInformationMessage(state ? 'Backprop: the network is back to its declared weights.' : 'Backprop: nothing has run in this notebook yet.');
  return state !== undefined;
}

async function exportNotebook(format: ExportFormat, notebookArg: unknown, targetArg: unknown): Promise<vscode.Uri | undefined> {
  const notebook = targetNotebook(notebookArg);
  if (!notebook) {
    void vscode.window.showWarningMessage('Backprop: open a Backprop notebook to export it.');
    return undefined;
  }
  const ext = format === 'markdown' ? 'md' : 'tex';
  let target = targetArg instanceof vscode.Uri ? targetArg : undefined;
  if (!target) {
    const suggested = notebook.isUntitled ? undefined : notebook.uri.with({ path: notebook.uri.path.replace(/\.bpnb$/i, '') + `.solution.${ext}` });
    target = await vscode.window.showSaveDialog({
      defaultUri: suggested,
      filters: format === 'markdown' ? { Markdown: ['md'] } : { LaTeX: ['tex'] },
      title: `Export worked solution as ${format === 'markdown' ? 'Markdown' : 'LaTeX'}`,
    });
    if (!target) return undefined;
  }
  const cells = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Backprop: computing the worked solution', cancellable: true },
    (_progress, token) => solveNotebook(notebook, token),
  );
  const text = renderExport(format, notebook, cells);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  if (!(targetArg instanceof vscode.Uri)) {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(target), { preview: false });
  }
  return target;
}

export function registerCommands(context: vscode.ExtensionContext, states: NotebookStates, onReset: (nb: vscode.NotebookDocument) => void): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('backprop.newNotebook', () => newNotebook()),
    vscode.commands.registerCommand('backprop.openExample', (name: unknown) => openExample(context.extensionUri, name)),
    vscode.commands.registerCommand('backprop.resetState', (arg: unknown) => {
      const done = resetState(states, arg);
      const nb = targetNotebook(arg);
      if (nb) onReset(nb);
      return done;
    }),
    vscode.commands.registerCommand('backprop.exportMarkdown', (nb: unknown, target: unknown) => exportNotebook('markdown', nb, target)),
    vscode.commands.registerCommand('backprop.exportLatex', (nb: unknown, target: unknown) => exportNotebook('latex', nb, target)),
  );
}
