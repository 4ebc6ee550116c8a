import * as assert from 'assert';
import { blocksToLatex, escapeLatex, latexDocument, notebookToLatex, safeMath, traceToLatex } from '../../../src/engine/present/latex';
import { Session } from '../../../src/engine/session';
import { DATA_TABLE_CELL } from '../fixtures';
import { batchStep, message, reluCheck, reluGradcheck, reluStep, reluTrain } from './fixtures';
import { assertMathTypesets } from './katex';

function balanced(tex: string): void {
  const envs: string[] = [];
  for (const m of tex.matchAll(/\\(begin|end)\{([a-z*]+)\}/g)) {
    if (m[1] === 'begin') envs.push(m[2]);
    else assert.strictEqual(envs.pop(), m[2], `\\end{${m[2]}} closes the wrong environment`);
  }
  assert.deepStrictEqual(envs, []);
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    if (tex[i] === '\\') { i++; continue; }
    if (tex[i] === '{') depth++;
    if (tex[i] === '}') depth--;
    assert.ok(depth >= 0, `unbalanced } at ${i}`);
  }
  assert.strictEqual(depth, 0);
}

describe('latex format', () => {
  it('writes a full worked solution document when traces are joined', () => {
    const doc = latexDocument([reluStep, batchStep, reluCheck, reluGradcheck, reluTrain], 'ReLU chain');
    assert.ok(doc.startsWith('\\documentclass'));
    assert.ok(doc.trimEnd().endsWith('\\end{document}'));
    assert.match(doc, /\\title\{ReLU chain\}/);
    assert.ok(doc.includes('&= -0.64 \\times 3 \\\\\n&= -1.92'), doc);
    assert.ok(doc.includes('w1 & $0.5$ & $-1.92$ & $-0.192$ & $0.5 - (-0.192) = 0.692$ \\\\'));
    assert.ok(doc.includes('$\\checkmark$'));
    balanced(doc);
  });

  it('writes only math that typesets (checked with KaTeX, which reads the same math)', () => {
    const doc = latexDocument([reluStep, batchStep, reluCheck, reluGradcheck, reluTrain]);
    const aligned = doc.replace(/\\begin\{align\*\}([\s\S]*?)\\end\{align\*\}/g, (_m, body: string) => `$$\\begin{aligned}${body}\\end{aligned}$$`);
    assert.ok(assertMathTypesets(aligned) > 20);
  });

  it('escapes user text so it cannot run TeX', () => {
    const tex = traceToLatex(message('\\input{/etc/passwd} $x$ 100% #1 a_b ^ ~ & {}'));
    assert.strictEqual(tex, '\\textbackslash{}input\\{/etc/passwd\\} \\$x\\$ 100\\% \\#1 a\\_b \\textasciicircum{} \\textasciitilde{} \\& \\{\\}');
    assert.strictEqual(escapeLatex('∂E ✓'), '$\\partial$E $\\checkmark$');
  });

  it('exports a notebook with verbatim code that cannot close its environment early', () => {
    const doc = notebookToLatex([
      { kind: 'markdown', source: '# Title\n\nSome *text* with **bold**, `code`, $ and %\n\n- one\n- two' },
      { kind: 'code', source: 'step\n\\end{verbatim}\\input{x}', traces: [reluStep] },
    ]);
    assert.match(doc, /\\section\*\{Title\}/);
    assert.ok(doc.includes('Some \\emph{text} with \\textbf{bold}, \\texttt{code}, \\$ and \\%'), doc);
    assert.ok(doc.includes('\\begin{itemize}\n  \\item one\n  \\item two\n\\end{itemize}'));
    assert.strictEqual(doc.split('\\end{verbatim}').length, 2);
    balanced(doc.replace(/\\begin\{verbatim\}[\s\S]*?\\end\{verbatim\}/g, ''));
  });

  it('keeps a student\'s math from Markdown cells only when it is harmless', () => {
    assert.strictEqual(safeMath('\\frac{\\partial E}{\\partial w_5} \\le 0.25'), '\\frac{\\partial E}{\\partial w_5} \\le 0.25');
    assert.strictEqual(safeMath('\\begin{cases} 1 \\\\ 0 \\end{cases}'), '\\begin{cases} 1 \\\\ 0 \\end{cases}');
    for (const bad of ['\\input{/etc/passwd}', '\\def\\x{1}', 'a}{b', '{a', '50%', '\\begin{verbatim}', '\\csname x\\endcsname']) {
      assert.strictEqual(safeMath(bad), undefined, bad);
    }
    const doc = notebookToLatex([{ kind: 'markdown', source: 'Rate $\\eta = 0.5$, but $\\input{/etc/passwd}$ and $$\\sigma\'(x)$$' }]);
    assert.ok(doc.includes('Rate $\\eta = 0.5$, but \\$\\textbackslash{}input\\{/etc/passwd\\}\\$ and \\[\\sigma\'(x)\\]'), doc);
  });

  it('lines a table up in one pdflatex run: a short one is a tabular, a long one a longtable of fixed widths', () => {
    const short = traceToLatex(reluGradcheck);
    assert.match(short, /\\begin\{center\}\n\\begin\{tabular\}\{lllll\}\n\\toprule/);
    assert.ok(!short.includes('longtable'));
    // longtable sets its head before it has seen the rows: natural-width (l) columns only line up
    // with the rows after a second run, fixed-width (p) columns at once.
    const rows = Array.from({ length: 50 }, (_, i) => ({ ...reluGradcheck.rows[0], name: `w${i + 1}` }));
    const long = traceToLatex({ ...reluGradcheck, rows });
    const spec = /\\begin\{longtable\}\{(.*)\}\n/.exec(long)?.[1];
    assert.ok(spec, long);
    assert.match(spec, /^(>\{\\raggedright\\arraybackslash\}p\{\d+\.\d+em\})+$/);
    assert.strictEqual(spec.split('p{').length - 1, 5);
    balanced(long);
    // Few rows can be long too, when their cells wrap over many lines.
    const wrapped = blocksToLatex([{ k: 'table', head: [['A'], ['B']], rows: Array.from({ length: 6 }, () => [['a'.repeat(300)], ['b'.repeat(300)]]) }]);
    assert.match(wrapped, /\\begin\{longtable\}/);
  });

  it('shares a wide table\'s width so a short column keeps what it needs and the rest split evenly', () => {
    // Estimated widths of text (0.55 em a character, 1.5 em of gap): 11.4, 56.5 and 56.5 em of the page's 48.
    const tex = blocksToLatex([{ k: 'table', head: [['A'], ['B'], ['C']], rows: [[['a'.repeat(18)], ['b'.repeat(100)], ['c'.repeat(100)]]] }]);
    const widths = [...tex.matchAll(/p\{([\d.]+)em\}/g)].map((m) => Number(m[1]));
    // A gets what it needs, 11.4 − 1.5; B and C share the other 36.6: 18.3 − 1.5 each.
    assert.deepStrictEqual(widths, [9.9, 16.8, 16.8]);
  });

  it('estimates a formula\'s width as typeset: a fraction takes the width of its wider part', () => {
    // ∂out_h1/∂net_h1 = 1 is twenty characters of plain text but a small fraction on the page: in the
    // backward table of the data table with linear units that column stays narrow, and the long
    // ∂E/∂out column gets the room.
    const session = new Session();
    session.runSync(DATA_TABLE_CELL.replace('relu', 'linear'));
    const tex = traceToLatex(session.runSync('step').traces[0]);
    const p = '>\\{\\\\raggedright\\\\arraybackslash\\}p\\{([\\d.]+)em\\}';
    const m = new RegExp(`\\\\begin\\{tabular\\}\\{ll${p}l${p}\\}\\n\\\\toprule\\nSample & Neuron & \\$\\\\partial\\$E`).exec(tex);
    assert.ok(m, tex);
    assert.ok(Number(m[1]) > Number(m[2]), m[0]);
  });

  it('reads a Markdown list whose items run over several lines, and a heading with text under it', () => {
    const doc = notebookToLatex([{ kind: 'markdown', source: '## Steps\nRun them in order:\n1. the network,\n   written once;\n2. `step`: every factor\nof the chain rule\n- a point' }]);
    assert.ok(doc.includes('\\subsection*{Steps}\n\nRun them in order:\n\n\\begin{enumerate}\n  \\item the network, written once;\n  \\item \\texttt{step}: every factor of the chain rule\n\\end{enumerate}\n\n\\begin{itemize}\n  \\item a point\n\\end{itemize}'), doc);
  });
});

