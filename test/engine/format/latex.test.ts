import * as assert from 'assert';
import { escapeLatex, latexDocument, notebookToLatex, safeMath, traceToLatex } from '../../../src/engine/format/latex';
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
    assert.ok(doc.includes('&= \\left(-0.8 \\times 1 \\times 0.8\\right) \\times 1 \\times 3 \\\\\n&= -1.92'));
    assert.ok(doc.includes('w1 & $0.5$ & $-1.92$ & $-0.192$ & $0.5 - \\left(-0.192\\right) = 0.692$ \\\\'));
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
});
