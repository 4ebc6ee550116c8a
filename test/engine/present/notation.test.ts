import * as assert from 'assert';
import katex from 'katex';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alignedChain, mathEm, mathTex, mathText, nameForm, texName, texNumber, texRows } from '../../../src/engine/present/notation';
import { d, dot, E, eq, id, minus, net, num, out, paren, plus, sq, times } from '../../../src/engine/present/formula';

describe('formula printing', () => {
  it('puts negative factors and terms in parentheses, not "+ -"', () => {
    const m = eq(plus(times(num(0.741365, 6), num(0.4, 6)), times(num(-0.217072, 6), num(0.5, 6))), num(0.186, 6));
    assert.strictEqual(mathText(m), '0.741365 × 0.4 + (-0.217072 × 0.5) = 0.186');
    assert.strictEqual(mathText(times(num(2, 6), num(-3, 6))), '2 × (-3)');
    assert.strictEqual(mathText(minus(num(1, 6), plus(id('a'), id('b')))), '1 − (a + b)');
    assert.strictEqual(mathText(times(plus(id('a'), id('b')), id('c'))), '(a + b) × c');
  });

  it('rounds numbers to the given significant digits', () => {
    assert.strictEqual(mathText(num(0.082167041, 6)), '0.082167');
    assert.strictEqual(mathText(num(0.082167041, 3)), '0.0822');
    assert.strictEqual(texNumber(3.5e-7, 6), '3.5 \\times 10^{-7}');
  });

  it('spells names as TeX without letting anything else in', () => {
    assert.strictEqual(texName('w5'), 'w_{5}');
    assert.strictEqual(texName('out'), '\\mathit{out}');
    // A name of no documented form stays upright, as spelled.
    assert.strictEqual(texName('w_x_1_h1'), '\\mathrm{w\\_x\\_1\\_h1}');
    // Not a name (a tampered trace): kept as text, every TeX special escaped, so no macro can run.
    assert.strictEqual(texName('a}\\href{x'), '\\text{a\\}\\textbackslash{}href\\{x}');
    assert.strictEqual(texName('<img>'), '\\text{\\textless{}img\\textgreater{}}');
    // A neuron's name as a subscript is set flat: o1 at subscript size, not o with a half-size 1.
    assert.strictEqual(mathTex(d(E, out('o1'))), '\\frac{\\partial E}{\\partial \\mathit{out}_{o1}}');
  });

  it('typesets names by their spelling: Greek letters, a layer superscript, generated w_FROM_TO', () => {
    // docs/language.md, "How names are typeset".
    assert.strictEqual(texName('theta2_11'), '\\theta^{2}_{11}');
    assert.strictEqual(texName('w_h1_y'), 'w_{h1 \\to y}');
    assert.strictEqual(texName('w_x1_h1'), 'w_{x1 \\to h1}');
    assert.strictEqual(texName('h_2'), 'h_{2}');
    assert.strictEqual(texName('eta'), '\\eta');
    assert.strictEqual(texName('Delta3'), '\\Delta_{3}');
    assert.strictEqual(texName('bias1'), '\\mathit{bias}_{1}');
    assert.deepStrictEqual(nameForm('theta2_11'), { letters: 'theta', base: 'θ', greek: true, sup: '2', sub: ['11'] });
    assert.deepStrictEqual(nameForm('w_h1_y'), { letters: 'w', base: 'w', greek: false, sub: ['h1', 'y'] });
    assert.strictEqual(nameForm('a}b'), undefined);
    // Every form typesets, and the text printers keep the name as spelled.
    for (const n of ['theta2_11', 'w_h1_y', 'h_2', 'eta', 'Delta3', 'w_x_1_h1']) {
      assert.doesNotThrow(() => katex.renderToString(mathTex(d(E, id(n))), { throwOnError: true, strict: 'error' }), n);
      assert.strictEqual(mathText(id(n)), n);
    }
    assert.strictEqual(mathTex(out('theta2_11')), '\\mathit{out}_{\\theta^{2}_{11}}');
  });

  it('typesets names as docs/language.md says, example by example', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'language.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## How names are typeset'), doc.indexOf('## Declaring a network'));
    const rows = [...section.matchAll(/^\| `([^`]+)` \| (.+) \|$/gm)];
    assert.ok(rows.length >= 6, section);
    for (const [, name, said] of rows) {
      const form = nameForm(name);
      if (/as spelled/.test(said)) {
        assert.strictEqual(form, undefined, name);
        continue;
      }
      assert.ok(form, name);
      const written = [form.base.length > 1 ? `*${form.base}*` : form.base, form.sup && `superscript ${form.sup}`, form.sub && `subscript ${form.sub.join(' → ')}`].filter(Boolean).join(', ');
      assert.strictEqual(written, said, name);
    }
  });

  it('lets TeX break a line inside parentheses around numbers, and grows them only around fractions', () => {
    // \left( … \right) is one unbreakable box: a long sum of negative products could not wrap in a table cell.
    const m = eq(plus(times(num(0.0454152, 6), num(-0.0027677, 6)), times(num(-0.0171373, 6), num(-0.611368, 6))), num(0.0103, 6));
    assert.strictEqual(mathTex(m), '0.0454152 \\times (-0.0027677) + (-0.0171373 \\times (-0.611368)) = 0.0103');
    assert.strictEqual(mathTex(sq(paren(minus(num(0.01, 6), num(0.751365, 6))))), '(0.01 - 0.751365)^{2}');
    assert.strictEqual(mathTex(times(paren(plus(dot(d(E, out('o1')), id('w5')), id('b'))), id('c'))),
      '\\left(\\frac{\\partial E}{\\partial \\mathit{out}_{o1}} \\cdot w_{5} + b\\right) \\times c');
  });

  it('breaks a display formula too wide for the page before a + of the sum, with parentheses that span lines', () => {
    // A hidden weight feeding three outputs: (Σ over y1, y2, y3 of three factors) · ∂out_h/∂net_h · ∂net_h/∂w1.
    const term = (k: number) => dot(d(E, out(`y${k}`)), d(out(`y${k}`), net(`y${k}`)), d(net(`y${k}`), out('h')));
    const m = dot(paren(plus(term(1), term(2), term(3))), d(out('h'), net('h')), d(net('h'), id('w1')));
    assert.ok(mathEm(m, true) > 40);
    const rows = texRows(m, 30);
    assert.ok(rows.length >= 2, rows.join('\n'));
    assert.ok(rows[0].startsWith('\\biggl(\\frac{\\partial E}{\\partial \\mathit{out}_{y1}}'), rows[0]);
    assert.ok(rows.slice(1).every((r) => r.startsWith('{} + ')), rows.join('\n'));
    assert.ok(rows[rows.length - 1].endsWith('\\biggr) \\cdot \\frac{\\partial \\mathit{out}_{h}}{\\partial \\mathit{net}_{h}} \\cdot \\frac{\\partial \\mathit{net}_{h}}{\\partial w_{1}}'), rows.join('\n'));
    assert.ok(!rows.join(' ').includes('\\left'));
    const body = alignedChain([d(E, id('w1')), m, num(0.5, 6)], 30 + mathEm(d(E, id('w1')), true) + 2);
    assert.strictEqual(body.split('\\\\\n').length, rows.length + 1);
    assert.doesNotThrow(() => katex.renderToString(`\\begin{aligned}${body}\\end{aligned}`, { displayMode: true, throwOnError: true, strict: 'error' }));
    // What fits stays on one line.
    assert.deepStrictEqual(texRows(times(num(0.741365, 6), num(0.186816, 6)), 40), ['0.741365 \\times 0.186816']);
  });
});

