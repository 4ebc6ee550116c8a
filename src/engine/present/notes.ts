/**
 * The words of `check notes` and equation chains that every output says the same way (the renderer
 * and the text, Markdown and LaTeX printers): a line not checked, with its reason and suggestion; a
 * quantity shown with the student's symbol beside it.
 */
import { formatNumber } from '../language/numbers';
import type { CheckLine, CheckTrace, NotCheckedLine } from '../trace/schema';

/** `a_1 = 0.593 looks like out(h1) = 0.59327: add notation a_1 = out(h1)`. */
export function suggestionText(n: NotCheckedLine, digits: number): string | undefined {
  const s = n.suggestion;
  if (!s) return undefined;
  const looks = `looks like ${s.quantity} = ${formatNumber(s.exact, digits)}`;
  return s.notation ? `${looks}: add notation ${s.notation}` : looks;
}

/** `line 14: $$\eta = 0.5$$ — not checked: …`, the suggestion after it; `lineNo` numbers the lines (the cell's by default). */
export function notCheckedText(n: NotCheckedLine, digits: number, lineNo: (line: number) => number = (l) => l): string {
  const lines = n.endLine ? `lines ${lineNo(n.line)}–${lineNo(n.endLine)}` : `line ${lineNo(n.line)}`;
  const hint = suggestionText(n, digits);
  return `${lines}: ${n.text} — ${n.reason}${hint ? `; ${hint}` : ''}`;
}

/** "3 lines not checked" (with those left out of the trace counted). */
export function notCheckedHeading(t: CheckTrace): string | undefined {
  const count = (t.notChecked?.length ?? 0) + (t.notCheckedMore ?? 0);
  if (count === 0) return undefined;
  return `${count.toLocaleString('en-US')} line${count === 1 ? '' : 's'} not checked${t.notCheckedMore ? ` (the first ${t.notChecked!.length} are listed)` : ''}`;
}

/** The quantity as the student wrote it, then what it names: `z_1 (net(h1))`. */
export function writtenQuantity(l: CheckLine): string {
  return l.symbol ? `${l.symbol} (${l.quantity})` : l.quantity;
}
