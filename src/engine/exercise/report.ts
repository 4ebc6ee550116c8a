/**
 * Grades as the teacher reads them: the CSV (`id,points,max`, one column per graded line named by
 * its quantity, then `note`), each student's feedback in Markdown, and a summary of the class.
 * A line's column holds `1` (right), `ecf` (error carried forward: full points), `0` (wrong) or
 * nothing (unanswered); `points` adds the weights of the lines that count.
 *
 * Feedback says each line's verdict and the slip named, but never an exact value unless `answers`
 * is asked for: in the slip's words every decimal number the student did not write is masked.
 */
import { formatNumber } from '../language/numbers';
import { escapeMarkdown } from '../present/markdown';
import { writeCsv } from './csv';
import type { Grades, LineGrade, StudentGrade, Verdict } from './grade';

const CELL: Record<Verdict, string> = { right: '1', ecf: 'ecf', wrong: '0', unanswered: '' };

/** Points as a number a spreadsheet reads: 3, 2.5. */
export const points = (x: number): string => String(Number(x.toFixed(6)));

export function noteOf(g: StudentGrade): string {
  switch (g.status) {
    case 'graded': return '';
    case 'missing': return 'missing';
    case 'unreadable': return `unreadable: ${g.reason ?? ''}`;
    case 'numbers-changed': {
      const c = g.changed!;
      const found = c.found === undefined ? 'no longer declared' : `${formatNumber(c.found, 15)} in the notebook`;
      return `numbers changed: ${c.name} is ${found}, the exercise gave ${Number.isNaN(c.expected) ? 'none' : formatNumber(c.expected, 15)}`;
    }
  }
}

export function gradesCsv({ columns, grades }: Grades): string {
  const rows = grades.map((g) => [
    g.id, points(g.points), points(g.max), ...columns.map((_, i) => (g.lines[i] ? CELL[g.lines[i].verdict] : '')), noteOf(g),
  ]);
  return writeCsv([['id', 'points', 'max', ...columns, 'note'], ...rows]);
}

/** Decimal numbers in a sentence (not the digits of names such as w5 or o1). */
const DECIMAL = /(?<![\w.])[-−]?(?:\d+[.,]\d+(?:e[-−+]?\d+)?|\d+e[-−+]?\d+)(?![\w.])/g;

/** The slip's words with every decimal number the student did not write masked, and the clauses
 *  that said no more than the exact value left out. */
export function masked(text: string, own: readonly number[]): string {
  return text.replace(DECIMAL, (m) => {
    const v = Number(m.replace(',', '.').replace('−', '-'));
    return own.some((o) => Math.abs(o - v) <= 1e-9 * Math.max(1, Math.abs(o))) ? m : '…';
  }).replace(/:?\s*the exact value is …/g, '').replace(/\s*\(exact …\)/g, '').trim();
}

function verdictText(l: LineGrade, own: readonly number[], answers: boolean): string {
  const exact = answers && l.verdict !== 'right' ? ` The exact value is ${formatNumber(l.blank.exact, l.blank.digits)}.` : '';
  switch (l.verdict) {
    case 'right': return '✓ right.';
    case 'ecf': return `✓ error carried forward: it follows from your ${l.from!.map((f) => `${f.quantity} = ${f.written}`).join(', ')}.${exact}`;
    case 'unanswered': return `not answered.${exact}`;
    case 'wrong': {
      if (l.imprecise) return `✗ too few digits: write the value to at least its first significant digit.${exact}`;
      const slip = l.diagnosis ? (answers ? l.diagnosis : masked(l.diagnosis, own)) : '';
      const told = /the exact value is/i.test(slip) ? '' : exact;
      return slip ? `✗ wrong: ${slip.replace(/[^.!?]$/, '$&.')}${told}` : `✗ wrong.${exact}`;
    }
  }
}

const plural = (n: number, word: string) => `${points(n)} ${word}${n === 1 ? '' : 's'}`;

/** One student's feedback as Markdown. */
export function feedbackMarkdown(g: StudentGrade, answers = false): string {
  const head = `# Feedback: ${escapeMarkdown(g.id)}`;
  if (g.status !== 'graded') {
    const why = g.status === 'missing' ? 'No submission was found.' : `${noteOf(g).replace(/^./, (c) => c.toUpperCase())}.`;
    return `${head}\n\n${escapeMarkdown(why)} It scores 0 of ${points(g.max)} points.\n`;
  }
  const own = g.lines.flatMap((l) => (l.value === undefined ? [] : [l.value]));
  const items = g.lines.map((l) => {
    const q = escapeMarkdown(l.blank.ref.item.quantity, false);
    const written = l.written === undefined ? '' : ` = ${escapeMarkdown(l.written, false)}`;
    return `- **${q}**${written} — ${escapeMarkdown(verdictText(l, own, answers), false)} (${points(l.earned)} of ${plural(l.blank.points, 'point')})`;
  });
  return `${head}\n\n**${points(g.points)} of ${plural(g.max, 'point')}.**\n\n${items.join('\n')}\n`;
}

/** The class at a glance: how many got each line right, carried an error, got it wrong or left it. */
export function gradesSummary({ columns, grades }: Grades): string {
  const graded = grades.filter((g) => g.status === 'graded');
  const mean = graded.length ? graded.reduce((s, g) => s + g.points, 0) / graded.length : 0;
  const count = (i: number, v: Verdict) => graded.filter((g) => g.lines[i]?.verdict === v).length;
  const rows = columns.map((c, i) => `| ${escapeMarkdown(c, false)} | ${count(i, 'right')} | ${count(i, 'ecf')} | ${count(i, 'wrong')} | ${count(i, 'unanswered')} |`);
  const others = grades.filter((g) => g.status !== 'graded').map((g) => `- ${escapeMarkdown(g.id, false)}: ${escapeMarkdown(noteOf(g), false)}`);
  return [
    `# Grades: ${grades.length} student${grades.length === 1 ? '' : 's'}`,
    `${graded.length} graded, mean ${points(Number(mean.toFixed(2)))} of ${points(grades[0]?.max ?? 0)} points.`,
    ['| Line | right | ecf | wrong | unanswered |', '| --- | --- | --- | --- | --- |', ...rows].join('\n'),
    ...(others.length ? ['Not graded:', others.join('\n')] : []),
  ].join('\n\n') + '\n';
}
