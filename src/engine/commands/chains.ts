/**
 * Equation chains in `check`: every numeric expression a line writes is evaluated from its numbers
 * as written and set against the number written after it (an arithmetic slip when they part), and a
 * number in it that is not the operand the quantity needs is named — only when putting the right
 * operand in its place gives the exact value, so that nothing is said that the numbers do not show.
 * The operand meant comes from the chain itself where it says (`x_1 · w_2` above `0.05 · 0.25`) and
 * otherwise from what the quantity is made of (a net input of its weights, inputs and bias, …).
 */
import { evaluate, leaves, literal, shape } from '../language/arithmetic';
import type { Expr } from '../language/equations';
import { digitsBeside, formatNumber, withinTolerance } from '../language/numbers';
import type { ChainPart, CheckItem, Quantity, SkippedLine } from '../language/syntax';
import { quantityText } from '../semantics/notation';
import type { TraceContext } from '../trace/build';
import type { ChainStep, CheckLine, CheckTrace } from '../trace/schema';
import type { Evaluator } from './evaluate';
import type { SlipFamily } from './ranking';
import { operandsOf, type Operand } from './operands';
import { notCheckedLines } from './suggestions';

/** What the student wrote for each quantity of the block, to say when a wrong operand is their own earlier value. */
type WrittenValues = Map<string, { value: number; halfUnit: number; line: number; as: string }>;

interface On { ctx: TraceContext; ev: Evaluator; written: WrittenValues; f: (x: number) => string }

/**
 * Adds to the block's lines (in the order of `items`) what their chains show, and lists the lines of
 * `check notes` not checked; returns the trace fields it adds.
 */
export function checkChains(ctx: TraceContext, ev: Evaluator, items: CheckItem[], lines: CheckLine[], skipped?: SkippedLine[]): Partial<CheckTrace> {
  const written: WrittenValues = new Map();
  items.forEach((item) => written.set(item.quantity, { value: item.value.value, halfUnit: item.value.halfUnit, line: item.line, as: item.symbol ?? item.quantity }));
  const on: On = { ctx, ev, written, f: (x) => formatNumber(x, ctx.digits) };
  items.forEach((item, i) => annotate(item, lines[i], on));
  return skipped ? { notes: true, ...notCheckedLines(ctx, ev, skipped) } : {};
}

function annotate(item: CheckItem, line: CheckLine, on: On): void {
  if (item.symbol && item.symbol !== item.quantity) line.symbol = item.symbol;
  if (item.text) line.text = item.text;
  if (item.endLine) line.endLine = item.endLine;
  if (!item.chain || line.problem || line.blank) return;
  const steps = stepsOf(item, line, on);
  if (steps.length) line.steps = steps;
  if (line.ok) return;
  // The student's own arithmetic is better evidence than a guessed slip.
  const blamed = steps.find((s) => s.operand) ?? steps.find((s) => !s.ok && withinTolerance(s.value, line.exact, 1.01 * line.tolerance)) ?? steps.find((s) => s.ok && s.finding);
  if (blamed?.finding) {
    line.diagnosis = blamed.finding;
    line.slips = [{ family: familyOf(blamed), text: blamed.finding }];
    for (const f of line.factors ?? []) f.suspect = false;
  }
}

/** The slip family (ranking.ts) of what a step of the chain shows. */
function familyOf(s: ChainStep): SlipFamily {
  if (s.operand) {
    const name = s.operand.name;
    if (/carried on$/.test(s.finding ?? '')) return 'carried';
    return name === 'η' ? 'rate' : name.startsWith('target(') ? 'target' : name.startsWith('out(') ? 'source-out' : /^[^(]+$/.test(name) ? 'edge-weight' : 'carried';
  }
  if (s.ok) return 'rounding';
  return /cut off/.test(s.finding ?? '') ? 'cut-off' : 'arithmetic';
}

function stepsOf(item: CheckItem, line: CheckLine, on: On): ChainStep[] {
  const parts = item.chain!;
  const steps: ChainStep[] = [];
  parts.forEach((part, j) => {
    const expr = part.expr;
    const value = expr ? evaluate(expr) : undefined;
    if (!expr || value === undefined) return;
    const after = nextNumber(parts, j, item);
    // Numbers copied rounded from a more precise source may round the other way: either reading is right.
    const full = atFullPrecision(item, part, on);
    const ok = withinTolerance(after.value, value, after.halfUnit) || (full !== undefined && withinTolerance(after.value, full.value, after.halfUnit));
    if (literal(expr) && ok) return;
    const step: ChainStep = { line: part.line, expression: part.text, value, writtenText: after.text, ok };
    if (!ok) step.finding = arithmetic(part.text, value, after, on);
    const operand = ok ? wrongOperand(item, line, parts, j, on) : undefined;
    if (operand) { step.operand = { text: operand.text, name: operand.o.name, exact: operand.o.value }; step.finding = operand.finding; } else if (ok && !line.ok) {
      const rounded = roundedOperands(line, part, full, on);
      if (rounded) step.finding = rounded;
    }
    steps.push(step);
  });
  return steps;
}

/** The number written after part j: the next part that is a number, else the line's final one. */
function nextNumber(parts: ChainPart[], j: number, item: CheckItem): { value: number; halfUnit: number; text: string } {
  for (const p of parts.slice(j + 1)) {
    const l = p.expr && literal(p.expr);
    if (l) return { value: l.value, halfUnit: l.halfUnit, text: p.text };
  }
  return item.value;
}

function arithmetic(expression: string, value: number, after: { value: number; halfUnit: number; text: string }, on: On): string {
  if (!Number.isFinite(value)) return `${expression} is not a finite number, so it cannot be ${after.text}`;
  const shown = formatNumber(value, digitsBeside(after.text, on.ctx.digits));
  const digits = Math.max(0, Math.round(-Math.log10(2 * after.halfUnit)));
  const cut = Math.trunc(value * 10 ** digits) / 10 ** digits;
  const rounded = Number(value.toFixed(Math.min(digits, 20)));
  if (digits <= 15 && Math.abs(cut - after.value) < after.halfUnit / 10 && Math.abs(rounded - after.value) >= after.halfUnit) {
    return `${expression} = ${shown}, which rounds to ${formatNumber(rounded, 15)}: ${after.text} has its last digits cut off, not rounded`;
  }
  return `${expression} = ${shown}, not ${after.text}`;
}

interface Candidate { node: Expr; text: string; o: Operand; paired: boolean }

/** The one number of part j that, replaced by the operand meant, gives the exact value; with the finding in words. */
function wrongOperand(item: CheckItem, line: CheckLine, parts: ChainPart[], j: number, on: On): { text: string; o: Operand; finding: string } | undefined {
  const part = parts[j];
  const expr = part.expr!;
  const value = evaluate(expr)!;
  const exact = line.exact;
  const scale = item.parsed.kind === 'after' ? Math.abs(exact - on.ev.evaluate({ kind: 'value', param: item.parsed.param }).exact) : Math.abs(exact);
  const slack = Math.max(1.01 * line.tolerance, 0.005 * scale);
  const fits = (c: Candidate) => {
    const sub = evaluate(expr, new Map([[c.node, c.o.value]]));
    if (sub === undefined || !(Math.abs(sub - exact) <= slack)) return false;
    return c.paired || Math.abs(sub - exact) < 0.25 * Math.abs(value - exact);
  };
  // Where the chain says which operand each number is, only the numbers it says nothing of are searched.
  const said = paired(part, parts.slice(0, j), on);
  const open = line.ok ? [] : expected(item.parsed, part, on).filter((c) => !said.some((s) => s.node === c.node));
  const differs = (c: Candidate) => {
    const d = Math.abs(c.o.value - numberOf(c.node));
    // Under a right value, a number a rounding away from its operand is no slip worth naming.
    return d >= literalHalfUnit(c.node) * (1 - 1e-9) && (!line.ok || d > 0.05 * Math.abs(c.o.value));
  };
  const candidates = [...said, ...open].filter((c) => differs(c) && fits(c));
  const nodes = new Set(candidates.map((c) => c.node));
  if (nodes.size !== 1) return undefined;
  const c = candidates.find((x) => x.paired) ?? candidates[0];
  return { text: c.text, o: c.o, finding: operandFinding(c, on) };
}

type Num = Extract<Expr, { k: 'num' }>;
/** The numbers of a part written with decimals: an integer (the 2 of a square, the 1 of 1 − a) is a constant of the formula. */
const decimals = (part: ChainPart): Num[] => leaves(part.expr!).filter((l): l is Num => l.k === 'num' && /[.,]/.test(textOf(part, l)));
const numberOf = (e: Expr) => (e.k === 'num' ? e.value : NaN);
const literalHalfUnit = (e: Expr) => (e.k === 'num' ? e.halfUnit : 0);
const textOf = (part: ChainPart, e: Expr) => part.text.slice(e.start - part.start, e.end - part.start);

/** The operands a symbolic part of the same shape names, leaf for leaf (`x_1 * w_2` above `0.05 * 0.25`). */
function paired(part: ChainPart, before: ChainPart[], on: On): Candidate[] {
  const form = shape(part.expr!);
  const symbolic = [...before].reverse().find((p) => p.expr && p.meant && shape(p.expr) === form);
  if (!symbolic) return [];
  const mine = leaves(part.expr!);
  const out: Candidate[] = [];
  symbolic.meant!.forEach((q, m) => {
    const node = mine[m];
    if (!q || node?.k !== 'num') return;
    out.push({ node, text: textOf(part, node), o: { name: quantityText(q), value: on.ev.evaluate(q).exact, quantity: quantityText(q) }, paired: true });
  });
  return out;
}

/**
 * Every number of the part against every operand the quantity is made of — kept only when, with that
 * one number replaced, every number written is one of the operands (a net input is its weights, outs
 * and bias, nothing else), so that 0.15 in 0.05 · 0.15 is not taken for another 0.05.
 */
function expected(q: Quantity, part: ChainPart, on: On): Candidate[] {
  const ops = operandsOf(q, on.ctx, on.ev);
  const numbers = decimals(part);
  const isOperand = (n: Num) => ops.some((o) => Math.abs(o.value - n.value) <= Math.max(n.halfUnit, 0.01 * Math.abs(o.value)));
  return numbers.flatMap((node) => {
    if (!numbers.every((n) => n === node || isOperand(n))) return [];
    return ops.map((o) => ({ node, text: textOf(part, node), o, paired: false }));
  });
}

function operandFinding(c: Candidate, on: On): string {
  const n = c.node.k === 'num' ? c.node : undefined;
  let s = `${c.text} is used where ${c.o.name} = ${on.f(c.o.value)} belongs`;
  const mine = c.o.quantity ? on.written.get(c.o.quantity) : undefined;
  if (n && mine && Math.abs(mine.value - n.value) <= Math.max(mine.halfUnit, n.halfUnit)) return `${s} — it is your ${mine.as} from line ${mine.line}, carried on`;
  const same = n ? on.ctx.model.listParams(10_000).filter((p) => Math.abs(on.ctx.trainer.params[p.slots[0]] - n.value) < n.halfUnit * (1 - 1e-9)) : [];
  if (same.length === 1) s += ` (${c.text} is ${same[0].name}'s value)`;
  return s;
}

/** The part with every number that is a rounded operand (0.773 for out(o2) = 0.772928) put back at full precision. */
function atFullPrecision(item: CheckItem, part: ChainPart, on: On): { value: number; named: string[] } | undefined {
  const ops = operandsOf(item.parsed, on.ctx, on.ev);
  const swaps = new Map<Expr, number>();
  const named = new Set<string>();
  for (const node of decimals(part)) {
    const near = ops.filter((o) => Math.abs(o.value - node.value) <= node.halfUnit && o.value !== node.value);
    if (near.length === 0 || near.some((o) => o.value !== near[0].value)) continue;
    swaps.set(node, near[0].value);
    named.add(`${textOf(part, node)} for ${near[0].name} = ${on.f(near[0].value)}`);
  }
  const value = swaps.size ? evaluate(part.expr!, swaps) : undefined;
  return value === undefined ? undefined : { value, named: [...named] };
}

/**
 * A right computation from rounded operands whose exact values give the exact result: the rounding
 * carried on is the slip (0.773 (1 − 0.773) = 0.175471 → 0.175, where out(o2) = 0.772928 gives 0.17551).
 */
function roundedOperands(line: CheckLine, part: ChainPart, full: ReturnType<typeof atFullPrecision>, on: On): string | undefined {
  if (!full || !withinTolerance(line.exact, full.value, 1e-9 * Math.max(1, Math.abs(line.exact)) + 0.01 * line.tolerance)) return undefined;
  return `${part.text} is right for the rounded values written (${full.named.join(', ')}); with the exact ones it is ${on.f(full.value)}: a rounded value carried on`;
}
