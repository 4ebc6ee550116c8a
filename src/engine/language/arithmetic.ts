/**
 * What an expression of an equation chain (equations.ts) comes to: its value from the numbers as
 * written (or with some of them replaced), its leaves and its shape — two parts of a chain with the
 * same shape pair their leaves one to one — and whether it is a number as written.
 */
import type { Expr } from './equations';
import type { Span } from './syntax';

/** The value of an expression without symbols, or undefined when it has any; with `swap`, numbers
 *  replaced by other values (the check of "this operand was the wrong one"). */
export function evaluate(e: Expr, swap?: ReadonlyMap<Expr, number>): number | undefined {
  const swapped = swap?.get(e);
  if (swapped !== undefined) return swapped;
  switch (e.k) {
    case 'num': case 'const': return e.value;
    case 'sym': case 'opaque': return undefined;
    case 'neg': { const a = evaluate(e.a, swap); return a === undefined ? undefined : -a; }
    case 'fn': {
      const a = evaluate(e.a, swap);
      if (a === undefined) return undefined;
      return e.fn === 'exp' ? Math.exp(a) : e.fn === 'ln' ? Math.log(a) : Math.sqrt(a);
    }
    case 'bin': {
      const a = evaluate(e.a, swap);
      const b = a === undefined ? undefined : evaluate(e.b, swap);
      if (a === undefined || b === undefined) return undefined;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
        case '^': return a ** b;
      }
    }
  }
}

/** The leaves (numbers, symbols, constants) in written order. */
export function leaves(e: Expr): Expr[] {
  const out: Expr[] = [];
  const walk = (x: Expr): void => {
    if (x.k === 'neg' || x.k === 'fn') walk(x.a);
    else if (x.k === 'bin') { walk(x.a); walk(x.b); } else out.push(x);
  };
  walk(e);
  return out;
}

/** The expression's structure with its leaves left out: two parts of a chain with the same shape
 *  pair their leaves one to one (`x_1 * w_1 + …` with `0.05 * 0.15 + …`). */
export function shape(e: Expr): string {
  switch (e.k) {
    case 'neg': return `-(${shape(e.a)})`;
    case 'fn': return `${e.fn}(${shape(e.a)})`;
    case 'bin': return `(${shape(e.a)}${e.op}${shape(e.b)})`;
    case 'const': return String(e.value);
    default: return '#';
  }
}

/** True when `e` is a number as written: `0,99`, `-0.217`, `4,33 \cdot 10^{-4}` (with its value and half unit). */
export function literal(e: Expr): { value: number; halfUnit: number; span: Span } | undefined {
  if (e.k === 'num') return { value: e.value, halfUnit: e.halfUnit, span: e };
  if (e.k === 'neg') {
    const l = literal(e.a);
    return l && e.a.k !== 'neg' ? { value: -l.value, halfUnit: l.halfUnit, span: { start: e.start, end: l.span.end } } : undefined;
  }
  if (e.k === 'bin' && e.op === '*' && e.a.k === 'num' && e.b.k === 'bin' && e.b.op === '^' && e.b.a.k === 'num' && e.b.a.value === 10) {
    const k = evaluate(e.b.b);
    if (k === undefined || !Number.isInteger(k) || Math.abs(k) > 300 || leaves(e.b.b).some((l) => l.k !== 'num')) return undefined;
    return { value: scaled(e.a.value, k), halfUnit: scaled(e.a.halfUnit, k), span: e };
  }
  return undefined;
}

/** x · 10^k rounded once, as if written with an exponent (4.33 · 10⁻⁴ is 4.33e-4, not 4.33 × 0.0001). */
function scaled(x: number, k: number): number {
  const [m, exp] = x.toExponential().split('e');
  return Number(`${m}e${Number(exp) + k}`);
}
