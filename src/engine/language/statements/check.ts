/** `check [within TOL]` and its indented `QUANTITY = NUMBER` lines. */
import type { CellParser, LineTokens } from '../cell';
import { scanNumber } from '../numbers';
import { parseQuantity } from '../quantities';
import type { Line } from '../scanner';
import type { CheckItem, Span } from '../syntax';
import { readAnswer } from './answer';

export function parseCheck(p: CellParser, { toks, head, base }: LineTokens): void {
  let within: number | undefined;
  const skipBlock = () => p.scanner.block(() => undefined);
  if (toks[1]?.text === 'within') {
    const n = p.number(toks[2], { expected: 'tolerance' }, toks[1]);
    if (!n) { skipBlock(); return; }
    if (!(n.value >= 0)) { p.error(n, 'tolerance-negative', { text: n.text }); skipBlock(); return; }
    within = n.value;
    p.extra(toks, 3);
  } else p.extra(toks, 1);
  const items: CheckItem[] = [];
  let lines = 0;
  p.scanner.block((line) => {
    lines++;
    const item = parseCheckLine(p, line);
    if (item) items.push(item);
  });
  if (lines === 0) { reportUnindented(p, head); return; }
  p.push({ ...base, kind: 'check', within, items });
}

/** Check lines written flush left would each read as an unknown statement or parameter ('E'):
 *  report them once, as what they are. */
function reportUnindented(p: CellParser, head: Span): void {
  let stray: Span | undefined;
  for (let l = p.scanner.peek(); l && !l.blank && looksLikeCheckLine(p.text, l); l = p.scanner.peek()) {
    p.scanner.next();
    stray = { start: stray?.start ?? l.start, end: l.end };
  }
  if (stray) p.error(stray, 'check-not-indented');
  else p.error(head, 'check-needs-lines');
}

/** `E = 0.3`, `dE/dw5 = 0.08`, `w5' = 0.36`: a check line (a parameter's plain `w5 = 0.3` is a statement). */
function looksLikeCheckLine(text: string, line: Line): boolean {
  const body = text.slice(line.start, line.end).split('#')[0];
  const eq = body.lastIndexOf('=');
  if (eq < 0) return false;
  const q = parseQuantity(body.slice(0, eq));
  return !('code' in q) && q.kind !== 'value';
}

function parseCheckLine(p: CellParser, line: Line): CheckItem | undefined {
  const raw = p.text.slice(line.start, line.end);
  const hash = raw.indexOf('#');
  const body = hash >= 0 ? raw.slice(0, hash) : raw;
  const eq = body.lastIndexOf('=');
  const lead = body.length - body.trimStart().length;
  const lineSpan = { start: line.start + lead, end: line.start + body.trimEnd().length };
  if (eq < 0) { p.error(lineSpan, 'check-line-syntax'); return undefined; }
  const qText = body.slice(0, eq).trim();
  const qStart = line.start + lead;
  const qEnd = qStart + qText.length;
  const answer = readAnswer(p, body.slice(eq + 1), line.start + eq + 1);
  if (!answer) return undefined;
  const { text: vText, span: vSpan } = answer;
  const value = answer.blank ? { value: NaN, halfUnit: 0 } : scanNumber(p.text, vSpan.start, vSpan.end);
  if (!value) {
    if (vText) p.error(vSpan, 'not-a-number', { text: vText });
    else p.error({ start: vSpan.start, end: vSpan.start }, 'expected', { expected: 'number-after-equals' });
    return undefined;
  }
  const q = parseQuantity(qText);
  if ('code' in q) { p.problem({ start: qStart, end: Math.max(qEnd, qStart + 1) }, q); return undefined; }
  return {
    line: line.number, start: lineSpan.start, end: lineSpan.end, quantity: qText.replace(/\s+/g, ''), qStart, qEnd,
    value: { value: value.value, text: vText, halfUnit: value.halfUnit, ...vSpan }, parsed: q,
    ...(answer.blank ? { blank: true as const } : {}), ...(answer.points !== undefined ? { points: answer.points } : {}),
  };
}
