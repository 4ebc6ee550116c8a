/**
 * The student's notation, as notebook state and as planning uses it. `notation` statements map
 * symbols (normalised, language/symbols.ts) to quantities; the map holds across cells until a cell
 * defines the network anew (its quantities name that network's neurons and parameters), and a later
 * `notation` for the same symbol replaces the earlier one. Planning resolves every `check` line whose
 * left side is a symbol — `z_1`, `\frac{\partial J}{\partial \omega_5}`, `w_{1new}` — into the
 * quantity it names, and the symbols inside its chain into the operands they name.
 */
import { quantityProblem } from '../commands/quantities';
import { leaves } from '../language/arithmetic';
import { parseQuantity } from '../language/quantities';
import { normalizeSymbol } from '../language/symbols';
import type { CheckItem, Quantity, SkippedLine, Span, Statement } from '../language/syntax';
import type { Problem, RelatedPlace } from './diagnostics';
import type { OptimizerSpec } from '../math/optimizers';
import type { NetworkModel } from './model';

export interface NotationEntry {
  /** As written in the `notation` line. */
  symbol: string;
  quantity: Quantity;
  /** The quantity as written. */
  text: string;
}

/** Normalised symbol → what it names. */
export type NotationTable = ReadonlyMap<string, NotationEntry>;

type CheckStatement = Extract<Statement, { kind: 'check' }>;

/** The quantity in the words `check` uses: `net(h1)`, `dE/dw5`, `w5'`, `E(o1)[2]`. */
export function quantityText(q: Quantity): string {
  const k = 'sample' in q && q.sample !== undefined ? `[${q.sample}]` : '';
  switch (q.kind) {
    case 'E': return `${q.neuron ? `E(${q.neuron})` : 'E'}${k}`;
    case 'net': case 'out': case 'dE/dout': case 'dE/dnet': return `${q.kind}(${q.neuron})${k}`;
    case 'dout/dnet': return `dout(${q.neuron})/dnet(${q.wrt ?? q.neuron})${k}`;
    case 'state': return `${q.slot}(${q.param})`;
    case 'dnet/dparam': return `dnet(${q.neuron})/d${q.param}${k}`;
    case 'dE/dparam': return `dE/d${q.param}${k}`;
    case 'after': return `${q.param}'`;
    case 'value': return q.param;
  }
}

export interface NotationOptions {
  model?: NetworkModel;
  /** The optimizer in force where the statement stands (its state quantities, v(w5), depend on it). */
  optimizer(): OptimizerSpec;
  lenient: boolean;
  report(span: Span, problem: Problem, related?: RelatedPlace[], severity?: 'warning'): void;
}

/** Walks a cell's statements in order, keeping the notation in force and resolving `check` lines with it. */
export class NotationPlanner {
  private readonly map: Map<string, NotationEntry>;
  private readonly inCell = new Map<string, { symbol: string; line: number }>();

  constructor(start: NotationTable | undefined, private readonly o: NotationOptions) {
    this.map = new Map(start ?? []);
  }

  get table(): NotationTable { return this.map; }

  take(s: Statement): Statement {
    if (s.kind === 'notation') this.define(s);
    return s.kind === 'check' ? this.check(s) : s;
  }

  private define(s: Extract<Statement, { kind: 'notation' }>): void {
    const model = this.o.model;
    for (const pair of s.pairs) {
      const earlier = this.inCell.get(pair.name);
      if (earlier) { this.o.report(pair.symbolSpan, { code: 'notation-symbol-twice', args: { symbol: pair.symbol, first: earlier.symbol } }, [{ role: 'defined', line: earlier.line }]); continue; }
      this.inCell.set(pair.name, { symbol: pair.symbol, line: s.line });
      const param = model && [pair.symbol, pair.name].find((n) => model.param(n));
      if (param) { this.o.report(pair.symbolSpan, { code: 'notation-symbol-is-parameter', args: { symbol: pair.symbol, name: param } }); continue; }
      const problem = model && quantityProblem(pair.quantity, model, Infinity, this.o.optimizer());
      if (problem) { this.o.report(pair.quantitySpan, problem); continue; }
      this.map.set(pair.name, { symbol: pair.symbol, quantity: pair.quantity, text: pair.quantityText });
    }
  }

  private check(s: CheckStatement): CheckStatement {
    const skipped: SkippedLine[] = [...(s.skipped ?? [])];
    const items: CheckItem[] = [];
    for (const item of s.items) {
      const r = item.left ? this.resolveLeft(item, !!s.notes) : item.parsed;
      if (r === undefined) continue;
      const { left: _l, update: _u, ...rest } = item;
      if ('code' in r) {
        if (s.notes) { skipped.push(skippedOf(item, r)); continue; }
        // As a name the network lacks: a warning, and the line marked in the output, the others checked.
        this.o.report({ start: item.qStart, end: item.qEnd }, r, undefined, 'warning');
        items.push({ ...rest, parsed: { kind: 'E' }, problem: r });
        continue;
      }
      items.push(this.withOperands(item.left ? { ...rest, parsed: r, quantity: quantityText(r) } : rest));
    }
    const kept = s.notes && this.o.model ? items.filter((i) => {
      const problem = quantityProblem(i.parsed, this.o.model!, Infinity, this.o.optimizer());
      if (problem) skipped.push(skippedOf(i, problem));
      return !problem;
    }) : items;
    return { ...s, items: kept, ...(s.notes ? { skipped: skipped.sort((a, b) => a.start - b.start) } : {}) };
  }

  /** The quantity a symbol names: its notation, a quantity or parameter written that way, or an input by name. */
  private resolveName(name: string, raw?: string): Quantity | Problem | undefined {
    const entry = this.map.get(name);
    if (entry) return entry.quantity;
    const model = this.o.model;
    for (const text of raw === undefined ? [name] : [raw.trim(), name]) {
      const q = parseQuantity(text);
      if ('code' in q) continue;
      if (q.kind !== 'value' || !model || model.param(q.param)) return q;
      const neuron = model.neurons.get(q.param);
      if (neuron) return neuron.layer === 0 ? { kind: 'out', neuron: q.param } : { code: 'notes-neuron-name', args: { text: raw ?? name, neuron: q.param } };
    }
    return undefined;
  }

  private resolveLeft(open: CheckItem, notes: boolean): Quantity | Problem | undefined {
    const left = open.left!;
    const symbol = open.symbol ?? left.name;
    const unknown = (text: string): Problem | undefined => {
      if (this.o.lenient && !this.o.model) return undefined;
      return notes ? { code: 'notes-unknown-symbol', args: { text } } : { code: 'unknown-quantity', args: { text: symbol } };
    };
    if (left.kind === 'derivative') {
      const named = this.map.get(left.name);
      if (named) return named.quantity;
      const of = this.resolveName(left.of!);
      const by = this.resolveName(left.by!);
      if (!of || !by) return unknown(!of ? left.of! : left.by!);
      if ('code' in of) return of;
      if ('code' in by) return by;
      return derivative(of, by, this.o.model);
    }
    let q = this.resolveName(left.name, symbol);
    if (q === undefined) {
      const stem = /^(.+?)(?:\^\{?)?(?:new|\+)\}?$/.exec(left.name)?.[1];
      const base = stem ? this.resolveName(stem) : undefined;
      if (base && !('code' in base) && base.kind === 'value') return { kind: 'after', param: base.param };
      // A plain name close to a parameter's is a misspelt parameter (`w9` for `w1`); anything else a symbol.
      if (!notes && left.fallback && (!this.o.model || 'near' in (quantityProblem(open.parsed, this.o.model, Infinity, this.o.optimizer())?.args ?? {}))) return open.parsed;
      return unknown(symbol);
    }
    if (!('code' in q) && q.kind === 'value' && open.update) q = { kind: 'after', param: q.param };
    return q;
  }

  /** The quantity each symbol in the chain's expressions names, where it names one. */
  private withOperands(item: CheckItem): CheckItem {
    if (!item.chain) return item;
    const chain = item.chain.map((part) => {
      if (!part.expr) return part;
      const meant = leaves(part.expr).map((leaf) => {
        if (leaf.k !== 'sym') return null;
        const raw = part.text.slice(leaf.start - part.start, leaf.end - part.start);
        const name = normalizeSymbol(raw);
        const q = name ? this.resolveName(name, raw) : undefined;
        return q && !('code' in q) ? q : null;
      });
      return meant.some((m) => m) ? { ...part, meant } : part;
    });
    return { ...item, chain };
  }
}

function skippedOf(i: CheckItem, problem: Problem): SkippedLine {
  const symbol = i.symbol ?? i.quantity;
  return {
    start: i.start, end: i.end, line: i.line, ...(i.endLine ? { endLine: i.endLine } : {}), text: i.text ?? `${symbol} = ${i.value.text}`,
    code: problem.code, args: problem.args, value: i.value,
    ...(problem.code === 'notes-unknown-symbol' || problem.code === 'unknown-quantity' ? { symbol } : {}),
  };
}

/** ∂of/∂by as a quantity `check` has: dE/dw5, dE/dout(h1), dout(o1)/dnet(o1), dnet(o1)/dw5, or a weight (∂net/∂out). */
function derivative(of: Quantity, by: Quantity, model?: NetworkModel): Quantity | Problem {
  const names = { of: quantityText(of), by: quantityText(by) };
  const byNeuron = 'neuron' in by ? by.neuron : undefined;
  if (of.kind === 'E' && of.neuron === undefined) {
    if (by.kind === 'value') return { kind: 'dE/dparam', param: by.param };
    if (by.kind === 'out' || by.kind === 'net') return { kind: by.kind === 'out' ? 'dE/dout' : 'dE/dnet', neuron: by.neuron };
  }
  if (of.kind === 'E' && of.neuron !== undefined) {
    // E(o) depends on what only o depends on exactly as E does: ∂E(o)/∂out(o) is ∂E/∂out(o).
    if ((by.kind === 'out' || by.kind === 'net') && by.neuron === of.neuron) return { kind: by.kind === 'out' ? 'dE/dout' : 'dE/dnet', neuron: by.neuron };
    const p = by.kind === 'value' ? model?.param(by.param) : undefined;
    if (p && p.to.length === 1 && p.to[0] === of.neuron) return { kind: 'dE/dparam', param: p.name };
    if (by.kind === 'out' || by.kind === 'net' || by.kind === 'value') return { code: 'notes-partial-term', args: names };
  }
  // Of two neurons: an entry of a layer-wise activation's Jacobian, which check judges for the network.
  if (of.kind === 'out' && by.kind === 'net') return of.neuron === by.neuron ? { kind: 'dout/dnet', neuron: of.neuron } : { kind: 'dout/dnet', neuron: of.neuron, wrt: by.neuron };
  if (of.kind === 'net' && by.kind === 'value') return { kind: 'dnet/dparam', neuron: of.neuron, param: by.param };
  if (of.kind === 'net' && by.kind === 'out' && byNeuron !== undefined) {
    const to = model?.neurons.get(of.neuron);
    const from = model?.neurons.get(byNeuron);
    if (to && from && from.layer === to.layer - 1) return { kind: 'value', param: model!.edgeParam(from, to).name };
    return { code: 'notes-no-edge', args: { from: byNeuron, to: of.neuron } };
  }
  return { code: 'notes-not-a-quantity', args: names };
}
