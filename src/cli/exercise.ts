/**
 * `bpnb exercise TEMPLATE.bpnb --roster ROSTER.csv --out DIR [--seed S]`: writes each student's
 * notebook `DIR/ID.bpnb`, its answer key `DIR/key/ID.bpnb` and worked solution `DIR/key/ID.md`
 * (engine/exercise/make.ts makes them). Exit 0, or 2 with `FILE:LINE:COL: message` on stderr.
 *
 * A student's notebook already in DIR is never overwritten with other bytes: it may be their
 * submission. The keys are written again whatever is there.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readBpnb, type BpnbDocument } from '../engine/file/bpnb';
import { makeExercise } from '../engine/exercise/make';
import { describeProblem, type Located } from '../engine/exercise/problems';
import { readRoster } from '../engine/exercise/roster';
import { messageOf } from '../engine/semantics/messages';
import type { ExerciseArgs } from './args';
import { readFile } from './read';
import type { Terminal } from './terminal';

/** The template and the roster's ids, or the exit status after saying what is wrong. */
export function readExercise(template: string, roster: string, terminal: Terminal): { doc: BpnbDocument; ids: string[] } | number {
  const t = readFile(template);
  if (typeof t === 'string') { terminal.err(`${template}: cannot read: ${t}\n`); return 2; }
  const r = readFile(roster);
  if (typeof r === 'string') { terminal.err(`${roster}: cannot read: ${r}\n`); return 2; }
  const { ids, errors } = readRoster(new TextDecoder().decode(r));
  for (const d of errors) terminal.err(`${roster}:${d.line}:${d.column}: ${messageOf(d)}\n`);
  return errors.length ? 2 : { doc: readBpnb(t), ids };
}

export function reportProblems(file: string, doc: BpnbDocument, problems: readonly Located[], terminal: Terminal): number {
  for (const p of problems) terminal.err(`${describeProblem(file, p, doc.cells)}\n`);
  return 2;
}

export async function runExercise(args: ExerciseArgs, terminal: Terminal): Promise<number> {
  const read = readExercise(args.template, args.roster, terminal);
  if (typeof read === 'number') return read;
  const { files, problems } = await makeExercise(read.doc, read.ids, args.seed);
  if (!files) return reportProblems(args.template, read.doc, problems, terminal);
  const clash = files.find((f) => !f.path.includes('/') && existsSync(join(args.out, f.path)) && !same(readFileSync(join(args.out, f.path)), f.bytes));
  if (clash) {
    terminal.err(`${join(args.out, clash.path)}: exists with other contents (a submission?): nothing was written; use another --out folder or remove it\n`);
    return 2;
  }
  try {
    for (const f of files) {
      const path = join(args.out, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.bytes);
    }
  } catch (e) {
    terminal.err(`${args.out}: cannot write: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  terminal.out(`wrote ${read.ids.length} student notebook${read.ids.length === 1 ? '' : 's'} to ${args.out}, their answer keys and worked solutions to ${join(args.out, 'key')}\n`);
  return 0;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
