/**
 * How every quantity of a trace is written: net and out of a neuron, a loss term, ∂E/∂out,
 * ∂out/∂net and ∂E/∂net, a parameter's chain rule, an update. Each is a chain `a = b = c …` of
 * formula trees — symbols first, then numbers, then the value — written once here and shown by the
 * printers (through `document.ts`), the renderer and the hovers, so that they all say the same thing.
 * Activations and losses are written by their records in `math/`.
 */
import type { TraceLookups } from '../trace/lookups';
import type { ChainPath, LossTerm, LossTrace, NeuronGrad, ParamGrad, SampleForward, UpdateRow } from '../trace/schema';
import { elementwise, isActivation, type ActivationRecord } from '../math/activations';
import { LOSS_RECORDS, isLoss, type LossRecord } from '../math/losses';
import { DECAY, LAMBDA } from '../math/decay';
import { call, d, delta, dot, E, eq, ETA, id, minus, net, num, out, plus, sum, sym, target, times, type M } from './formula';
import { mathText } from './notation';

/** Terms a sum shows in full; a longer one shows its first HEAD_TERMS, ⋯ and its last. */
export const MAX_TERMS = 8;
const HEAD_TERMS = 3;

export const ELLIPSIS = sym('⋯', '\\cdots');

/** `a = b = c …`: the quantity, then what it equals, step by step; the last step is its value. */
export type Chain = M[];

/** A long list cut to its first few items, `null` for the gap, and its last. */
export function elide<T>(items: readonly T[]): (T | null)[] {
  if (items.length <= MAX_TERMS) return [...items];
  return [...items.slice(0, HEAD_TERMS), null, items[items.length - 1]];
}

function sumOf<T>(items: readonly T[], term: (item: T) => M): M {
  return plus(...elide(items).map((x) => (x === null ? ELLIPSIS : term(x))));
}

/** A chain without a step that only repeats the one before it (no "∂out/∂net = 1 = 1"). */
export function chain(...steps: M[]): Chain {
  const kept: M[] = [];
  let previous: string | undefined;
  for (const step of steps) {
    const text = mathText(step);
    if (text !== previous) kept.push(step);
    previous = text;
  }
  return kept;
}

function activationOf(name: string | null | undefined): ActivationRecord | undefined {
  return name && isActivation(name) ? elementwise(name) : undefined;
}

function lossOf(name: string): LossRecord | undefined {
  return isLoss(name) ? LOSS_RECORDS[name] : undefined;
}

/** Writes every quantity with the trace's significant digits. */
export class Notation {
  constructor(readonly digits: number) {}

  n = (v: number): M => num(v, this.digits);

  /** net_j = Σ w·x + b, written out when the trace lists every term, then in numbers. */
  net(look: TraceLookups, fw: SampleForward, neuron: string, values: Map<string, number>): Chain | undefined {
    const v = look.value(fw, neuron);
    if (!v) return undefined;
    const pos = look.neuron(neuron)!;
    const { weights, biases } = look.incoming(neuron);
    const prev = look.trace.network.layers[pos.layer - 1];
    const complete = prev !== undefined && weights.length === prev.size && weights.every((w) => w.from !== undefined && look.value(fw, w.from));
    const terms = [...weights, ...biases];
    if (!complete || terms.length === 0) return chain(net(neuron), this.n(v.net));
    // A neuron as a source: an input by its name, any other by its out.
    const source = (name: string) => (look.isInput(name) ? id(name) : out(name));
    const value = (name: string, fallback: number) => this.n(values.get(name) ?? fallback);
    return chain(
      net(neuron),
      sumOf(terms, (p) => (p.kind === 'weight' ? dot(id(p.name), source(p.from!)) : id(p.name))),
      sumOf(terms, (p) => (p.kind === 'weight' ? times(value(p.name, p.value), this.n(look.value(fw, p.from!)!.out)) : value(p.name, p.value))),
      this.n(v.net),
    );
  }

  /** out_j = f(net_j), with f written out by its record (σ: 1/(1 + e^−net)); out = net when linear. */
  out(neuron: string, activation: string | null, v: { net: number; out: number }): Chain {
    const rec = activationOf(activation);
    if (!rec) return chain(out(neuron), this.n(v.out));
    if (rec.trivialDerivative) return chain(out(neuron), net(neuron), this.n(v.out));
    const f = rec.symbol;
    const written = rec.valueFormula ? rec.valueFormula(this.n(v.net)) : call(f.text, f.tex, this.n(v.net));
    return chain(out(neuron), call(f.text, f.tex, net(neuron)), written, this.n(v.out));
  }

  /** One output's term of E in the loss's convention, then in numbers. */
  lossTerm(loss: LossTrace, term: LossTerm): Chain {
    const rec = lossOf(loss.name);
    if (!rec) return chain(this.n(term.value));
    const scale = rec.scaleSymbol(Number(loss.batchSize));
    const scaled = (x: M) => (scale ? dot(scale, x) : x);
    return chain(
      scaled(rec.termFormula(out(term.neuron), target(term.neuron))),
      scaled(rec.termFormula(this.n(term.out), this.n(term.target))),
      this.n(term.value),
    );
  }

  /** E as the sum of its terms (and the decay's, when there is one). */
  lossTotal(loss: LossTrace): Chain {
    const decay = loss.decay ? [this.n(loss.decay.value)] : [];
    if (loss.terms.length + decay.length <= 1) return chain(E, this.n(loss.total));
    const terms = sumOf(loss.terms, (t) => this.n(t.value));
    return chain(E, decay.length ? plus(terms, ...decay) : terms, this.n(loss.total));
  }

  /**
   * ∂E/∂out_j: an output's from the loss's record; a hidden neuron's as Σ_k δ_k · w_jk, each δ_k the
   * one derived in the row of neuron k (so it is written out once, not again in every weight's row).
   */
  dEdout(g: NeuronGrad, loss: { name: string; batchSize: number }): Chain {
    const lhs = d(E, out(g.neuron));
    const ld = g.lossDerivative;
    const rec = lossOf(loss.name);
    if (ld && rec) {
      const n = Number(loss.batchSize);
      return chain(lhs, rec.derivativeFormula(out(g.neuron), target(g.neuron), n), rec.derivativeFormula(this.n(ld.out), this.n(ld.target), n), this.n(g.dE_dout));
    }
    const terms = g.downstream ?? [];
    if (ld || terms.length === 0) return chain(lhs, this.n(g.dE_dout));
    return chain(
      lhs,
      sumOf(terms, (t) => dot(delta(t.neuron), id(t.weight))),
      sumOf(terms, (t) => times(this.n(t.dE_dnet ?? t.dE_dout * t.dout_dnet), this.n(t.w))),
      this.n(g.dE_dout),
    );
  }

  /** ∂out_j/∂net_j as the activation's record writes it, then in numbers. */
  doutDnet(g: NeuronGrad, activation: string | null): Chain {
    const lhs = d(out(g.neuron), net(g.neuron));
    const rec = activationOf(activation);
    if (!rec) return chain(lhs, this.n(g.dout_dnet));
    return chain(lhs, rec.derivativeFormula(net(g.neuron), out(g.neuron)), rec.derivativeFormula(this.n(g.net), this.n(g.out)), this.n(g.dout_dnet));
  }

  /** δ_j = ∂E/∂net_j = ∂E/∂out_j · ∂out_j/∂net_j. */
  dEdnet(g: NeuronGrad): Chain {
    return chain(delta(g.neuron), d(E, net(g.neuron)), this.factors([g.dE_dout, g.dout_dnet]), this.n(g.dE_dnet));
  }

  /**
   * A product of numbers without its trivial factors (a linear unit's ∂out/∂net, a bias's ∂net/∂b):
   * "0.8 × 1.5", not "0.8 × 1 × 1.5". A product of ones is 1.
   */
  factors(values: readonly number[]): M {
    const kept = values.filter((v) => v !== 1);
    return times(...(kept.length ? kept : [1]).map(this.n));
  }

  /** The three factors of one chain-rule path ∂E/∂out_j · ∂out_j/∂net_j · ∂net_j/∂p, in symbols. */
  pathSymbols(param: string, j: string, e: M = E, p?: ChainPath): M {
    // Through a layer-wise activation (softmax), ∂E/∂net_j is one factor: the Jacobian's sum of the neurons table.
    if (p?.dE_dnet !== undefined) return dot(d(e, net(j)), d(net(j), id(param)));
    return dot(d(e, out(j)), d(out(j), net(j)), d(net(j), id(param)));
  }

  /** The same path in numbers. */
  pathNumbers(p: ChainPath): M {
    if (p.dE_dnet !== undefined) return this.factors([p.dE_dnet, p.dnet_dparam]);
    return this.factors([p.dE_dout, p.dout_dnet, p.dnet_dparam]);
  }

  /**
   * One sample's contribution to ∂E/∂p by the chain rule through each neuron p feeds. A hidden
   * neuron's ∂E/∂out is a factor like any other: the neurons table derives it once.
   */
  contribution(param: string, c: ParamGrad['perSample'][number], e: M): Chain {
    const lhs = d(e, id(param));
    const paths = c.paths;
    if (paths.length === 0) return chain(lhs, this.n(c.value));
    return chain(
      lhs,
      sumOf(paths, (p) => this.pathSymbols(param, p.neuron, e, p)),
      sumOf(paths, (p) => this.pathNumbers(p)),
      this.n(c.value),
    );
  }

  /**
   * ∂E/∂p: per sample (E[s] in a batch), and in a batch the sum over the samples. With a decay, E is
   * Σ_s E[s] + (λ/2)·Σ w², so a weight's total gains λ·w (`decay`: λ and p's value before the update).
   */
  gradient(g: ParamGrad, batch: boolean, decay?: { lambda: number; value: number }): { perSample: { sample: number; chain: Chain }[]; total?: Chain } {
    const withDecay = g.decay !== undefined;
    const perSample = g.perSample.map((c) => ({ sample: c.sample, chain: this.contribution(g.name, c, batch || withDecay ? sampleE(c.sample) : E) }));
    if (!batch && !withDecay) return { perSample };
    const p = id(g.name);
    // Without λ and the value (a tooltip), the decay's term is written as the number it is.
    const extra = !withDecay ? undefined : decay ? decayTerm(this, g.name, decay) : { symbols: DECAY.gradFormula(LAMBDA, id(g.name)), numbers: this.n(g.decay!) };
    const add = (x: M, y: M | undefined) => (y ? plus(x, y) : x);
    const total = g.perSample.length === 0
      ? chain(d(E, p), this.n(g.grad))
      : chain(d(E, p), add(sumOf(g.perSample, (c) => d(sampleE(c.sample), p)), extra?.symbols), add(sumOf(g.perSample, (c) => this.n(c.value)), extra?.numbers), this.n(g.grad));
    return { perSample, total };
  }

  /** p − η·∂E/∂p = p'. */
  update(r: UpdateRow): Chain {
    return r.frozen ? chain(this.n(r.new)) : chain(minus(this.n(r.old), this.n(r.step)), this.n(r.new));
  }
}

/** E of one sample, for a batch's per-sample contributions. */
// Number(): a trace may come from a notebook file someone edited; only digits may reach TeX.
export const sampleE = (s: number): M => sym(`E[${Number(s)}]`, `E^{[${Number(s)}]}`);

const P = sym('p', 'p');

/** p' = p − η · ∂E/∂p. */
export const UPDATE_RULE: M = eq(sym("p'", "p'"), minus(P, dot(ETA, d(E, P))));

/** η · ∂E/∂p, the step of an update. */
export const STEP: M = dot(ETA, d(E, P));

/** The loss as the records define it: E = ½ Σ_outputs (t − out)² and its kin, and the decay's (λ/2)·Σ_w w². */
export function lossDefinition(loss: LossTrace): M | undefined {
  const rec = lossOf(loss.name);
  if (!rec) return undefined;
  const n = Number(loss.batchSize);
  const scale = rec.scaleSymbol(n);
  let body = sum('outputs', rec.termFormula(sym('out', '\\mathit{out}'), sym('t', 't')));
  if (n > 1) body = sum('samples', body);
  const data = scale ? dot(scale, body) : body;
  return eq(E, loss.decay ? plus(data, DECAY.termFormula(LAMBDA, DECAY.sumFormula(sym('w', 'w')))) : data);
}

/** λ·w of a weight's gradient, in symbols and numbers. */
function decayTerm(notation: Notation, param: string, decay: { lambda: number; value: number }): { symbols: M; numbers: M } {
  return { symbols: DECAY.gradFormula(LAMBDA, id(param)), numbers: times(notation.n(decay.lambda), notation.n(decay.value)) };
}
