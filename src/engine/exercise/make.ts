/**
 * `bpnb exercise`: for each student of the roster, `ID.bpnb` (their notebook: their numbers, the
 * blanks kept), `key/ID.bpnb` (the same with every blank filled with the exact value at the
 * notebook's `digits`, so that it runs with every check passed) and `key/ID.md` (the key's worked
 * solution, the document `bpnb run --format markdown` writes). The same template, roster and seed
 * give the same bytes. Pure: the edges write the files.
 */
import { writeBpnb, type BpnbCellInput, type BpnbDocument, type BpnbFileFormat } from '../file/bpnb';
import { formatNumber } from '../language/numbers';
import { runNotebook, solutionCells, solutionDocument, type CellRun } from '../notebook';
import type { CheckTrace } from '../trace/schema';
import { Session } from '../session';
import { prepareExercise, type Variant } from './prepare';
import { inFile, type Located } from './problems';
import { editCells, listAt, type Edit } from './variant';

export interface OutputFile { path: string; bytes: Uint8Array }

/** The files of the exercise, paths relative to the output folder; or what is wrong. */
export async function makeExercise(doc: BpnbDocument, ids: readonly string[], seed: number): Promise<{ files?: OutputFile[]; problems: Located[] }> {
  const { prepared, problems } = await prepareExercise(doc, ids, seed);
  if (!prepared) return { problems };
  const format = fileFormat(prepared.template.format);
  const files: OutputFile[] = [];
  for (const v of prepared.variants) {
    const key = keyCells(v);
    const runs = await runNotebook(key, new Session());
    if (!allPassed(runs)) return { problems: [inFile('exercise-internal', { message: `the answer key of ${v.id} does not pass its own checks` })] };
    const solution = await workedSolution(v, key, runs);
    files.push(
      { path: `${v.id}.bpnb`, bytes: writeBpnb(v.cells, format) },
      { path: `key/${v.id}.bpnb`, bytes: writeBpnb(key, format) },
      { path: `key/${v.id}.md`, bytes: new TextEncoder().encode(solution) },
    );
  }
  return { files, problems: [] };
}

/** The student's cells with every blank replaced by its exact value at the check's `digits`. */
export function keyCells(v: Variant): BpnbCellInput[] {
  const edits = new Map<number, Edit[]>();
  for (const b of v.blanks) {
    listAt(edits, b.ref.cell).push({ start: b.ref.item.value.start, end: b.ref.item.value.end, text: formatNumber(b.exact, b.digits) });
  }
  return editCells(v.cells, edits);
}

const allPassed = (runs: readonly CellRun[]) => runs.every((r) => r.status === 'ok' || r.status === 'markdown' || r.status === 'blank');

const WORKED = '**Worked solution.** The step the exercise asks about, every value computed exactly:';

/**
 * The key's worked solution. When the first blank is checked at the current weights (no `step`
 * before it), a `step` is put before its cell, so that the document shows every value worked out —
 * the check right after a step checks that step, at the same weights, so every answer stays the
 * same (which the run confirms; otherwise the key is shown as it is).
 */
async function workedSolution(v: Variant, key: BpnbCellInput[], runs: readonly CellRun[]): Promise<string> {
  const name = `${v.id}.bpnb`;
  const first = v.blanks[0].ref;
  const run = runs[first.cell];
  const trace = run && 'result' in run ? run.result.traces.filter((t): t is CheckTrace => t.kind === 'check')[first.statement] : undefined;
  if (trace && trace.stepEpoch === undefined) {
    const cells: BpnbCellInput[] = [...key.slice(0, first.cell), { kind: 'markdown', source: WORKED }, { kind: 'code', source: 'step' }, ...key.slice(first.cell)];
    const worked = await runNotebook(cells, new Session());
    if (allPassed(worked)) return solutionDocument('markdown', name, solutionCells(cells, worked));
  }
  return solutionDocument('markdown', name, solutionCells(key, runs));
}

/** The template's way of writing the file, without what only the template's own bytes had. */
function fileFormat(f: BpnbFileFormat): Partial<BpnbFileFormat> {
  return { encoding: 'utf-8', bom: f.bom, eol: f.eol, finalNewline: f.finalNewline, ...(f.preamble !== undefined ? { preamble: f.preamble } : {}) };
}
