/**
 * Traces as LaTeX: a fragment per trace, or a complete worked-solution document (pdflatex with
 * amsmath, amssymb, booktabs, longtable) when several are joined — "Export Worked Solution as LaTeX".
 * Text is escaped (messages and check lines are user text); formulas come only from notation.ts.
 */
import type { Trace } from '../trace/schema';
import type { Block, Inline } from './doc';
import { isMath } from './doc';
import { traceBlocks } from './document';
import { alignedChain, mathEm, mathTex } from './notation';
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
 * Tables of up to this many lines (estimated) are a `tabular`, which pdflatex lines up in one run but
 * cannot break across pages; longer ones are a `longtable`. Forty lines of \footnotesize fit a page.
 */
const SHORT_TABLE_LINES = 40;

const raggedColumn = (em: number) => `>{\\raggedright\\arraybackslash}p{${em.toFixed(1)}em}`;

const cellEm = (c: Inline) => c.reduce((a: number, p) => a + (isMath(p) ? mathEm(p) : 0.55 * [...p].length), 0);

/**
 * How to set a table. A short table that fits the page has natural `l` columns. Otherwise the long
 * columns become ragged-right paragraph columns, so long formulas wrap at their `=`, `+` and `×`: the
 * page is shared out so that no column gets more than it needs and the rest is split evenly. A table
 * too long for a page is a `longtable` with a fixed width for every column: with natural widths
 * longtable only lines its head up with its rows after a second pdflatex run.
 */
function tableLayout(head: Inline[], rows: Inline[][]): { spec: string; long: boolean } {
  // Width in em with the column gap (1.5).
  const est = head.map((_, j) => 1.5 + Math.max(...[head, ...rows].map((r) => (r[j] ? cellEm(r[j]) : 0))));
  const isWide = (e: number) => e >= 10;
  const width: (number | undefined)[] = est.map(() => undefined);
  if (est.reduce((a, b) => a + b, 0) > TABLE_EM) {
    let left = TABLE_EM - est.reduce((a, e) => a + (isWide(e) ? 0 : e), 0);
    let count = est.filter(isWide).length;
    // Narrowest first: each wide column takes what it needs, at most an even share of what is left.
    for (const j of est.map((_, j) => j).filter((j) => isWide(est[j])).sort((a, b) => est[a] - est[b])) {
      const w = Math.min(est[j], left / count);
      width[j] = Math.max(6, w - 1.5);
      left -= w;
      count--;
    }
  }
  const lines = rows.reduce((a, r) => a + Math.max(1, ...r.map((c, j) => Math.ceil(cellEm(c) / (width[j] ?? Infinity)))), 1);
  const long = lines > SHORT_TABLE_LINES;
  // A fixed width for a narrow column has some room to spare: an estimate is only an estimate.
  const spec = est.map((e, j) => (width[j] !== undefined ? raggedColumn(width[j]!) : long ? raggedColumn(e - 1) : 'l')).join('');
  return { spec, long };
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
        const { spec, long } = tableLayout(b.head, b.rows);
        out.push((long
          ? ['{\\footnotesize', `\\begin{longtable}{${spec}}`, '\\toprule', row(b.head), '\\midrule', '\\endhead', ...b.rows.map(row), '\\bottomrule', '\\end{longtable}}']
          : ['{\\footnotesize', '\\begin{center}', `\\begin{tabular}{${spec}}`, '\\toprule', row(b.head), '\\midrule', ...b.rows.map(row), '\\bottomrule', '\\end{tabular}', '\\end{center}}']
        ).join('\n'));
        break;
      }
      case 'chains':
        out.push(b.items.map((chain) => `\\begin{align*}\n${alignedChain(chain)}\n\\end{align*}`).join('\n'));
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

const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s+/;

/**
 * One paragraph of a Markdown cell: headings, lists and text (math and HTML stay literal text). A list
 * item runs on over the lines that follow it until the next item, as in Markdown.
 */
function markdownParagraph(para: string): string {
  const out: string[] = [];
  let text: string[] = [];
  let list: { env: string; items: string[] } | undefined;
  const endText = () => {
    if (text.length) out.push(text.map(markdownInline).join('\n'));
    text = [];
  };
  const endList = () => {
    if (list) out.push(`\\begin{${list.env}}\n${list.items.map((i) => `  \\item ${markdownInline(i)}`).join('\n')}\n\\end{${list.env}}`);
    list = undefined;
  };
  for (const line of para.split('\n')) {
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    const item = LIST_ITEM.exec(line);
    if (heading) {
      endText();
      endList();
      out.push(`${HEADINGS[heading[1].length - 1]}{${markdownInline(heading[2])}}`);
    } else if (item) {
      endText();
      const env = /\d/.test(item[1]) ? 'enumerate' : 'itemize';
      if (list?.env !== env) endList();
      list ??= { env, items: [] };
      list.items.push(line.slice(item[0].length));
    } else if (list) {
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      text.push(line);
    }
  }
  endText();
  endList();
  return out.join('\n\n');
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
