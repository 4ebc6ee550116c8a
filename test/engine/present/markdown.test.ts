import * as assert from 'assert';
import { escapeMarkdown, notebookToMarkdown, traceToMarkdown } from '../../../src/engine/present/markdown';
import { batchStep, message, reluCheck, reluGradcheck, reluStep, reluTrain } from './fixtures';
import { assertMathTypesets } from './katex';

describe('markdown format', () => {
  it('typesets the chain rule with $…$ math', () => {
    const md = traceToMarkdown(reluStep);
    assert.ok(md.includes('\\frac{\\partial E}{\\partial w_{2}} &= \\frac{\\partial E}{\\partial \\mathit{out}_{y}} \\cdot \\frac{\\partial \\mathit{out}_{y}}{\\partial \\mathit{net}_{y}} \\cdot \\frac{\\partial \\mathit{net}_{y}}{\\partial w_{2}} \\\\\n&= -0.8 \\times 1.5 \\\\\n&= -1.2'), md);
    assert.match(md, /\| w1 \| \$0\.5\$ \| \$-1\.92\$ \| \$-0\.192\$ \| \$0\.5 - \(-0\.192\) = 0\.692\$ \|/);
  });

  it('writes only formulas KaTeX typesets', () => {
    for (const t of [reluStep, batchStep, reluCheck, reluGradcheck, reluTrain]) assert.ok(assertMathTypesets(traceToMarkdown(t)) > 0, t.kind);
  });

  it('keeps every table row to the header\'s column count', () => {
    const md = traceToMarkdown(reluCheck);
    const tables = md.split('\n\n').filter((b) => b.startsWith('|'));
    assert.ok(tables.length >= 2);
    for (const t of tables) {
      const rows = t.split('\n').map((r) => r.replace(/\\\|/g, '').split('|').length);
      assert.ok(rows.every((r) => r === rows[0]), t);
    }
  });

  it('escapes user text: no HTML, no math, no links, no table breaks', () => {
    const hostile = '<img src=x onerror=alert(1)> </script> $\\href{javascript:alert(1)}{x}$ | [a](javascript:b) *b* `c`';
    const md = traceToMarkdown(message(hostile));
    assert.ok(!md.includes('<'), md);
    assert.ok(!/(^|[^\\])\$/.test(md), md);
    assert.ok(!/(^|[^\\])[|[\]*`]/.test(md), md);
    const check = traceToMarkdown({ ...reluCheck, lines: [{ ...reluCheck.lines[0], writtenText: '1 | 2 <b>' }] });
    assert.ok(check.includes('1 \\| 2 &lt;b&gt;'));
  });

  it('lets nothing from a tampered trace into TeX', () => {
    const evil = '}\\href{javascript:alert(1)}{x}<img src=x onerror=alert(1)>';
    const step = JSON.parse(JSON.stringify(reluStep).replaceAll('"w1"', JSON.stringify(evil)).replaceAll('"sample":1', '"sample":"1}\\\\href{x}{y"'));
    const md = traceToMarkdown(step);
    // As text it is escaped (a literal backslash); inside math it must not appear at all.
    const math = [...md.replace(/\\\$/g, '').matchAll(/\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g)].map((m) => m[1] ?? m[2]);
    assert.ok(math.length > 10 && math.every((m) => !m.includes('\\href')), md);
    assert.ok(md.includes('\\\\href'));
    assert.ok(!md.includes('<img'), md);
    assertMathTypesets(md);
  });

  it('escapes Markdown line starts', () => {
    assert.strictEqual(escapeMarkdown('- a\n1. b\n# c'), '\\- a\n1\\. b\n\\# c');
  });

  it('leaves a number written in a table cell as written: no line starts there to escape', () => {
    const md = traceToMarkdown({ ...reluCheck, lines: [{ ...reluCheck.lines[0], quantity: 'E', writtenText: '0.32' }] });
    assert.match(md, /^\| 2 \| E \| 0\.32 \| \$0\.32\$ \|/m);
    assert.strictEqual(traceToMarkdown(message('1. not a list\n- nor this')), '1\\. not a list  \n\\- nor this');
  });

  it('exports a notebook: Markdown as written, code fenced, then its output', () => {
    const md = notebookToMarkdown([
      { kind: 'markdown', source: '# ReLU chain' },
      { kind: 'code', source: 'a ``` b\nstep', traces: [reluStep] },
    ]);
    assert.ok(md.startsWith('# ReLU chain\n\n````bpnb\na ``` b\nstep\n````\n\n## Step: epoch 1'));
  });
});
