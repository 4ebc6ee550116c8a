/**
 * Every student's variant of an exercise: the numbers drawn for them (again while degenerate), their
 * notebook, and the exact value of each blank. Making the exercise and grading it both start here,
 * so grading re-draws exactly the numbers the exercise gave.
 *
 * The exact values come from the engine itself: the student's notebook is run with each blank
 * written as `0`, and each blank's line of the `check` trace holds the exact value (the engine's
 * `check`, at the weights it chooses — after a `step`, those before it). Students are drawn in the
 * roster's order, and a draw that repeats an earlier student's numbers is drawn again, so a
 * student's numbers depend on the seed, their id and the students before them.
 */
import { describeDiagnostic, runNotebook, type CellRun } from '../notebook';
import type { BpnbCellInput, BpnbDocument } from '../file/bpnb';
import { Session } from '../session';
import { collectSamples } from '../semantics/samples';
import { quantityKey } from '../commands/quantities';
import type { DiagnosticCode } from '../semantics/messages';
import type { CheckTrace, NetworkInfo } from '../trace/schema';
import type { ExerciseNet } from './carried';
import { checkLines, parseCells, type CheckRef, type CodeCell } from './declarations';
import { degenerateUnit, zeroGradient, type Degeneracy } from './degenerate';
import { drawsFor } from './draw';
import { inCell, inFile, type Located } from './problems';
import { readTemplate, type Template } from './template';
import { editCells, listAt, studentCells, type Edit } from './variant';

/** Draws per student before giving up: a template where most draws are degenerate needs other ranges. */
export const MAX_DRAWS = 100;

export interface Blank {
  /** The blank in the template, and the same line in the student's notebook. */
  template: CheckRef;
  ref: CheckRef;
  /** The grades' column: the quantity as written (`dE/dw5`), numbered from the second time it is asked. */
  column: string;
  points: number;
  /** The quantity's check key (commands/quantities.ts) in a batch of `samples`. */
  key: string;
  samples: number;
  exact: number;
  /** The notebook's `digits` at that check. */
  digits: number;
  /** The network and samples the check evaluated at; absent when the trace left some out. */
  net?: ExerciseNet;
  /** Blanks checked at the same weights and samples have the same group. */
  group: string;
}

export interface Variant { id: string; texts: string[]; cells: BpnbCellInput[]; blanks: Blank[] }

export interface Prepared { template: Template; variants: Variant[] }

export async function prepareExercise(doc: BpnbDocument, ids: readonly string[], seed: number): Promise<{ prepared?: Prepared; problems: Located[] }> {
  const { template, problems } = readTemplate(doc);
  if (!template) return { problems };
  const own = await templateProblems(template);
  if (own.length) return { problems: own };
  const variants: Variant[] = [];
  const taken = new Map<string, string>();
  for (const id of ids) {
    const v = await drawVariant(template, seed, id, taken);
    if ('problem' in v) return { problems: [v.problem] };
    variants.push(v);
    if (template.varied.length) taken.set(v.texts.join('\u0000'), id);
  }
  return { prepared: { template, variants }, problems: [] };
}

const asNotebook = (cells: readonly BpnbCellInput[]) => cells.map((c) => ({ kind: c.kind, source: c.source }));

/** The check traces of a cell's run, one per check statement, in order. */
function checkTraces(run: CellRun | undefined): CheckTrace[] {
  return run && 'result' in run ? run.result.traces.filter((t): t is CheckTrace => t.kind === 'check') : [];
}

function runFailed(run: CellRun): boolean {
  return run.status === 'error' || run.status === 'crashed' || run.status === 'not-run' || run.status === 'interrupted';
}

/** The template run as it is (its `vary` lines do nothing, its blanks are not answered): every error, and every line that is not a blank and fails. */
async function templateProblems(t: Template): Promise<Located[]> {
  const runs = await runNotebook(asNotebook(t.cells), new Session());
  const problems: Located[] = [];
  runs.forEach((run, cell) => {
    if (run.status === 'crashed') problems.push(inCell(cell, t.cells[cell].source, { start: 0, end: 0 }, 'exercise-internal', { message: run.message }));
    if ('result' in run) for (const d of run.result.errors) if (d.severity === 'error') problems.push({ ...d, cell });
  });
  if (problems.length) return problems;
  for (const ref of checkLines(t.code)) {
    const line = checkTraces(runs[ref.cell])[ref.statement]?.lines[ref.at];
    const at = { start: ref.item.qStart, end: ref.item.qEnd };
    // A line check could not check (an unknown name, …) says why, as check does.
    if (line?.problem) problems.push(inCell(ref.cell, t.cells[ref.cell].source, at, line.problem.code as DiagnosticCode, line.problem.args));
    else if (line && !line.ok && !line.blank) problems.push(fixedLineFails(t, ref, undefined));
  }
  return problems;
}

function fixedLineFails(t: Template, ref: CheckRef, id: string | undefined): Located {
  const { item } = ref;
  return inCell(ref.cell, t.cells[ref.cell].source, item, 'exercise-fixed-line-fails', { quantity: item.quantity, written: item.value.text, ...(id ? { id } : {}) });
}

type Drawn = Variant | { problem: Located };

async function drawVariant(t: Template, seed: number, id: string, taken: ReadonlyMap<string, string>): Promise<Drawn> {
  const next = drawsFor(seed, id, t.varied);
  const count: Record<Degeneracy['reason'], number> = { kink: 0, saturated: 0, 'gradient-zero': 0, identical: 0 };
  const draws = t.varied.length ? MAX_DRAWS : 1;
  for (let d = 0; d < draws; d++) {
    const texts = next();
    if (taken.has(texts.join('\u0000'))) { count.identical++; continue; }
    const probe = await probeVariant(t, id, texts);
    if ('problem' in probe) return probe;
    if (probe.degenerate) { count[probe.degenerate.reason]++; continue; }
    return { id, texts, cells: probe.cells, blanks: probe.blanks };
  }
  const at = t.varyLines[0];
  const args = { id, draws, kink: count.kink, saturated: count.saturated, zero: count['gradient-zero'], identical: count.identical };
  return { problem: at ? inCell(at.cell, t.cells[at.cell].source, at.span, 'exercise-no-usable-draw', args) : inFile('exercise-no-usable-draw', args) };
}

type Probed = { cells: BpnbCellInput[]; blanks: Blank[]; degenerate?: Degeneracy } | { problem: Located };

/** The student's notebook for `texts`, run with every blank written as 0, and what it says. */
async function probeVariant(t: Template, id: string, texts: readonly string[]): Promise<Probed> {
  const cells = studentCells(t, texts);
  const code = parseCells(cells);
  const refs = checkLines(code);
  const templateRefs = checkLines(t.code);
  const zeros = new Map<number, Edit[]>();
  for (const r of refs) if (r.item.blank) listAt(zeros, r.cell).push({ ...spanOf(r), text: '0' });
  const runs = await runNotebook(asNotebook(editCells(cells, zeros)), new Session());
  const failed = runs.findIndex(runFailed);
  if (failed >= 0) return { problem: studentProblem(id, runs[failed]) };
  const blanks: Blank[] = [];
  const columns = new Map<string, number>();
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const trace = checkTraces(runs[ref.cell])[ref.statement];
    const line = trace.lines[ref.at];
    if (!ref.item.blank) {
      if (!line.ok) return { problem: fixedLineFails(t, templateRefs[i], id) };
      continue;
    }
    const seen = (columns.get(ref.item.quantity) ?? 0) + 1;
    columns.set(ref.item.quantity, seen);
    const net = exerciseNet(trace.network, code, ref.cell, trace.stepEpoch !== undefined);
    blanks.push({
      template: templateRefs[i], ref, column: seen > 1 ? `${ref.item.quantity} (${seen})` : ref.item.quantity, points: templateRefs[i].item.points ?? 1,
      key: quantityKey(ref.item.parsed, trace.network.sampleCount), samples: trace.network.sampleCount, exact: line.exact, digits: trace.digits, net, group: groupOf(trace, code, ref.cell),
    });
  }
  return { cells, blanks, degenerate: degeneracyOf(blanks) };
}

function spanOf(r: CheckRef): { start: number; end: number } {
  return { start: r.item.value.start, end: r.item.value.end };
}

function studentProblem(id: string, run: CellRun): Located {
  const detail = run.status === 'crashed' ? run.message
    : 'result' in run ? run.result.errors.filter((d) => d.severity === 'error').map(describeDiagnostic).join('; ') || 'interrupted'
      : 'a cell above failed';
  return inFile('exercise-student-fails', { id, detail });
}

function degeneracyOf(blanks: readonly Blank[]): Degeneracy | undefined {
  const groups = new Map(blanks.filter((b) => b.net).map((b) => [b.group, b.net!]));
  for (const net of groups.values()) {
    const unit = degenerateUnit(net);
    if (unit) return unit;
  }
  for (const b of blanks) {
    const zero = zeroGradient({ quantity: b.ref.item.quantity, parsed: b.ref.item.parsed, exact: b.exact, digits: b.digits });
    if (zero) return zero;
  }
  return undefined;
}

/** The last cell at or before `cell` that declares samples: the samples a check there uses. */
function sampleCell(code: readonly CodeCell[], cell: number): CodeCell | undefined {
  return code.filter((c) => c.index <= cell && c.parse.statements.some((s) => s.kind === 'sample' || s.kind === 'data')).pop();
}

function groupOf(trace: CheckTrace, code: readonly CodeCell[], cell: number): string {
  const n = trace.network;
  return JSON.stringify([n.params.map((p) => p.value), n.rate, n.loss, n.mode, trace.stepEpoch ?? null, sampleCell(code, cell)?.index ?? -1]);
}

/** The network a check evaluated at, with its samples in the network's order; undefined when the
 *  trace left parameters or neurons out, or the samples cannot be read back. `checksStep`: the
 *  check looked at the step just taken (its trace's `stepEpoch`). */
export function exerciseNet(network: NetworkInfo, code: readonly CodeCell[], cell: number, checksStep = false): ExerciseNet | undefined {
  const at = sampleCell(code, cell);
  const set = at ? collectSamples(at.source, at.parse.statements, []) : undefined;
  if (!set || set.count !== network.sampleCount || network.params.length < network.paramCount) return undefined;
  if (network.layers.some((l) => l.neurons.length < l.size)) return undefined;
  const column = (names: string[], of: string[]) => names.map((n) => of.indexOf(n));
  const ins = column(network.layers[0].neurons, set.inNames);
  const outs = column(network.layers[network.layers.length - 1].neurons, set.outNames);
  if ([...ins, ...outs].some((c) => c < 0)) return undefined;
  const ni = set.inNames.length;
  const no = set.outNames.length;
  const rows = Array.from({ length: set.count }, (_, k) => k);
  return {
    network, checksStep,
    inputs: rows.map((k) => ins.map((c) => set.inputs[k * ni + c])),
    targets: rows.map((k) => outs.map((c) => set.targets[k * no + c])),
  };
}
