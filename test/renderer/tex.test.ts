/** TeX built from trace text: names are escaped so KaTeX shows them as text and never as macros. */
import assert from 'node:assert/strict';
import katex from 'katex';
import { fmtTex, fmtTexFactor } from '../../renderer/format';
import { texName, texText } from '../../renderer/tex';

const typeset = (tex: string) => katex.renderToString(tex, { throwOnError: true, trust: false, output: 'html' });

describe('renderer/tex', function () {
  it('plain names become subscripted math', function () {
    assert.equal(texName('w5'), 'w_{5}');
    assert.equal(texName('h12'), 'h_{12}');
    assert.equal(texName('out'), '\\mathit{out}');
    assert.equal(texName('x'), 'x');
  });

  it('anything else is escaped text that typesets without error and without markup', function () {
    assert.equal(texName('hidden_1'), '\\mathrm{hidden\\_1}');
    for (const name of ['<img src=x onerror=alert(1)>', '</script>', '\\href{javascript:alert(1)}{x}', 'a~b^c%d#e&f$g{h}', 'tab\there']) {
      const tex = texName(name);
      assert.match(tex, /^\\text\{.*\}$/s);
      const html = typeset(tex); // throwOnError: an unescaped macro or brace would throw here
      assert.doesNotMatch(html, /<img|<script|<a |href=/);
    }
    assert.equal(texText('\\href{x}'), '\\textbackslash{}href\\{x\\}');
  });

  it('numbers: the shared significant-digit format, scientific as × 10^k, negatives in parentheses', function () {
    assert.equal(fmtTex(0.0821670405, 6), '0.082167');
    assert.equal(fmtTex(3.5e-5, 6), '3.5 \\times 10^{-5}');
    assert.equal(fmtTex(Number.NaN, 6), '\\mathrm{NaN}');
    assert.equal(fmtTexFactor(-0.217071535, 6), '\\left(-0.217072\\right)');
    assert.equal(fmtTexFactor(0.5, 6), '0.5');
    for (const x of [1e-9, -123456789, 0.15]) typeset(fmtTexFactor(x, 6));
  });
});
