/**
 * For teachers: "Backprop: New Exercise from Template…" writes each student of a roster their own
 * notebook, answer key and worked solution; "Backprop: Grade Submissions…" grades a folder of
 * submissions, writes the grades (CSV) and each student's feedback, shows the CSV and a summary.
 * The engine does the work (engine/exercise/), exactly as `bpnb exercise` and `bpnb grade` do;
 * files are read and written through `vscode.workspace.fs`, so both work in VS Code for the web.
 *
 * Either command takes its files as arguments (tests, links) and asks for those not given.
 */
import * as vscode from 'vscode';
import { readBpnb, type BpnbDocument } from '../engine/file/bpnb';
import { gradeExercise, type Submission } from '../engine/exercise/grade';
import { makeExercise } from '../engine/exercise/make';
import { describeProblem, type Located } from '../engine/exercise/problems';
import { feedbackMarkdown, gradesCsv, gradesSummary } from '../engine/exercise/report';
import { readRoster } from '../engine/exercise/roster';
import { messageOf } from '../engine/semantics/messages';
import { NOTEBOOK_TYPE } from './serializer';

/** Submissions larger than this are not read (the command line's limit too). */
const MAX_SUBMISSION_BYTES = 64 * 1024 * 1024;

export interface GradeOptions { seed?: number; answers?: boolean }

const baseName = (uri: vscode.Uri) => uri.path.split('/').pop() ?? '';
const parent = (uri: vscode.Uri) => vscode.Uri.joinPath(uri, '..');

async function pickFile(arg: unknown, title: string, filters: Record<string, string[]>, near?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({ title, filters, canSelectMany: false, defaultUri: near });
  return picked?.[0];
}

async function pickFolder(arg: unknown, title: string, near?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const picked = await vscode.window.showOpenDialog({ title, canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: near });
  return picked?.[0];
}

/** The template: the argument, else the active Backprop notebook when it is saved, else a dialog. */
async function pickTemplate(arg: unknown): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeNotebookEditor?.notebook;
  if (!(arg instanceof vscode.Uri) && active?.notebookType === NOTEBOOK_TYPE && !active.isUntitled) return active.uri;
  return pickFile(arg, 'Exercise template (a .bpnb notebook with vary lines and ? blanks)', { 'Backprop Notebook': ['bpnb'] });
}

/** The output folder: the argument, or `NAME-exercises` beside the template, or one the teacher chooses. */
async function pickOut(arg: unknown, template: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const beside = vscode.Uri.joinPath(parent(template), `${baseName(template).replace(/\.bpnb$/i, '')}-exercises`);
  const choice = await vscode.window.showQuickPick([
    { label: `$(folder) ${vscode.workspace.asRelativePath(beside)}`, description: 'beside the template', uri: beside },
    { label: '$(folder-opened) Choose a folder…', uri: undefined },
  ], { title: 'Where should the students\' notebooks go?' });
  if (!choice) return undefined;
  return choice.uri ?? pickFolder(undefined, 'Folder for the students\' notebooks', parent(template));
}

async function readBytes(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try {
    return await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
}

/** Problems as `FILE:LINE:COL: message` lines, the first few shown, all in the log. */
function showProblems(lines: string[]): void {
  for (const l of lines) console.error(`Backprop: ${l}`);
  const more = lines.length > 3 ? ` (and ${lines.length - 3} more)` : '';
  void vscode.window.showErrorMessage(`Backprop: ${lines.slice(0, 3).join('; ')}${more}`);
}

/** The template and the roster's ids, or undefined after saying what is wrong. */
async function readInputs(template: vscode.Uri, roster: vscode.Uri): Promise<{ doc: BpnbDocument; ids: string[] } | undefined> {
  const [t, r] = [await readBytes(template), await readBytes(roster)];
  if (!t || !r) { showProblems([`cannot read ${baseName(t ? roster : template)}`]); return undefined; }
  const { ids, errors } = readRoster(new TextDecoder().decode(r));
  if (errors.length) { showProblems(errors.map((d) => `${baseName(roster)}:${d.line}:${d.column}: ${messageOf(d)}`)); return undefined; }
  return { doc: readBpnb(t), ids };
}

function templateProblems(template: vscode.Uri, doc: BpnbDocument, problems: readonly Located[]): undefined {
  showProblems(problems.map((p) => describeProblem(baseName(template), p, doc.cells)));
  return undefined;
}

async function newExercise(templateArg: unknown, rosterArg: unknown, outArg: unknown, seedArg: unknown): Promise<vscode.Uri | undefined> {
  const template = await pickTemplate(templateArg);
  const roster = template && await pickFile(rosterArg, 'Roster (a CSV file with a column id)', { CSV: ['csv'] }, parent(template));
  const out = template && roster && await pickOut(outArg, template);
  if (!template || !roster || !out) return undefined;
  const inputs = await readInputs(template, roster);
  if (!inputs) return undefined;
  const seed = typeof seedArg === 'number' ? seedArg : 1;
  const { files, problems } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Backprop: drawing each student\'s numbers' },
    () => makeExercise(inputs.doc, inputs.ids, seed),
  );
  if (!files) return templateProblems(template, inputs.doc, problems);
  for (const f of files.filter((x) => !x.path.includes('/'))) {
    const old = await readBytes(vscode.Uri.joinPath(out, f.path));
    if (old && !(old.length === f.bytes.length && old.every((b, i) => b === f.bytes[i]))) {
      showProblems([`${f.path} exists in ${baseName(out)} with other contents (a submission?): nothing was written`]);
      return undefined;
    }
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(out, 'key'));
  for (const f of files) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(out, f.path), f.bytes);
  void vscode.window.showInformationMessage(`Backprop: wrote ${inputs.ids.length} student notebooks to ${vscode.workspace.asRelativePath(out)}, with answer keys and worked solutions in key/.`);
  return out;
}

async function submission(uri: vscode.Uri): Promise<Submission> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_SUBMISSION_BYTES) return { unreadable: 'too large' };
    return { bytes: await vscode.workspace.fs.readFile(uri) };
  } catch (e) {
    return e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? { missing: true } : { unreadable: e instanceof Error ? e.message : String(e) };
  }
}

async function gradeSubmissions(dirArg: unknown, templateArg: unknown, rosterArg: unknown, options: GradeOptions = {}): Promise<{ csv: vscode.Uri; summary: vscode.Uri } | undefined> {
  const dir = await pickFolder(dirArg, 'Folder of the submissions (ID.bpnb for each student)');
  const template = dir && await pickFile(templateArg, 'The exercise\'s template', { 'Backprop Notebook': ['bpnb'] }, parent(dir));
  const roster = template && await pickFile(rosterArg, 'The roster (CSV)', { CSV: ['csv'] }, parent(dir!));
  if (!dir || !template || !roster) return undefined;
  const inputs = await readInputs(template, roster);
  if (!inputs) return undefined;
  const { grades, problems } = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Backprop: grading the submissions' },
    () => gradeExercise(inputs.doc, inputs.ids, options.seed ?? 1, (id) => submission(vscode.Uri.joinPath(dir, `${id}.bpnb`))),
  );
  if (!grades) return templateProblems(template, inputs.doc, problems);
  const encode = (s: string) => new TextEncoder().encode(s);
  const csv = vscode.Uri.joinPath(dir, 'grades.csv');
  const summary = vscode.Uri.joinPath(dir, 'grades-summary.md');
  await vscode.workspace.fs.writeFile(csv, encode(gradesCsv(grades)));
  await vscode.workspace.fs.writeFile(summary, encode(gradesSummary(grades)));
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(dir, 'feedback'));
  for (const g of grades.grades) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'feedback', `${g.id}.md`), encode(feedbackMarkdown(g, options.answers)));
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(csv), { preview: false });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', summary).then(undefined, () =>
    vscode.window.showTextDocument(summary, { viewColumn: vscode.ViewColumn.Beside, preview: false }));
  return { csv, summary };
}

export function registerTeacherCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('backprop.newExercise', newExercise),
    vscode.commands.registerCommand('backprop.gradeSubmissions', gradeSubmissions),
  );
}
