/** The teacher's commands in a real VS Code: an exercise made from the example template and roster,
 *  then graded, every file through vscode.workspace.fs (the test passes the files the dialogs ask for). */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, exampleUri, scratchUri } from './helpers';

const read = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
const IDS = ['s01', 's02', 's03', 's04', 's05'];

describe('teacher commands', () => {
  after(closeAll);

  it('New Exercise from Template… writes each student\'s notebook, key and worked solution; Grade Submissions… grades them', async () => {
    const template = exampleUri('exercise-template.bpnb');
    const roster = exampleUri('roster.csv');
    const out = scratchUri('exercise');
    const written = await vscode.commands.executeCommand<vscode.Uri>('backprop.newExercise', template, roster, out);
    assert.strictEqual(written?.toString(), out.toString());
    for (const id of IDS) {
      const student = await read(vscode.Uri.joinPath(out, `${id}.bpnb`));
      assert.doesNotMatch(student, /^vary/m);
      assert.strictEqual([...student.matchAll(/= \?/g)].length, 17, id);
      const key = await read(vscode.Uri.joinPath(out, 'key', `${id}.bpnb`));
      assert.doesNotMatch(key, /= \?/);
      assert.match(await read(vscode.Uri.joinPath(out, 'key', `${id}.md`)), /✓ All 17 checks passed\./);
    }
    // s02 hands in the key; s01 the notebook as it was given; the others nothing.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(out, 's02.bpnb'), await vscode.workspace.fs.readFile(vscode.Uri.joinPath(out, 'key', 's02.bpnb')));
    for (const id of ['s03', 's04', 's05']) await vscode.workspace.fs.delete(vscode.Uri.joinPath(out, `${id}.bpnb`));
    const graded = await vscode.commands.executeCommand<{ csv: vscode.Uri; summary: vscode.Uri }>('backprop.gradeSubmissions', out, template, roster);
    assert.ok(graded);
    const csv = (await read(graded.csv)).split('\r\n');
    assert.strictEqual(csv[1], `s01,0,21,${Array(17).fill('').join(',')},`);
    assert.strictEqual(csv[2], `s02,21,21,${Array(17).fill('1').join(',')},`);
    assert.strictEqual(csv[3], `s03,0,21,${Array(17).fill('').join(',')},missing`);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === graded.csv.toString()), 'the CSV is shown');
    assert.match(await read(graded.summary), /^2 graded, mean 10\.5 of 21 points\.$/m);
    assert.match(await read(vscode.Uri.joinPath(out, 'feedback', 's02.md')), /\*\*21 of 21 points\.\*\*/);
  });
});
