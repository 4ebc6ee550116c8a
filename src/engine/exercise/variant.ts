/**
 * A student's notebook made from the template: each drawn number written where the template
 * declares it, the `vary` lines gone (a `vary` that draws the rate of a notebook without a `rate`
 * line becomes that line), the blanks kept. Everything else — Markdown, comments, the cells'
 * markers — is as the template has it.
 */
import type { BpnbCellInput } from '../file/bpnb';
import type { Span } from '../language/syntax';
import type { Template } from './template';

export interface Edit extends Span { text: string }

/** The list at `key` of `map`, made when there is none yet. */
export function listAt<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/** `source` with each edit's span replaced by its text (edits do not overlap). */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The cells with `edits` (by cell index) applied. */
export function editCells(cells: readonly BpnbCellInput[], edits: ReadonlyMap<number, Edit[]>): BpnbCellInput[] {
  return cells.map((c, i) => (edits.has(i) ? { ...c, source: applyEdits(c.source, edits.get(i)!) } : c));
}

/** The whole line of `span` with its line break, so removing it leaves no blank line behind. */
function wholeLine(source: string, span: Span): Span {
  const end = source.indexOf('\n', span.end);
  return { start: source.lastIndexOf('\n', span.start - 1) + 1, end: end >= 0 ? end + 1 : source.length };
}

/** The student's cells for the drawn `texts` (one per `template.varied`, in order). */
export function studentCells(template: Template, texts: readonly string[]): BpnbCellInput[] {
  const edits = new Map<number, Edit[]>();
  const add = (cell: number, e: Edit) => listAt(edits, cell).push(e);
  const drawn = new Map(template.varied.map((v, i) => [v.key, texts[i]]));
  for (const [key, text] of drawn) {
    const at = template.decl.numbers.get(key);
    if (at) add(at.cell, { ...at.span, text });
  }
  for (const line of template.varyLines) {
    const source = template.cells[line.cell].source;
    const rate = line.varies.includes('rate') && !template.decl.numbers.has('rate');
    add(line.cell, rate ? { ...line.span, text: `rate ${drawn.get('rate')!}` } : { ...wholeLine(source, line.span), text: '' });
  }
  // Removing a cell's last lines leaves the line break before them.
  const cells = editCells(template.cells, edits).map((c, i) => (template.cells[i].source.endsWith('\n') ? c : { ...c, source: c.source.replace(/\n$/, '') }));
  // A cell that held only `vary` lines is left out, not left empty.
  return cells.filter((c, i) => !(edits.has(i) && c.source.trim() === '' && template.cells[i].source.trim() !== ''));
}
