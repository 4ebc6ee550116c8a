/**
 * `bpnb grade DIR --template TEMPLATE.bpnb --roster ROSTER.csv [--seed S] [--csv FILE]
 * [--feedback DIR2] [--answers]`: grades each submission `DIR/ID.bpnb` (engine/exercise/grade.ts),
 * writes the grades as CSV (default `DIR/grades.csv`) and each student's feedback as Markdown
 * (default `DIR/feedback/ID.md`). Exit 0 whatever the marks; 2 on an error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gradeExercise, type Submission } from '../engine/exercise/grade';
import { feedbackMarkdown, gradesCsv } from '../engine/exercise/report';
import type { GradeArgs } from './args';
import { readExercise, reportProblems } from './exercise';
import { readFile } from './read';
import type { Terminal } from './terminal';

function submission(path: string): Submission {
  const bytes = readFile(path);
  if (typeof bytes !== 'string') return { bytes };
  return bytes === 'no such file' ? { missing: true } : { unreadable: bytes };
}

export async function runGrade(args: GradeArgs, terminal: Terminal): Promise<number> {
  const read = readExercise(args.template, args.roster, terminal);
  if (typeof read === 'number') return read;
  const readSubmission = (id: string) => Promise.resolve(submission(join(args.dir, `${id}.bpnb`)));
  const { grades, problems } = await gradeExercise(read.doc, read.ids, args.seed, readSubmission);
  if (!grades) return reportProblems(args.template, read.doc, problems, terminal);
  const csv = args.csv ?? join(args.dir, 'grades.csv');
  const feedback = args.feedback ?? join(args.dir, 'feedback');
  try {
    mkdirSync(dirname(csv), { recursive: true });
    writeFileSync(csv, gradesCsv(grades));
    mkdirSync(feedback, { recursive: true });
    for (const g of grades.grades) writeFileSync(join(feedback, `${g.id}.md`), feedbackMarkdown(g, args.answers));
  } catch (e) {
    terminal.err(`cannot write the grades: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const missing = grades.grades.filter((g) => g.status !== 'graded').length;
  terminal.out(`graded ${grades.grades.length - missing} of ${grades.grades.length} submissions: ${csv}, feedback in ${feedback}\n`);
  return 0;
}
