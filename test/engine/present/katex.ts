/** Test helper: every `$…$` and `$$…$$` formula of a Markdown text must typeset with KaTeX. */
import * as assert from 'assert';
import katex from 'katex';

export function assertMathTypesets(markdown: string): number {
  // Escaped dollars (`\$`) are text, not math delimiters.
  const text = markdown.replace(/\\\$/g, '');
  const formulas = [...text.matchAll(/\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g)].map((m) => ({ tex: m[1] ?? m[2], display: m[1] !== undefined }));
  for (const f of formulas) {
    assert.doesNotThrow(() => katex.renderToString(f.tex, { displayMode: f.display, throwOnError: true, trust: false, strict: 'error' }), `KaTeX rejects: ${f.tex}`);
  }
  return formulas.length;
}
