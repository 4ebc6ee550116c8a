/**
 * runNotebook: the one way the command line, the kernel and the export run a notebook. Expected
 * numbers are the published 2-2-2 example (Mazur): E = 0.298371109 at the declared weights.
 */
import * as assert from 'assert';
import { Session, type CellResult } from '../../src/engine/session';
import {
  errorCount, fileProblems, placeInCells, runNotebook, solutionCells, solutionDocument, solutionTitle,
  type CellRun, type NotebookCell,
} from '../../src/engine/notebook';
import { readBpnb } from '../../src/engine/file/bpnb';
import { MAZUR_CELL, MAZUR_CHECK_CELL } from './fixtures';

const code = (source: string): NotebookCell => ({ kind: 'code', source });
const markdown = (source: string): NotebookCell => ({ kind: 'markdown', source });
const statuses = (runs: CellRun[]) => runs.map((r) => (r.status === 'not-run' ? `not-run (${r.because})` : r.status));

function forwardLoss(run: CellRun): number {
  assert.ok('result' in run, run.status);
  const t = run.result.traces[0];
  assert.ok(t.kind === 'forward');
  return t.loss.total;
}

describe('runNotebook', () => {
  it('runs code cells in order through one session; Markdown and blank cells are not run', async () => {
    const runs = await runNotebook([markdown('# intro'), code(MAZUR_CELL), code('  \n\t'), code('forward')], new Session());
    assert.deepStrictEqual(statuses(runs), ['markdown', 'ok', 'blank', 'ok']);
    assert.ok(Math.abs(forwardLoss(runs[3]) - 0.298371109) < 5e-10);
  });

  it('after an error the code cells below are not run, Markdown cells stay Markdown', async () => {
    const cells = [code(MAZUR_CELL), code('step\nw5 h1 -> o7 = 1'), markdown('between'), code('forward'), code('step')];
    const runs = await runNotebook(cells, new Session());
    assert.deepStrictEqual(statuses(runs), ['ok', 'error', 'markdown', 'not-run (error)', 'not-run (error)']);
    const kept = await runNotebook(cells, new Session(), {}, { stopAfterError: false });
    assert.deepStrictEqual(statuses(kept), ['ok', 'error', 'markdown', 'ok', 'ok']);
    // The broken cell's `step` did not run: E is still the published one.
    assert.ok(Math.abs(forwardLoss(kept[3]) - 0.298371109) < 5e-10);
  });

  it('failed checks mark the cell but the run goes on', async () => {
    const runs = await runNotebook([code(MAZUR_CELL), code('check\n  E = 0.31\n  dE/dw5 = 0.5'), code('forward')], new Session());
    assert.deepStrictEqual(statuses(runs), ['ok', 'failed-checks', 'ok']);
    assert.ok('result' in runs[1] && runs[1].result.checksFailed === 2);
  });

  it('an interrupt stops the cell at a whole epoch and the cells below are not run', async () => {
    let polls = 0;
    const runs = await runNotebook([code(MAZUR_CELL), code('train 100000000'), code('forward')], new Session(), {
      // Cancel once training has given control back a few times.
      isCancelled: (i) => i === 1 && ++polls > 3,
    });
    assert.deepStrictEqual(statuses(runs), ['ok', 'interrupted', 'not-run (interrupted)']);
  });

  it('a cell cancelled before it starts is not run, and does not stop the others', async () => {
    const runs = await runNotebook([code(MAZUR_CELL), code('forward'), code('forward')], new Session(), { isCancelled: (i) => i === 1 });
    assert.deepStrictEqual(statuses(runs), ['ok', 'not-run (interrupted)', 'ok']);
  });

  it('reports each cell as it finishes, between its start and the next cell\'s', async () => {
    const events: string[] = [];
    await runNotebook([markdown('m'), code(MAZUR_CELL), code(''), code('rate fast'), code('forward')], new Session(), {
      onCellStart: (i) => { events.push(`start ${i}`); },
      onCellDone: async (i, run) => { await Promise.resolve(); events.push(`done ${i} ${run.status}`); },
    });
    assert.deepStrictEqual(events, ['done 0 markdown', 'start 1', 'done 1 ok', 'start 2', 'done 2 blank', 'start 3', 'done 3 error', 'done 4 not-run']);
  });

  it('progress names the cell it comes from', async () => {
    const seen = new Set<number>();
    await runNotebook([code(MAZUR_CELL), code('train 20000')], new Session(), { onProgress: (i, p) => { seen.add(i); assert.strictEqual(p.epochs, 20000); } });
    assert.deepStrictEqual([...seen], [1]);
  });

  it('a session that throws gives one internal error and stops the run, never a rejection', async () => {
    class Broken extends Session {
      override run(text: string): Promise<CellResult> {
        if (text === 'forward') throw new TypeError('boom');
        return super.run(text);
      }
    }
    const runs = await runNotebook([code(MAZUR_CELL), code('forward'), code('step')], new Broken());
    assert.deepStrictEqual(statuses(runs), ['ok', 'crashed', 'not-run (error)']);
    assert.deepStrictEqual(solutionCells([code(MAZUR_CELL), code('forward')], runs).map((c) => c.kind === 'code' && c.errors), [[], ['internal error: boom']]);
  });

  it('begins one budgeted run per call when the session counts runs', async () => {
    let begun = 0;
    class Counting extends Session {
      override beginRun(): void { begun++; }
    }
    await runNotebook([code(MAZUR_CELL), code('forward'), code('forward')], new Counting());
    assert.strictEqual(begun, 1);
  });
});

describe('the worked-solution document', () => {
  it('lists a cell\'s errors by the cell\'s lines', async () => {
    const runs = await runNotebook([code(MAZUR_CELL), code('forward\nrate fast')], new Session());
    const [, cell] = solutionCells([code(MAZUR_CELL), code('forward\nrate fast')], runs);
    assert.ok(cell.kind === 'code');
    assert.deepStrictEqual(cell.errors?.map((e) => e.replace(/:.*/, '')), ['line 2, column 6']);
  });

  it('counts the errors a capped list stands for', () => {
    const many = new Session().runSync('x\n'.repeat(250)).errors;
    assert.ok(many.length < 250, `the engine caps a cell's list (${many.length})`);
    assert.strictEqual(errorCount(many), 250);
    assert.strictEqual(errorCount(new Session().runSync('x\ny\n').errors), 2);
  });

  it('leaves out blank cells and says why a cell did not run', async () => {
    const cells = [markdown('# T'), code(MAZUR_CELL), code(' '), code('rate fast'), code('forward'), markdown('end')];
    const doc = solutionCells(cells, await runNotebook(cells, new Session()));
    assert.deepStrictEqual(doc.map((c) => c.kind === 'code' ? c.source : `md ${c.source}`), ['md # T', MAZUR_CELL, 'rate fast', 'forward', 'md end']);
    const forward = doc[3];
    assert.ok(forward.kind === 'code');
    assert.deepStrictEqual(forward.errors, ['Not run: a cell above failed in this run (its error is shown there).']);
    assert.deepStrictEqual(forward.traces, []);
    const md = solutionDocument('markdown', 'x.bpnb', doc);
    assert.match(md, /```bpnb\nforward\n```\n\n> \*\*Error:\*\* Not run/);
  });

  it('is titled by the file name, from either a path or a URI path', () => {
    assert.strictEqual(solutionTitle('examples/mazur-2-2-2.bpnb'), 'mazur-2-2-2: worked solution');
    assert.strictEqual(solutionTitle('C:\\notes\\Week 3.BPNB'), 'Week 3: worked solution');
    assert.strictEqual(solutionTitle('Untitled-1'), 'Untitled-1: worked solution');
    assert.match(solutionDocument('latex', '/a/relu.bpnb', []), /\\title\{relu: worked solution\}/);
  });

  it('keeps checks that pass and fail in the document', async () => {
    const cells = [code(MAZUR_CELL), code(MAZUR_CHECK_CELL)];
    const md = solutionDocument('markdown', 'm.bpnb', solutionCells(cells, await runNotebook(cells, new Session())));
    assert.match(md, /6 checks passed/i);
  });
});

describe('a place in the file, in its cell', () => {
  // Lines: 1 `%% markdown`, 2 `text`, 3 ``, 4 `%%`, 5 `input a`, 6 `\%%x`, 7 `forward`.
  const { cells } = readBpnb(new TextEncoder().encode('%% markdown\ntext\n\n%%\ninput a\n\\%%x\nforward\n'));

  it('finds the cell, its line and column, one column left on an escaped line', () => {
    assert.deepStrictEqual(placeInCells(cells, { line: 2, column: 3 }), { index: 0, line: 1, column: 3 });
    assert.deepStrictEqual(placeInCells(cells, { line: 5, column: 4 }), { index: 1, line: 1, column: 4 });
    assert.deepStrictEqual(placeInCells(cells, { line: 6, column: 4 }), { index: 1, line: 2, column: 3 });
  });

  it('puts a marker line with the cell it starts, and a separating blank line with the cell above', () => {
    assert.deepStrictEqual(placeInCells(cells, { line: 4, column: 2 }), { index: 1, line: 1, column: 1 });
    assert.deepStrictEqual(placeInCells(cells, { line: 3, column: 1 }), { index: 0, line: 1, column: 1 });
    assert.deepStrictEqual(placeInCells(cells, { line: 1, column: 5 }), { index: 0, line: 1, column: 1 });
    assert.strictEqual(placeInCells([], { line: 1, column: 1 }), undefined);
  });

  it('a file that is not UTF-8 has a note at its first odd byte, a file past a limit an error', () => {
    const latin1 = readBpnb(Uint8Array.from([0x25, 0x25, 0x0a, 0x61, 0xe9, 0x0a]));
    assert.deepStrictEqual(fileProblems(latin1), [{ code: 'file-not-utf8', args: { byte: 0xe9 }, line: 2, column: 2, severity: 'note' }]);
    const cut = readBpnb(new TextEncoder().encode('x\ny\nz\n'), { maxLines: 2, maxCells: 10 });
    assert.deepStrictEqual(fileProblems(cut).map((p) => [p.code, p.severity]), [['file-too-many-lines', 'error']]);
    assert.deepStrictEqual(fileProblems(readBpnb(new TextEncoder().encode('%%\nforward\n'))), []);
  });
});
