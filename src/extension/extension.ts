/** Wires the extension's parts together; each lives in its own module. */
import * as vscode from 'vscode';
import { registerSerializer } from './serializer';
import { NotebookStates } from './state';
import { Kernel } from './kernel';
import { CellDiagnostics } from './diagnostics';
import * as hover from './hover';
import * as completion from './completion';
import * as codeActions from './codeActions';
import * as statusBar from './statusBar';
import { registerCommands } from './commands';
import { registerTeacherCommands } from './teacher';

export function activate(context: vscode.ExtensionContext): void {
  const states = new NotebookStates();
  const kernel = new Kernel(states);
  const diagnostics = new CellDiagnostics(states);
  context.subscriptions.push(
    states,
    registerSerializer(),
    kernel,
    diagnostics,
    kernel.onDidRun((nb) => diagnostics.refreshNotebook(nb)),
    hover.register(states),
    completion.register(states),
    codeActions.register(),
    statusBar.register(),
  );
  registerCommands(context, states, (nb) => diagnostics.refreshNotebook(nb));
  registerTeacherCommands(context);
}

export function deactivate(): void {}
