/**
 * Grading (exercise/grade.ts, report.ts) of synthetic submissions of the 2-2-2 exercise without
 * `vary` (every student has Mazur's published numbers: out(o1) = 0.75136507, E = 0.298371109,
 * ∂E/∂out(o1) = 0.74136507, ∂E/∂w5 = 0.082167041, w5' = 0.35891648, ∂E/∂w7 = −0.02260254 so
 * w7' = 0.51130127): right, wrong, carried forward, unanswered, numbers changed, missing.
 */
import * as assert from 'assert';
import { gradeExercise, type Submission } from '../../../src/engine/exercise/grade';
import { makeExercise } from '../../../src/engine/exercise/make';
import { feedbackMarkdown, gradesCsv, gradesSummary, masked } from '../../../src/engine/exercise/report';
import { MAZUR_CELL } from '../fixtures';
import { doc } from './helpers';

const TEMPLATE = `%% markdown
# Exercise

%%
${MAZUR_CELL}
%%
check
  out(o1)     = ?
  E           = ?
  dE/dout(o1) = ?
  dE/dw5      = ?  [2 points]
  w5'         = ?
  w7'         = ?
`;

const IDS = ['right', 'ecf', 'rounded', 'wrong', 'blank', 'changed', 'missing'];

/** The student's notebook with the answers filled in (quantity → text as written). */
const answer = (notebook: string, answers: Record<string, string>) =>
  notebook.replace(/^ {2}(\S+)(\s+)= \?/gm, (line, q: string, pad: string) => (q in answers ? `  ${q}${pad}= ${answers[q]}` : line));

async function grade(answers = false) {
  const template = doc(TEMPLATE);
  const { files } = await makeExercise(template, IDS, 1);
  const notebook = new TextDecoder().decode(files!.find((f) => f.path === 'right.bpnb')!.bytes);
  const right = { 'out(o1)': '0.75137', E: '0.29837', 'dE/dout(o1)': '0.74137', 'dE/dw5': '0.08217', "w5'": '0.35892', "w7'": '0.5113' };
  const submissions: Record<string, string> = {
    right: answer(notebook, right),
    // out(o1) = 0.80 is wrong (±0.005); what follows from it, by hand: E = ½(0.01 − 0.8)² + ½(0.99 − 0.772928465)² = 0.33561,
    // ∂E/∂out(o1) = 0.8 − 0.01 = 0.79, ∂E/∂w5 = 0.79 · 0.8(1 − 0.8) · 0.593269992 = 0.0749893, w5' = 0.4 − 0.5 · 0.0749893 = 0.362505.
    ecf: answer(notebook, { 'out(o1)': '0.80', E: '0.3356', 'dE/dout(o1)': '0.79', 'dE/dw5': '0,07499', "w5'": '0.3625', "w7'": '0.5113' }),
    // out(o1) = 0.8 is right (±0.05), and E = 0.3356 follows from it: its rounding carried on.
    rounded: answer(notebook, { 'out(o1)': '0.8', E: '0.3356' }),
    // 0 for E has no significant digit (±0.5); a sign flipped; w5' neither right nor from the student's own ∂E/∂w5.
    wrong: answer(notebook, { 'out(o1)': '0.9', E: '0', 'dE/dout(o1)': '-0.74137', 'dE/dw5': '0.08217', "w5'": '0.3' }),
    blank: notebook,
    changed: answer(notebook, right).replace('w1  i1 -> h1 = 0.15', 'w1  i1 -> h1 = 0.2'),
  };
  const read = async (id: string): Promise<Submission> => (id in submissions ? { bytes: new TextEncoder().encode(submissions[id]) } : { missing: true });
  const { grades, problems } = await gradeExercise(template, IDS, 1, read);
  assert.deepStrictEqual(problems, []);
  return { grades: grades!, feedback: (id: string) => feedbackMarkdown(grades!.grades.find((g) => g.id === id)!, answers) };
}

describe('exercises: grading', () => {
  it('carries a wrong gradient through momentum on the step just taken: w5\' and v(w5) earn ecf', async () => {
    // Two steps under momentum 0.9; the check looks at the second. By hand from the student's wrong
    // ∂E/∂w5 = 0.07: v = 0.9 × 0.082167041 + 0.07 = 0.14395, w5' = 0.35891648 − 0.5 × 0.14395 = 0.28694.
    const template = doc(`%%\n${MAZUR_CELL}\n%%\noptimizer momentum 0.9\n%%\nstep\n%%\nstep\n%%\ncheck\n  dE/dw5 = ?\n  w5'    = ?\n  v(w5)  = ?\n`);
    const { files } = await makeExercise(template, ['s'], 1);
    const notebook = new TextDecoder().decode(files!.find((f) => f.path === 's.bpnb')!.bytes);
    const read = async (): Promise<Submission> => ({ bytes: new TextEncoder().encode(answer(notebook, { 'dE/dw5': '0.07', "w5'": '0.28694', 'v(w5)': '0.14395' })) });
    const { grades, problems } = await gradeExercise(template, ['s'], 1, read);
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(grades!.grades[0].lines.map((l) => l.verdict), ['wrong', 'ecf', 'ecf']);
  });

  it('writes the expected CSV: right, carried forward, wrong, unanswered, numbers changed, missing', async () => {
    const { grades } = await grade();
    assert.strictEqual(gradesCsv(grades), [
      "id,points,max,out(o1),E,dE/dout(o1),dE/dw5,w5',w7',note",
      'right,7,7,1,1,1,1,1,1,',
      'ecf,6,7,0,ecf,ecf,ecf,ecf,1,',
      'rounded,2,7,1,ecf,,,,,',
      'wrong,2,7,0,0,0,1,0,,',
      'blank,0,7,,,,,,,',
      'changed,0,7,,,,,,,"numbers changed: w1 is 0.2 in the notebook, the exercise gave 0.15"',
      'missing,0,7,,,,,,,missing',
      '',
    ].join('\r\n'));
  });

  it('feedback names each verdict and the slip, without the exact values', async () => {
    const { feedback } = await grade();
    const ecf = feedback('ecf');
    assert.match(ecf, /\*\*6 of 7 points\.\*\*/);
    assert.match(ecf, /\*\*dE/);
    assert.match(ecf, /E\*\* = 0\.3356 — ✓ error carried forward: it follows from your out\(o1\) = 0\.80\. \(1 of 1 point\)/);
    assert.match(ecf, /= 0,07499 — ✓ error carried forward: it follows from your out\(o1\) = 0\.80, dE\/dout\(o1\) = 0\.79\. \(2 of 2 points\)/);
    const wrong = feedback('wrong');
    assert.match(wrong, /dE\/dout\(o1\)\*\* = -0\.74137 — ✗ wrong: sign flipped/);
    assert.match(wrong, /E\*\* = 0 — ✗ too few digits/);
    assert.match(wrong, /w7'\*\* — not answered\. \(0 of 1 point\)/);
    for (const f of [ecf, wrong]) for (const exact of ['0.751365', '0.298371', '0.741365', '0.082167', '0.358916', '0.511301']) assert.ok(!f.includes(exact), `${exact} in\n${f}`);
    assert.match(feedback('rounded'), /E\*\* = 0\.3356 — ✓ error carried forward: it follows from your out\(o1\) = 0\.8\./);
    assert.match(feedback('missing'), /No submission was found\. It scores 0 of 7 points\./);
    assert.match(feedback('changed'), /Numbers changed: w1 is 0\.2 in the notebook, the exercise gave 0\.15\./);
  });

  it('feedback with --answers gives the exact values', async () => {
    const { feedback } = await grade(true);
    const wrong = feedback('wrong');
    assert.match(wrong, /0\.751365/);
    assert.match(wrong, /w7'\*\* — not answered\. The exact value is 0\.511301\./);
  });

  it('the summary counts each line\'s verdicts', async () => {
    const { grades } = await grade();
    const summary = gradesSummary(grades);
    assert.match(summary, /^# Grades: 7 students$/m);
    assert.match(summary, /^5 graded, mean 3\.4 of 7 points\.$/m);
    assert.match(summary, /^\| E \| 1 \| 2 \| 1 \| 1 \|$/m);
    assert.match(summary, /^- missing: missing$/m);
  });

  it('masks every decimal number the student did not write, and the clauses that only gave the exact value', () => {
    assert.strictEqual(masked('sign flipped: the exact value is 0.741365 — ∂E/∂out(o1) …', [-0.74137]), 'sign flipped — ∂E/∂out(o1) …');
    assert.strictEqual(masked('follows from the wrong factor you wrote, dout(o1)/dnet(o1) = 12.154 (exact 0.186816); with w5 and 2 kept', [12.154]),
      'follows from the wrong factor you wrote, dout(o1)/dnet(o1) = 12.154; with w5 and 2 kept');
    assert.strictEqual(masked('1.5e-5 and 0,25', []), '… and …');
  });
});
