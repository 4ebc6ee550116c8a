/**
 * An exercise template: an ordinary notebook with `vary` lines (the numbers drawn for each student)
 * and blanks `QUANTITY = ?` in its `check` blocks (what the student fills in). Reading one checks
 * what the exercise needs beyond a notebook that runs: every name a `vary` line draws is declared
 * once (a weight or bias of the one network cell, the one `rate` line or none, a value of the one
 * cell of samples), no number is drawn twice, and there is at least one blank.
 */
import type { BpnbCell, BpnbDocument, BpnbFileFormat } from '../file/bpnb';
import { nearestName } from '../language/names';
import { varyGrid, type VaryGrid } from '../language/statements/vary';
import type { Span, VaryTarget } from '../language/syntax';
import { checkLines, declarations, MAX_EXERCISE_SAMPLES, parseCells, sampleKey, type CheckRef, type CodeCell, type Declarations } from './declarations';
import { inCell, inFile, type Located } from './problems';

/** One number drawn for each student. */
export interface Varied {
  /** As `declarations` names it: `w1`, `rate`, `i1[1]`. */
  key: string;
  grid: VaryGrid;
}

export interface VaryLine {
  cell: number;
  /** The whole statement (the line without its comment). */
  span: Span;
  varies: string[];
}

export interface Template {
  cells: readonly BpnbCell[];
  format: BpnbFileFormat;
  code: CodeCell[];
  decl: Declarations;
  varied: Varied[];
  varyLines: VaryLine[];
  /** The blanks, in the order of the file. */
  blanks: CheckRef[];
}

export function readTemplate(doc: BpnbDocument): { template?: Template; problems: Located[] } {
  if (doc.error) return { problems: [inFile(doc.error.code, doc.error.args, doc.error.line)] };
  const code = parseCells(doc.cells);
  const parseErrors = code.flatMap((c) => c.parse.errors.map((d): Located => ({ ...d, cell: c.index })));
  if (parseErrors.length) return { problems: parseErrors };
  const decl = declarations(code);
  const problems: Located[] = [];
  const varied: Varied[] = [];
  const varyLines: VaryLine[] = [];
  const seen = new Set<string>();
  for (const c of code) {
    for (const s of c.parse.statements) {
      if (s.kind !== 'vary') continue;
      const grid = varyGrid(s.from, s.to, s.step);
      const keys: string[] = [];
      for (const t of s.targets) {
        const key = t.kind === 'rate' ? 'rate' : t.kind === 'sample' ? sampleKey(t.name, t.sample) : t.name;
        const problem = targetProblem(t, key, decl);
        if (problem) problems.push(inCell(c.index, c.source, t, problem.code, problem.args));
        else if (seen.has(key)) problems.push(inCell(c.index, c.source, t, 'vary-twice', { name: key }));
        else { seen.add(key); keys.push(key); varied.push({ key, grid }); }
      }
      varyLines.push({ cell: c.index, span: { start: s.start, end: s.end }, varies: keys });
    }
  }
  const blanks = checkLines(code).filter((r) => r.item.blank);
  if (blanks.length === 0) problems.push(inFile('exercise-no-blanks'));
  if (decl.tooManySamples) problems.push(inFile('exercise-too-many-samples', { max: MAX_EXERCISE_SAMPLES }));
  if (problems.length) return { problems };
  return { template: { cells: doc.cells, format: doc.format, code, decl, varied, varyLines, blanks }, problems };
}

type TargetProblem = { code: 'vary-unknown-param' | 'vary-unknown-sample-value' | 'exercise-one-network' | 'exercise-one-sample-cell' | 'exercise-one-rate'; args: Record<string, string | number> };

/** Why a `vary` target cannot be drawn, or undefined when it can. */
function targetProblem(t: VaryTarget, key: string, decl: Declarations): TargetProblem | undefined {
  if (t.kind === 'rate') return decl.rateLines > 1 ? { code: 'exercise-one-rate', args: { count: decl.rateLines } } : undefined;
  if (t.kind === 'sample') {
    if (decl.sampleCells.length !== 1) return { code: 'exercise-one-sample-cell', args: { count: decl.sampleCells.length } };
    return decl.numbers.has(key) ? undefined : { code: 'vary-unknown-sample-value', args: { name: t.name, sample: t.sample } };
  }
  if (decl.networkCells.length !== 1) return { code: 'exercise-one-network', args: { count: decl.networkCells.length } };
  const network = decl.networkCells[0];
  const params = [...decl.numbers].filter(([k, v]) => v.cell === network && k !== 'rate' && !k.includes('[')).map(([k]) => k);
  if (params.includes(key)) return undefined;
  const near = nearestName(key, params);
  return { code: 'vary-unknown-param', args: near ? { name: key, near } : { name: key } };
}
