/**
 * Traces as Markdown with `$…$` / `$$…$$` math: the notebook's text/markdown fallback output and
 * "Export Worked Solution as Markdown". Every piece of text is escaped (messages and check lines are
 * user text); formulas come only from notation.ts, which lets no user text into TeX.
 */
import type { Trace } from '../trace/schema';
import type { Block, Inline } from './doc';
import { isMath } from './doc';
import { traceBlocks } from './document';
import { alignedChain, mathTex } from './notation';

/**
 * Escapes what CommonMark (and its math and HTML extensions) could read as syntax in user text.
 * `lineStart`: the text may begin a line of the document, where `-`, `=` or `1.` would start a list
 * or underline a heading; in a table cell it cannot, and `0\.359` there would only be noise.
 */
export function escapeMarkdown(s: string, lineStart = true): string {
  const escaped = s
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd')
    .replace(/[\\`*_[\]#|$~!<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`));
  if (!lineStart) return escaped;
  return escaped
    .replace(/^(\s*)([-+=])/gm, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/gm, '$1\\$2');
}

/** `cell`: the text of a table cell or heading, on one line and never at the start of one. */
function inline(parts: Inline, cell = false): string {
  const s = parts.map((p) => (isMath(p) ? `$${mathTex(p)}$` : escapeMarkdown(p, !cell))).join('');
  return cell ? s.replace(/\s*\n\s*/g, ' ') : s.replace(/\n/g, '  \n');
}

export function blocksToMarkdown(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.k) {
      case 'h': out.push(`${'#'.repeat(b.level)} ${inline(b.text, true)}`); break;
      case 'p': out.push(inline(b.text)); break;
      case 'note': out.push(`> ${inline(b.text).replace(/\n/g, '\n> ')}`); break;
      case 'list': out.push(b.items.map((i) => `- ${inline(i).replace(/ *\n/g, ' ')}`).join('\n')); break;
      case 'table': {
        const row = (cells: Inline[]) => `| ${cells.map((c) => inline(c, true) || ' ').join(' | ')} |`;
        out.push([row(b.head), `|${b.head.map(() => ' --- ').join('|')}|`, ...b.rows.map(row)].join('\n'));
        break;
      }
      case 'chains':
        out.push(b.items.map((chain) => `$$\n\\begin{aligned}\n${alignedChain(chain)}\n\\end{aligned}\n$$`).join('\n\n'));
        break;
    }
  }
  return out.join('\n\n');
}

export function traceToMarkdown(trace: Trace): string {
  return blocksToMarkdown(traceBlocks(trace));
}

export function tracesToMarkdown(traces: readonly Trace[]): string {
  return traces.map(traceToMarkdown).join('\n\n');
}

/** A notebook cell for export: Markdown cells as written, code cells with what they printed. */
export type ExportCell = { kind: 'markdown'; source: string } | { kind: 'code'; source: string; traces: readonly Trace[]; errors?: readonly string[] };

/** The worked solution of a whole notebook: its Markdown, each code cell fenced, then its output. */
export function notebookToMarkdown(cells: readonly ExportCell[]): string {
  const out: string[] = [];
  for (const cell of cells) {
    if (cell.kind === 'markdown') {
      out.push(cell.source);
      continue;
    }
    const longest = Math.max(2, ...[...cell.source.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    out.push(`${fence}bpnb\n${cell.source}\n${fence}`);
    for (const e of cell.errors ?? []) out.push(`> **Error:** ${escapeMarkdown(e)}`);
    if (cell.traces.length) out.push(tracesToMarkdown(cell.traces));
  }
  return out.join('\n\n') + '\n';
}
