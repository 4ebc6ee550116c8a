/**
 * `notation SYMBOL = QUANTITY, SYMBOL = QUANTITY, …`, on the line and on indented lines below it:
 * the student's symbols for the quantities `check` knows (`notation z_1 = net(h1), a_1 = out(h1),
 * J = E, \hat{y} = out(y)`). Symbols are kept as written and compared normalised (symbols.ts); that
 * a symbol is not one of the network's parameters, nor given twice, is checked by planning.
 */
import type { CellParser, LineTokens } from '../cell';
import { parseQuantity } from '../quantities';
import { isBlank } from '../scanner';
import { normalizeSymbol } from '../symbols';
import type { NotationPair, Span } from '../syntax';

export function parseNotation(p: CellParser, { head, base }: LineTokens): void {
  const pairs: NotationPair[] = [];
  const lineEnd = (start: number) => { const nl = p.text.indexOf('\n', start); return nl < 0 ? p.text.length : nl; };
  readPairs(p, head.end, lineEnd(head.end), pairs);
  let end = base.end;
  p.scanner.block((line) => { readPairs(p, line.start, line.end, pairs); end = line.end; });
  if (pairs.length === 0 && p.errors.count === 0) { p.error(head, 'notation-syntax'); return; }
  p.push({ ...base, end, kind: 'notation', pairs });
}

/** The `SYMBOL = QUANTITY` pairs of `text[start, end)`, separated by commas outside any brackets. */
function readPairs(p: CellParser, start: number, end: number, out: NotationPair[]): void {
  const hash = p.text.indexOf('#', start);
  if (hash >= 0 && hash < end) end = hash;
  const cuts: number[] = [];
  eachTopLevel(p.text, start, end, (i, c) => { if (c === ',') cuts.push(i); });
  let from = start;
  for (const i of [...cuts, end]) {
    const span = trimmed(p.text, from, i);
    if (span.end > span.start) {
      const pair = readPair(p, span);
      if (pair) out.push(pair);
    } else if (i < end || out.length > 0) p.error({ start: from, end: Math.max(i, from + 1) }, 'notation-syntax');
    from = i + 1;
  }
}

/**
 * Which side of its pair the end of `text` (a `notation` line, or a line of its block, up to the
 * cursor) is on: the student's symbol until the pair's `=`, then the quantity. The editor offers
 * quantities on the right only, since a symbol is the student's own.
 */
export function notationSide(text: string): 'symbol' | 'quantity' {
  let side: 'symbol' | 'quantity' = 'symbol';
  eachTopLevel(text, 0, text.length, (_, c) => {
    if (c === ',') side = 'symbol';
    else if (c === '=') side = 'quantity';
  });
  return side;
}

/**
 * Calls `at` with each character of `text[start, end)` outside any brackets: symbols are LaTeX, so
 * `h_{1,2}` or `\frac{a}{b=c}` holds a comma or `=` that separates nothing, and a backslash escapes
 * the character after it (`\{`).
 */
function eachTopLevel(text: string, start: number, end: number, at: (i: number, c: string) => void): void {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) at(i, c);
  }
}

function trimmed(text: string, start: number, end: number): Span {
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

function readPair(p: CellParser, span: Span): NotationPair | undefined {
  const eq = topLevelEquals(p.text, span);
  if (eq < 0) { p.error(span, 'notation-syntax'); return undefined; }
  const symbolSpan = trimmed(p.text, span.start, eq);
  const quantitySpan = trimmed(p.text, eq + 1, span.end);
  if (symbolSpan.end === symbolSpan.start || quantitySpan.end === quantitySpan.start) { p.error(span, 'notation-syntax'); return undefined; }
  const symbol = p.text.slice(symbolSpan.start, symbolSpan.end);
  const quantityText = p.text.slice(quantitySpan.start, quantitySpan.end);
  const name = normalizeSymbol(symbol);
  if (!name || !/\p{L}/u.test(name)) { p.error(symbolSpan, 'notation-not-a-symbol', { symbol }); return undefined; }
  const asQuantity = [symbol, name].map(parseQuantity).find((q) => !('code' in q) && q.kind !== 'value');
  if (asQuantity) { p.error(symbolSpan, 'notation-symbol-is-quantity', { symbol, quantity: name }); return undefined; }
  const quantity = parseQuantity(quantityText);
  if ('code' in quantity) { p.problem(quantitySpan, quantity); return undefined; }
  return { symbol, name, symbolSpan, quantity, quantityText: quantityText.replace(/\s+/g, ''), quantitySpan };
}

/** The first `=` outside any brackets in `span`, or -1. */
function topLevelEquals(text: string, span: Span): number {
  let eq = -1;
  eachTopLevel(text, span.start, span.end, (i, c) => { if (c === '=' && eq < 0) eq = i; });
  return eq;
}
