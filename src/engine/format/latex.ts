/**
 * Traces as LaTeX: a fragment per trace, or a complete worked-solution document (pdflatex with
 * amsmath, amssymb, booktabs, longtable) when several are joined — "Export Worked Solution as LaTeX".
 * Text is escaped (messages and check lines are user text); formulas come only from math.ts.
 */
import type { Trace } from '../trace';
import type { Block, Inline } from './doc';
import { isMath } from './doc';
import { traceBlocks } from './build';
import { mathTex, mathText } from './math';
import type { ExportCell } from './markdown';

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '#': '\\#', '^': '\\textasciicircum{}',
  _: '\\_', '%': '\\%', '~': '\\textasciitilde{}', '<': '\\textless{}', '>': '\\textgreater{}', '|': '\\textbar{}',
  // Symbols the engine's own words use, which pdflatex cannot take as text.
  '✓': '$\\checkmark$', '✗': '$\\times$', '∂': '$\\partial$', 'η': '$\\eta$', 'Σ': '$\\Sigma$', 'σ': '$\\sigma$',
  'ε': '$\\varepsilon$', '·': '$\\cdot$', '×': '$\\times$', '−': '$-$', '→': '$\\to$', '←': '$\\leftarrow$',
  '≈': '$\\approx$', '±': '$\\pm$', '²': '$^2$', '½': '$\\frac12$', '…': '\\ldots{}',
  // Letters and signs students' notes use.
  'α': '$\\alpha$', 'β': '$\\beta$', 'γ': '$\\gamma$', 'δ': '$\\delta$', 'Δ': '$\\Delta$', 'θ': '$\\theta$',
  'λ': '$\\lambda$', 'μ': '$\\mu$', 'π': '$\\pi$', 'ω': '$\\omega$', '∇': '$\\nabla$', '∑': '$\\Sigma$',
  '≤': '$\\le$', '≥': '$\\ge$', '≠': '$\\ne$', '∞': '$\\infty$', '⇒': '$\\Rightarrow$',
};

export function escapeLatex(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch in TEXT_ESCAPES) out += TEXT_ESCAPES[ch];
    else if (/[\u0000-\u001f\u007f]/.test(ch)) out += ch === '\n' ? '\n' : ' ';
    else out += ch;
  }
  return out;
}

function inline(parts: Inline, inTable = false): string {
  const s = parts.map((p) => (isMath(p) ? `$${mathTex(p)}$` : escapeLatex(p))).join('');
  return inTable ? s.replace(/\s*\n\s*/g, ' ') : s.replace(/\n/g, '\\\\\n');
}

const HEADINGS = ['\\section*', '\\subsection*', '\\subsubsection*', '\\paragraph*'];

/** Usable width of a table in em of \footnotesize (9 pt in an 11 pt document) on the 17 cm of PREAMBLE's page, less the column gaps. */
const TABLE_EM = 48;

/**
 * Column types for a table: `l` while the table fits the page; otherwise every long column becomes a
 * ragged-right paragraph column, widths in proportion to their content, so long formulas wrap at
 * their `=`, `+` and `×`.
 */
function columnSpec(head: Inline[], rows: Inline[][]): string {
  const plain = (c: Inline) => c.map((p) => (isMath(p) ? mathText(p) : p)).join('');
  // Rough width in em: typeset formulas run wider than their plain text.
  const est = head.map((_, j) => 1.5 + 0.65 * Math.max(...[head, ...rows].map((r) => (r[j] ? [...plain(r[j])].length : 0))));
  const sum = est.reduce((a, b) => a + b, 0);
  if (sum <= TABLE_EM) return 'l'.repeat(head.length);
  const narrow = est.reduce((a, e) => a + (e < 10 ? e : 0), 0);
  const wideSum = sum - narrow;
  return est.map((e) => (e < 10 ? 'l' : `>{\\raggedright\\arraybackslash}p{${Math.max(6, ((TABLE_EM - narrow) * e) / wideSum - 1.5).toFixed(1)}em}`)).join('');
}

export function blocksToLatex(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.k) {
      case 'h': out.push(`${HEADINGS[b.level - 1]}{${inline(b.text, true)}}`); break;
      case 'p': out.push(inline(b.text)); break;
      case 'note': out.push(`\\emph{${inline(b.text, true)}}`); break;
      case 'list': out.push(`\\begin{itemize}\n${b.items.map((i) => `  \\item ${inline(i, true)}`).join('\n')}\n\\end{itemize}`); break;
      case 'table': {
        const row = (cells: Inline[]) => `${cells.map((c) => inline(c, true)).join(' & ')} \\\\`;
        out.push([
          '{\\footnotesize',
          `\\begin{longtable}{${columnSpec(b.head, b.rows)}}`,
          '\\toprule', row(b.head), '\\midrule', '\\endhead',
          ...b.rows.map(row),
          '\\bottomrule', '\\end{longtable}}',
        ].join('\n'));
        break;
      }
      case 'chains':
        out.push(b.items.map((chain) => {
          const [lhs, ...rest] = chain.map(mathTex);
          return `\\begin{align*}\n${lhs} ${rest.map((r) => `&= ${r}`).join(' \\\\\n')}\n\\end{align*}`;
        }).join('\n'));
        break;
    }
  }
  return out.join('\n\n');
}

export function traceToLatex(trace: Trace): string {
  return blocksToLatex(traceBlocks(trace));
}

// pdflatex needs to be told about the symbols students type (they reach the document in verbatim
// code); LuaLaTeX and XeLaTeX read them with fontspec.
const PREAMBLE = [
  '\\documentclass[11pt]{article}',
  '\\usepackage{iftex}',
  '\\ifPDFTeX',
  '  \\usepackage[utf8]{inputenc}',
  '  \\usepackage[T1]{fontenc}',
  '  \\DeclareUnicodeCharacter{2212}{\\ensuremath{-}}',
  '  \\DeclareUnicodeCharacter{0177}{\\^{y}}',
  '  \\DeclareUnicodeCharacter{2202}{\\ensuremath{\\partial}}',
  '  \\DeclareUnicodeCharacter{03B7}{\\ensuremath{\\eta}}',
  '  \\DeclareUnicodeCharacter{03C3}{\\ensuremath{\\sigma}}',
  '  \\DeclareUnicodeCharacter{03A3}{\\ensuremath{\\Sigma}}',
  '  \\DeclareUnicodeCharacter{03B8}{\\ensuremath{\\theta}}',
  '  \\DeclareUnicodeCharacter{03B1}{\\ensuremath{\\alpha}}',
  '  \\DeclareUnicodeCharacter{03B2}{\\ensuremath{\\beta}}',
  '  \\DeclareUnicodeCharacter{03B4}{\\ensuremath{\\delta}}',
  '  \\DeclareUnicodeCharacter{0394}{\\ensuremath{\\Delta}}',
  '  \\DeclareUnicodeCharacter{03BB}{\\ensuremath{\\lambda}}',
  '  \\DeclareUnicodeCharacter{03BC}{\\ensuremath{\\mu}}',
  '  \\DeclareUnicodeCharacter{03C0}{\\ensuremath{\\pi}}',
  '  \\DeclareUnicodeCharacter{03C9}{\\ensuremath{\\omega}}',
  '  \\DeclareUnicodeCharacter{03B5}{\\ensuremath{\\varepsilon}}',
  '  \\DeclareUnicodeCharacter{2713}{\\ensuremath{\\checkmark}}',
  '  \\DeclareUnicodeCharacter{2717}{\\ensuremath{\\times}}',
  '  \\DeclareUnicodeCharacter{2192}{\\ensuremath{\\to}}',
  '  \\DeclareUnicodeCharacter{2190}{\\ensuremath{\\leftarrow}}',
  '  \\DeclareUnicodeCharacter{2211}{\\ensuremath{\\Sigma}}',
  '  \\DeclareUnicodeCharacter{2207}{\\ensuremath{\\nabla}}',
  '  \\DeclareUnicodeCharacter{2264}{\\ensuremath{\\le}}',
  '  \\DeclareUnicodeCharacter{2265}{\\ensuremath{\\ge}}',
  '  \\DeclareUnicodeCharacter{2260}{\\ensuremath{\\ne}}',
  '  \\DeclareUnicodeCharacter{2248}{\\ensuremath{\\approx}}',
  '  \\DeclareUnicodeCharacter{221E}{\\ensuremath{\\infty}}',
  '  \\DeclareUnicodeCharacter{21D2}{\\ensuremath{\\Rightarrow}}',
  '\\else',
  '  \\usepackage{fontspec}',
  '\\fi',
  '\\usepackage[margin=2cm]{geometry}',
  '\\usepackage{amsmath,amssymb,array,booktabs,longtable}',
  '\\allowdisplaybreaks',
  '\\setlength{\\parindent}{0pt}',
  '\\setlength{\\parskip}{0.6em}',
];

function wrapDocument(body: string, title: string): string {
  return [...PREAMBLE, `\\title{${escapeLatex(title)}}`, '\\date{}', '\\begin{document}', '\\maketitle', '', body, '', '\\end{document}', ''].join('\n');
}

/** A complete document: every trace in order, under one title. */
export function latexDocument(traces: readonly Trace[], title = 'Worked solution'): string {
  return wrapDocument(traces.map(traceToLatex).join('\n\n'), title);
}

/**
 * Math a student wrote in a Markdown cell (`$…$`), kept as math when it only uses harmless commands:
 * a notebook may come from anyone, and TeX can read files or define macros. Anything else — an
 * unknown command, unbalanced braces — is printed as text instead.
 */
const SAFE_COMMANDS = new Set(`alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi
  rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega frac dfrac tfrac partial
  cdot times div pm mp sum prod int sqrt mathrm mathit mathbf mathcal text textrm operatorname hat bar tilde vec dot ddot to
  rightarrow leftarrow Rightarrow Leftarrow leftrightarrow mapsto le leq ge geq ne neq approx sim equiv propto infty nabla
  left right big Big bigg Bigg quad qquad ldots cdots dots log ln exp sin cos tan tanh max min lim in notin forall exists
  circ prime underbrace overbrace overline underline boxed checkmark vphantom begin end`.split(/\s+/));
const SAFE_ENVIRONMENTS = new Set(['aligned', 'cases', 'matrix', 'pmatrix', 'bmatrix', 'array', 'gathered', 'split']);

export function safeMath(tex: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') {
      const m = /^[A-Za-z]+/.exec(tex.slice(i + 1));
      if (!m) { i++; continue; }
      if (!SAFE_COMMANDS.has(m[0])) return undefined;
      if (m[0] === 'begin' || m[0] === 'end') {
        const env = /^\{([A-Za-z*]+)\}/.exec(tex.slice(i + 1 + m[0].length));
        if (!env || !SAFE_ENVIRONMENTS.has(env[1])) return undefined;
      }
      i += m[0].length;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return undefined;
    else if (c === '%' || c === '#' || c === '$') return undefined;
  }
  return depth === 0 ? tex : undefined;
}

/** Text of a Markdown cell: `$…$` math kept where safe, emphasis and code spans converted. */
function markdownInline(text: string): string {
  const parts = text.split(/(\$\$[\s\S]+?\$\$|(?<!\\)\$[^$\n]+?(?<!\\)\$)/);
  return parts.map((part, i) => {
    if (i % 2 === 1) {
      const display = part.startsWith('$$');
      const body = safeMath(display ? part.slice(2, -2) : part.slice(1, -1));
      if (body !== undefined) return display ? `\\[${body}\\]` : `$${body}$`;
      return escapeLatex(part);
    }
    return markdownEmphasis(part);
  }).join('');
}

function markdownEmphasis(text: string): string {
  return escapeLatex(text)
    .replace(/\*\*(\S(?:[^*]*\S)?)\*\*/g, '\\textbf{$1}')
    .replace(/(^|[^*\w])\*(\S(?:[^*]*\S)?)\*/g, '$1\\emph{$2}')
    .replace(/`([^`]+)`/g, '\\texttt{$1}');
}

/** One paragraph of a Markdown cell: a heading, a list, or text (math and HTML stay literal text). */
function markdownParagraph(para: string): string {
  const heading = /^(#{1,4})\s+(.*)$/.exec(para);
  if (heading) return `${HEADINGS[heading[1].length - 1]}{${markdownInline(heading[2])}}`;
  const lines = para.split('\n');
  if (lines.every((l) => /^\s*([-*+]|\d+[.)])\s+/.test(l))) {
    const env = /^\s*\d/.test(lines[0]) ? 'enumerate' : 'itemize';
    return `\\begin{${env}}\n${lines.map((l) => `  \\item ${markdownInline(l.replace(/^\s*([-*+]|\d+[.)])\s+/, ''))}`).join('\n')}\n\\end{${env}}`;
  }
  return lines.map(markdownInline).join('\n');
}

/** A whole notebook as one document: Markdown cells as paragraphs, code cells verbatim, then their output. */
export function notebookToLatex(cells: readonly ExportCell[], title = 'Worked solution'): string {
  const out: string[] = [];
  for (const cell of cells) {
    if (cell.kind === 'markdown') {
      for (const para of cell.source.split(/\n\s*\n/)) out.push(markdownParagraph(para.trim()));
      continue;
    }
    // verbatim ends only at \end{verbatim}; a cell line holding that is written with a space in it.
    out.push(`\\begin{verbatim}\n${cell.source.replace(/\\end\{verbatim\}/g, '\\end {verbatim}')}\n\\end{verbatim}`);
    for (const e of cell.errors ?? []) out.push(`\\textbf{Error:} ${escapeLatex(e)}`);
    for (const t of cell.traces) out.push(traceToLatex(t));
  }
  return wrapDocument(out.join('\n\n'), title);
}
