/**
 * What a parameter's tooltip says, written once for the renderer's tooltips and the editor's hover:
 * where the parameter sits, its gradient by the chain rule (the same chains the printed solution
 * shows, from `quantities.ts`), and its update. Lines are text mixed with formulas (see doc.ts),
 * so each surface prints them its own way.
 */
import type { ParamGrad, ParamInfo, UpdateRow } from '../trace/schema';
import { formatNumber } from '../language/numbers';
import type { Inline } from './doc';
import { d, E, eq, id } from './formula';
import type { Chain, Notation } from './quantities';

/** Samples a tooltip writes out one by one. */
const TIP_SAMPLES = 4;

/** "weight h1 → o1", "bias of h1, h2". */
export function paramWhere(p: ParamInfo): string {
  return p.kind === 'weight' ? `weight ${p.from ?? '?'} → ${p.to.join(', ')}` : `bias of ${p.to.join(', ')}`;
}

/** The steps of a chain between its left-hand side and its value, one line each. */
const middle = (c: Chain, indent: string): Inline[] => c.slice(1, -1).map((step) => [`${indent}= `, step]);

/** A chain for a tooltip: `lhs = value` first, then how the value is made, a step a line. */
export function chainLines(c: Chain, indent = '  '): Inline[] {
  return c.length <= 2 ? [[eq(...c)]] : [[eq(c[0], c[c.length - 1])], ...middle(c, indent)];
}

/**
 * ∂E/∂p and how it is made: the product of the chain rule in symbols and in numbers, and for a
 * batch the sum of the samples' contributions, then each of the first few samples.
 */
export function gradientLines(notation: Notation, g: ParamGrad, indent = '  '): Inline[] {
  const batch = g.perSample.length > 1 || g.decay !== undefined;
  const { perSample, total } = notation.gradient(g, batch);
  const whole = total ?? perSample[0]?.chain;
  if (!whole) return [[eq(d(E, id(g.name)), notation.n(g.grad))]];
  const lines = chainLines(whole, indent);
  if (!batch) return lines;
  for (const s of perSample.slice(0, TIP_SAMPLES)) lines.push([indent, eq(...s.chain)]);
  if (perSample.length > TIP_SAMPLES) lines.push([`${indent}… ${perSample.length - TIP_SAMPLES} more samples`]);
  return lines;
}

/** "w5: 0.4 → 0.358916   (η·∂E/∂w5 = 0.0410835)"; `when` says when it happens ("after the next step"). */
export function updateLine(u: UpdateRow, digits: number, when = ''): Inline {
  const f = (x: number) => formatNumber(x, digits);
  if (u.frozen) return [`${u.name}: ${f(u.old)} (frozen, not updated)`];
  // The step an optimizer with state subtracts is not η·∂E/∂p.
  const step = u.m ? 'η·m̂/(√v̂ + ε)' : u.v ? `η·v(${u.name})` : `η·∂E/∂${u.name}`;
  return [`${u.name}: ${f(u.old)} → ${f(u.new)}${when ? ` ${when}` : ''}   (${step} = ${f(u.step)})`];
}
