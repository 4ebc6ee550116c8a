/**
 * Traces as plain text: the command line's default output and the notebook's text/plain fallback.
 * Tables are aligned in columns; chains of equalities line their `=` signs up under each other.
 * Everything is laid out for a terminal `width` columns wide: a table wider than that is stacked (one
 * record per row), and longer lines are wrapped — formulas before an operator, prose at a space.
 */
import type { Trace } from '../trace/schema';
import type { Block, Inline } from './doc';
import { isMath } from './doc';
import { traceBlocks, type LineNumbering } from './document';
import { mathText, type M } from './notation';
import { escapeControl } from './controls';

/** The width of the terminal the text is laid out for, unless the caller knows better. */
export const TEXT_WIDTH = 100;

function inline(parts: Inline, oneLine = false): string {
  const s = parts.map((p) => (isMath(p) ? mathText(p) : escapeControl(p))).join('');
  return oneLine ? s.replace(/\s*\n\s*/g, ' ') : s;
}

/** Display width, counting code points (the symbols used here are all single-width). */
const width = (s: string) => [...s].length;
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));

/**
 * Breaks `line` into lines of at most `max` columns, each continuation starting with `indent`.
 * A formula breaks where it reads best: outside parentheses rather than inside, before `=` rather
 * than `+` or `−`, and before those rather than `·` or `×`. Prose breaks at the last space that fits.
 * A word longer than the line is left whole.
 */
export function wrapLine(line: string, max: number, indent: string, formula: boolean): string[] {
  const lines: string[] = [];
  let rest = [...line];
  const lead = width(indent);
  while (rest.length > max) {
    let best = -1;
    let bestScore = -Infinity;
    let depth = 0;
    // Breaking too early only moves the problem to the next line: look in the right half first.
    const from = Math.max(lead + 1, Math.floor(max / 2));
    for (let i = 0; i <= max && i < rest.length; i++) {
      const c = rest[i];
      if (c === '(') depth++;
      else if (c === ')') depth = Math.max(0, depth - 1);
      if (c !== ' ' || i < lead + 1) continue;
      let score = 0;
      if (formula) {
        const op = rest[i + 2] === ' ' ? rest[i + 1] : '';
        // A space that is not before an operator (say, the one after it) is a last resort.
        score = op === '=' ? 3 : op === '+' || op === '−' ? 2 : op === '·' || op === '×' ? 1 : -100;
        score -= 4 * depth;
      }
      const inRange = i >= from;
      // Rightmost of the best-scoring breaks in range; outside the range only the rightmost at all.
      const key = (inRange ? 1000 : 0) + score;
      if (key >= bestScore) {
        best = i;
        bestScore = key;
      }
    }
    if (best < 0) break;
    lines.push(rest.slice(0, best).join('').trimEnd());
    rest = [...indent, ...rest.slice(best + 1)];
  }
  lines.push(rest.join(''));
  return lines;
}

const wrapProse = (text: string, max: number, indent = '') =>
  text.split('\n').flatMap((l) => wrapLine(l, max, indent, false)).join('\n');

/** True when a number is what a formula starts with (then it does not say what it is). */
function leadsWithNumber(m: M): boolean {
  if (m.t === 'num') return true;
  if (m.t === 'op') return leadsWithNumber(m.items[0]);
  if (m.t === 'paren') return leadsWithNumber(m.x);
  return false;
}

/** A cell holding one equation that starts with a symbol (`net_h1 = …`) says what it is by itself. */
function namesItself(cell: Inline): boolean {
  const m = cell.length === 1 ? cell[0] : undefined;
  return m !== undefined && isMath(m) && m.t === 'op' && m.op === '=' && !leadsWithNumber(m.items[0]);
}

function tableText(head: Inline[], rows: Inline[][], max: number): string {
  const cells = [head, ...rows].map((r) => r.map((c) => inline(c, true)));
  const cols = Math.max(...cells.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, j) => Math.max(...cells.map((r) => width(r[j] ?? ''))));
  if (widths.reduce((a, w) => a + w + 2, -2) > max) return stackedTable(rows, cells, widths, max);
  const line = (r: string[]) => widths.map((w, j) => pad(r[j] ?? '', w)).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/**
 * A table too wide for the terminal, one record per row: its leading plain-text cells (the sample, the
 * neuron) as the key on the left, then every other cell on a line of its own — labelled with its
 * column's heading unless it is an equation that names itself, like `net_h1 = w1 · i1 + … = 0.3775`.
 */
function stackedTable(rows: Inline[][], cells: string[][], widths: number[], max: number): string {
  let keys = 0;
  while (keys < widths.length - 1 && rows.every((r) => (r[keys] ?? []).every((p) => !isMath(p)))
    && widths.slice(0, keys + 1).reduce((a, w) => a + w + 2, 0) <= max / 4) keys++;
  const keyWidth = keys === 0 ? 0 : widths.slice(0, keys).reduce((a, w) => a + w + 2, 0);
  const indent = ' '.repeat(keyWidth);
  const labelled = cells[0].map((_, j) => j >= keys && !rows.every((r) => namesItself(r[j] ?? [])));
  const labelWidth = Math.max(0, ...cells[0].map((h, j) => (labelled[j] ? width(h) : 0)));
  const records = cells.slice(1).map((r) => {
    const key = r.slice(0, keys).map((c, j) => pad(c, widths[j])).join('  ');
    const lines: string[] = [];
    for (let j = keys; j < widths.length; j++) {
      if (!r[j]) continue;
      const label = labelled[j] ? `${pad(cells[0][j], labelWidth)}  ` : '';
      const start = lines.length === 0 ? pad(key, keyWidth) : indent;
      lines.push(...wrapLine(start + label + r[j], max, ' '.repeat(keyWidth + width(label) + 2), true));
    }
    return lines.join('\n');
  });
  return records.join(keys === 0 ? '\n\n' : '\n');
}

export function blocksToText(blocks: Block[], max = TEXT_WIDTH): string {
  const out: string[] = [];
  for (const b of blocks) {
    switch (b.k) {
      case 'h': {
        const t = inline(b.text, true);
        // A sample's heading lists its inputs, which may be many: only that kind of heading is long.
        out.push(b.level <= 2 ? `${t}\n${'='.repeat(width(t))}` : b.level === 3 ? `${t}\n${'-'.repeat(width(t))}` : wrapProse(`${t}:`, max, '  '));
        break;
      }
      case 'p': out.push(wrapProse(inline(b.text), max)); break;
      case 'note': out.push(wrapProse(`Note: ${inline(b.text)}`, max, '      ')); break;
      case 'list': out.push(b.items.map((i) => wrapProse(`  - ${inline(i)}`, max, '    ')).join('\n')); break;
      case 'table': out.push(tableText(b.head, b.rows, max)); break;
      case 'chains':
        out.push(b.items.map((chain) => {
          const [lhs, ...rest] = chain.map(mathText);
          const indent = ' '.repeat(width(lhs) + 3);
          const more = `${indent}    `;
          return rest.map((r, i) => wrapLine(`${i === 0 ? `  ${lhs} ` : indent}= ${r}`, max, more, true).join('\n')).join('\n');
        }).join('\n'));
        break;
    }
  }
  return out.join('\n\n');
}

export function traceToText(trace: Trace, max = TEXT_WIDTH, numbering: LineNumbering = {}): string {
  return blocksToText(traceBlocks(trace, numbering), max);
}

/** `numbering.fileLine`: check lines are numbered in the file (the command line), else in the cell. */
export function tracesToText(traces: readonly Trace[], max = TEXT_WIDTH, numbering: LineNumbering = {}): string {
  return traces.map((t) => traceToText(t, max, numbering)).join('\n\n');
}
