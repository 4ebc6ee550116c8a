/**
 * `bpnb grade`: each student's submission against their own exercise. The student's numbers are
 * drawn again (prepare.ts) and the submission must still declare them (and every other number the
 * exercise gave); otherwise it is "numbers changed" and scores 0. Then every line that was a blank
 * is graded, with its weight (`[2 points]`, default 1):
 * - right: by check's tolerance rule — the exact value within half a unit of the last digit written
 *   (or the template's `check within TOL`); with the half-unit rule an answer must also have a
 *   significant digit, i.e. its half unit is smaller than the exact value (`0` for 0.00044 is not one);
 * - error carried forward: wrong, but within the same tolerance of the value that follows from the
 *   student's own earlier answers (checked at the same weights) — their wrong ones, or their
 *   rounding carried on — recomputed by carried.ts;
 * - wrong (with the slip the engine's `check` names), or unanswered (still `?`, or no such line).
 * The exact values are the exercise's own, never what the submission's cells compute, so editing a
 * submission's cells changes nothing but the "numbers changed" verdict.
 */
import { readBpnb, type BpnbDocument } from '../file/bpnb';
import { quantityKey } from '../commands/quantities';
import { withinTolerance } from '../language/numbers';
import type { CheckItem } from '../language/syntax';
import { runNotebook } from '../notebook';
import { Session } from '../session';
import type { CheckTrace } from '../trace/schema';
import { Carried } from './carried';
import { checkLines, declarations, parseCells, type CheckRef } from './declarations';
import { prepareExercise, type Blank, type Variant } from './prepare';
import type { Located } from './problems';
import { editCells, listAt, type Edit } from './variant';

export type Verdict = 'right' | 'ecf' | 'wrong' | 'unanswered';

export interface LineGrade {
  blank: Blank;
  verdict: Verdict;
  /** The answer as written. */
  written?: string;
  value?: number;
  earned: number;
  /** Error carried forward: the earlier answers it follows from. */
  from?: { quantity: string; written: string }[];
  /** Wrong: the slip the engine's check names (it may hold exact values). */
  diagnosis?: string;
  /** Within the half-unit rule only because too few digits were written. */
  imprecise?: boolean;
}

export type Status = 'graded' | 'missing' | 'numbers-changed' | 'unreadable';

export interface StudentGrade {
  id: string;
  status: Status;
  points: number;
  max: number;
  lines: LineGrade[];
  /** numbers-changed: the first number that differs; unreadable: why. */
  changed?: { name: string; expected: number; found?: number };
  reason?: string;
}

export type Submission = { bytes: Uint8Array } | { missing: true } | { unreadable: string };

export interface Grades { columns: string[]; grades: StudentGrade[] }

export async function gradeExercise(
  doc: BpnbDocument, ids: readonly string[], seed: number, read: (id: string) => Promise<Submission>,
): Promise<{ grades?: Grades; problems: Located[] }> {
  const { prepared, problems } = await prepareExercise(doc, ids, seed);
  if (!prepared) return { problems };
  const grades: StudentGrade[] = [];
  for (const v of prepared.variants) grades.push(await gradeStudent(v, await read(v.id)));
  return { grades: { columns: prepared.variants[0]?.blanks.map((b) => b.column) ?? [], grades }, problems: [] };
}

export async function gradeStudent(v: Variant, submission: Submission): Promise<StudentGrade> {
  const max = v.blanks.reduce((s, b) => s + b.points, 0);
  const ungraded = (status: Status, more: Partial<StudentGrade> = {}): StudentGrade => ({ id: v.id, status, points: 0, max, lines: [], ...more });
  if ('missing' in submission) return ungraded('missing');
  if ('unreadable' in submission) return ungraded('unreadable', { reason: submission.unreadable });
  const doc = readBpnb(submission.bytes);
  if (doc.error) return ungraded('unreadable', { reason: `more than ${String(doc.error.args.max)} ${doc.error.code === 'file-too-many-lines' ? 'lines' : 'cells'}` });
  const code = parseCells(doc.cells);
  const changed = changedNumber(v, code);
  if (changed) return ungraded('numbers-changed', { changed });
  const lines = gradeLines(v.blanks, answersFor(v.blanks, checkLines(code)));
  await addDiagnoses(v, lines);
  return { id: v.id, status: 'graded', points: lines.reduce((s, l) => s + l.earned, 0), max, lines };
}

/** The first number the exercise gave that the submission no longer declares. */
function changedNumber(v: Variant, code: ReturnType<typeof parseCells>): StudentGrade['changed'] {
  const expected = declarations(parseCells(v.cells)).numbers;
  const found = declarations(code).numbers;
  for (const [name, e] of expected) {
    const f = found.get(name);
    if (!f || !(Math.abs(f.value - e.value) <= 1e-12 * Math.max(1, Math.abs(e.value)))) return { name, expected: e.value, ...(f ? { found: f.value } : {}) };
  }
  return found.has('rate') && !expected.has('rate') ? { name: 'rate', expected: NaN, found: found.get('rate')!.value } : undefined;
}

/** Each blank's answer: the submission's line of the same quantity, the n-th for the n-th time it is asked. */
function answersFor(blanks: readonly Blank[], refs: readonly CheckRef[]): (CheckItem | undefined)[] {
  // Keys depend on the batch (the batch rule): one table per batch size.
  const tables = new Map<number, Map<string, CheckItem[]>>();
  const table = (samples: number) => {
    let t = tables.get(samples);
    if (!t) {
      tables.set(samples, (t = new Map()));
      for (const r of refs) listAt(t, quantityKey(r.item.parsed, samples)).push(r.item);
    }
    return t;
  };
  const asked = new Map<string, number>();
  return blanks.map((b) => {
    const n = asked.get(b.key) ?? 0;
    asked.set(b.key, n + 1);
    const item = table(b.samples).get(b.key)?.[n];
    return item && !item.blank ? item : undefined;
  });
}

function gradeLines(blanks: readonly Blank[], answers: readonly (CheckItem | undefined)[]): LineGrade[] {
  const lines: LineGrade[] = [];
  blanks.forEach((blank, i) => {
    const a = answers[i];
    if (!a) { lines.push({ blank, verdict: 'unanswered', earned: 0 }); return; }
    const tolerance = blank.template.within ?? a.value.halfUnit;
    const counts = (exact: number) => withinTolerance(a.value.value, exact, tolerance) && (blank.template.within !== undefined || tolerance < Math.abs(exact) || exact === 0);
    const line: LineGrade = { blank, verdict: 'wrong', written: a.value.text, value: a.value.value, earned: 0 };
    if (counts(blank.exact)) line.verdict = 'right';
    else if (withinTolerance(a.value.value, blank.exact, tolerance)) line.imprecise = true;
    else {
      const from = carriedFrom(blank, lines.filter((l) => l.blank.group === blank.group), counts);
      if (from) { line.verdict = 'ecf'; line.from = from; }
    }
    if (line.verdict !== 'wrong') line.earned = blank.points;
    lines.push(line);
  });
  return lines;
}

/**
 * The earlier answers a wrong one follows from, if it does: recomputed with the earlier wrong
 * answers in place of the exact values, then with every earlier answer in place (a value rounded
 * coarsely, yet within its tolerance, carries its rounding on); only a value that uses one of
 * them counts.
 */
function carriedFrom(blank: Blank, earlier: readonly LineGrade[], counts: (v: number) => boolean): LineGrade['from'] {
  if (!blank.net) return undefined;
  const answered = earlier.filter((l) => l.value !== undefined);
  const wrong = answered.filter((l) => l.verdict !== 'right');
  for (const pool of [wrong, answered]) {
    if (pool.length === 0) continue;
    const followed = new Carried(blank.net, new Map(pool.map((l) => [l.blank.key, l.value!]))).value(blank.ref.item.parsed);
    const used = pool.filter((l) => followed?.used.includes(l.blank.key));
    if (followed && used.length && counts(followed.value)) return used.map((l) => ({ quantity: l.blank.ref.item.quantity, written: l.written! }));
  }
  return undefined;
}

/** The slip of each wrong line, as the engine's check names it: the student's notebook run with
 *  their answers written in the blanks. */
async function addDiagnoses(v: Variant, lines: LineGrade[]): Promise<void> {
  if (!lines.some((l) => l.verdict === 'wrong' && !l.imprecise)) return;
  const edits = new Map<number, Edit[]>();
  for (const l of lines) {
    if (l.written === undefined) continue;
    const { cell, item } = l.blank.ref;
    listAt(edits, cell).push({ start: item.value.start, end: item.value.end, text: l.written });
  }
  const cells = editCells(v.cells, edits);
  const runs = await runNotebook(cells.map((c) => ({ kind: c.kind, source: c.source })), new Session());
  for (const l of lines) {
    if (l.verdict !== 'wrong' || l.imprecise) continue;
    const run = runs[l.blank.ref.cell];
    const trace = run && 'result' in run ? run.result.traces.filter((t): t is CheckTrace => t.kind === 'check')[l.blank.ref.statement] : undefined;
    const diagnosis = trace?.lines[l.blank.ref.at]?.diagnosis;
    if (diagnosis) l.diagnosis = diagnosis;
  }
}
