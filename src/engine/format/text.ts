/**
 * Traces as plain text: the command line's default output and the notebook's text/plain fallback.
 * Tables are aligned in columns; chains of equalities line their `=` signs up under each other.
 */
import type { Trace } from '../trace';
import type { Block, Inline } from './doc';
import { isMath } from './doc';
import { traceBlocks } from './build';
import { mathText } from './math';

/** User text may hold anything; a terminal must not receive control sequences from a notebook. */
function clean(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '\ufffd');
}

function inline(parts: Inline, oneLine = false): string {
  const s = parts.map((p) => (isMath(p) ? mathText(p) : clean(p))).join('');
  return oneLine ? s.replace(/\s*\n\s*/g, ' ') : s;
}

/** Display width, counting code points (the symbols used here are all single-width). */
const width = (s: string) => [...s].length;
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

function tableText(head: Inline[], rows: Inline[][]): string {
  const cells = [head, ...rows].map((r) => r.map((c) => inline(c, true)));
  const cols = Math.max(...cells.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, j) => Math.max(...cells.map((r) => width(r[j] ?? ''))));
  const line = (r: string[]) => widths.map((w, j) => pad(r[j] ?? '', w)).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function blocksToText(blocks: Block[]): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.k) {
      case 'h': {
        const t = inline(b.text, true);
        out.push(b.level <= 2 ? `${t}\n${'='.repeat(width(t))}` : b.level === 3 ? `${t}\n${'-'.repeat(width(t))}` : `${t}:`);
        break;
      }
      case 'p': out.push(inline(b.text)); break;
      case 'note': out.push(`Note: ${inline(b.text)}`); break;
      case 'list': out.push(b.items.map((i) => `  - ${inline(i)}`).join('\n')); break;
      case 'table': out.push(tableText(b.head, b.rows)); break;
      case 'chains':
        out.push(b.items.map((chain) => {
          const [lhs, ...rest] = chain.map(mathText);
          const indent = ' '.repeat(width(lhs) + 1);
          return `  ${lhs} ` + rest.map((r, i) => (i === 0 ? `= ${r}` : `\n  ${indent}= ${r}`)).join('');
        }).join('\n'));
        break;
    }
  }
  return out.join('\n\n');
}

export function traceToText(trace: Trace): string {
  return blocksToText(traceBlocks(trace));
}

export function tracesToText(traces: readonly Trace[]): string {
  return traces.map(traceToText).join('\n\n');
}
