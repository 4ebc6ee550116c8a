/**
 * How the quantities of classification and of the optimizers are written — the additions to
 * quantities.ts, in the same chains `a = b = c …` for the printers and the renderer alike: softmax
 * with its normalisation, its Jacobian and how it combines with ∂E/∂out, the canonical pairs'
 * simplification ∂E/∂net = out − t beside the general route, the decay's term of E, and an update
 * table with the optimizer's state. The formulas come from the concept records in `math/`.
 */
import type { TraceLookups } from '../trace/lookups';
import type { LossTrace, NetworkInfo, NeuronGrad, SampleForward, UpdateRow, UpdateTrace } from '../trace/schema';
import { isActivation, layerwise, type LayerActivationRecord } from '../math/activations';
import { DECAY, LAMBDA } from '../math/decay';
import { isLoss, lossRecord } from '../math/losses';
import { OPTIMIZER_RECORDS, UPDATE_SYMBOLS, updateRule, type OptimizerSpec, type UpdateTerms } from '../math/optimizers';
import { d, dot, E, eq, frac, minus, net, num, out, paren, plus, sym, target, times, type M } from './formula';
import { chain, elide, ELLIPSIS, type Chain, type Notation } from './quantities';

const layerRecord = (activation: string | null): LayerActivationRecord | undefined =>
  (activation && isActivation(activation) ? layerwise(activation) : undefined);

/** A sum of the items' terms, long ones cut as quantities.ts cuts them. */
const sumOf = <T>(items: readonly T[], term: (item: T) => M): M => plus(...elide(items).map((x) => (x === null ? ELLIPSIS : term(x))));

// ---- forward: out of a layer-wise activation ----

/**
 * out_k = e^{net_k} / Σ_j e^{net_j} over the layer, in symbols, with the powers worked out, then
 * the value; for an elementwise activation, quantities.ts's chain.
 */
export function outChain(notation: Notation, look: TraceLookups, fw: SampleForward, neuron: string, activation: string | null, v: { net: number; out: number }): Chain {
  const f = layerRecord(activation);
  const pos = look.neuron(neuron);
  const nets = pos ? fw.layers[pos.layer]?.net : undefined;
  if (!f || !pos || !nets) return notation.out(neuron, activation, v);
  const names = look.trace.network.layers[pos.layer].neurons.slice(0, nets.length);
  const n = notation.n;
  const powers = names.map((_, j) => Math.exp(nets[j]));
  // The powers worked out; where e^net overflows (nets beyond ~709: the engine subtracts the largest
  // first), the nets instead.
  const numbers = powers.every(Number.isFinite)
    ? frac(n(powers[pos.index]), sumOf(powers, n))
    : f.valueFormula(n(v.net), sumOf(nets, (x) => f.termFormula(n(x))));
  return chain(out(neuron), f.valueFormula(net(neuron), sumOf(names, (x) => f.termFormula(net(x)))), numbers, n(v.out));
}

// ---- backward: the Jacobian, and the simplification ----

/** What the neurons table writes for one neuron: ∂out/∂net (the Jacobian's column for softmax), ∂E/∂net, and the simplification. */
export interface NeuronChains {
  dout: Chain[];
  dnet: Chain[];
  /** The canonical pair's ∂E/∂net = scale·(out − t), which the general route agrees with. */
  simplified?: { chain: Chain; note: string };
}

export function neuronChains(notation: Notation, g: NeuronGrad, loss: { name: string; batchSize: number }, activation: string | null): NeuronChains {
  const f = layerRecord(activation);
  const chains: NeuronChains = f && g.jacobian
    ? { dout: jacobianChains(notation, f, g), dnet: [jacobianSum(notation, g)] }
    : { dout: [notation.doutDnet(g, activation)], dnet: [notation.dEdnet(g)] };
  const s = g.simplified;
  if (s && isLoss(loss.name)) {
    const canonical = lossRecord(loss.name).canonical!;
    const n = Number(loss.batchSize);
    const agree = notation.n(g.dE_dnet) === notation.n(s.value) || Math.abs(g.dE_dnet - s.value) <= 1e-9 * Math.max(1, Math.abs(s.value));
    chains.simplified = {
      chain: chain(d(E, net(g.neuron)), canonical.formula(out(g.neuron), target(g.neuron), n), canonical.formula(notation.n(s.out), notation.n(s.target), n), notation.n(s.value)),
      note: `${canonical.activation} with ${loss.name}: the simplification ∂E/∂net = out − t${n > 1 ? ' (÷ N)' : ''}${agree ? ', the same value' : ''}`,
    };
  }
  return chains;
}

/** ∂out_k/∂net_j for every k of the layer: out_k(1 − out_k) on the diagonal, −out_k·out_j off it. */
function jacobianChains(notation: Notation, f: LayerActivationRecord, g: NeuronGrad): Chain[] {
  const n = notation.n;
  return elide(g.jacobian!).map((t) => {
    if (t === null) return [ELLIPSIS];
    const same = t.neuron === g.neuron;
    return chain(
      d(out(t.neuron), net(g.neuron)),
      f.jacobianFormula(out(t.neuron), out(g.neuron), same),
      f.jacobianFormula(n(t.out), n(g.out), same),
      n(t.dout_dnet),
    );
  });
}

/** ∂E/∂net_j = Σ_k ∂E/∂out_k · ∂out_k/∂net_j, in symbols, numbers and its value. */
function jacobianSum(notation: Notation, g: NeuronGrad): Chain {
  const n = notation.n;
  const terms = g.jacobian!;
  return chain(
    d(E, net(g.neuron)),
    sumOf(terms, (t) => dot(d(E, out(t.neuron)), d(out(t.neuron), net(g.neuron)))),
    sumOf(terms, (t) => times(n(t.dE_dout), n(t.dout_dnet))),
    n(g.dE_dnet),
  );
}

/** The Jacobian in general, for the table's heading: ∂out_k/∂net_j = out_k(δ_kj − out_j). */
export function jacobianRule(activation: string | null): M | undefined {
  if (!layerRecord(activation)) return undefined;
  const [k, j] = [out('k'), out('j')];
  return eq(d(k, net('j')), dot(k, paren(minus(sym('δ_kj', '\\delta_{kj}'), j))));
}

// ---- the decay ----

/** E's decay term: (λ/2)·Σ_w w² = (λ/2)·(sum) = value. */
export function decayChain(notation: Notation, loss: LossTrace): Chain | undefined {
  const x = loss.decay;
  if (!x) return undefined;
  const w = sym('w', 'w');
  return chain(DECAY.termFormula(LAMBDA, DECAY.sumFormula(w)), DECAY.termFormula(notation.n(x.lambda), notation.n(x.sumSquares)), notation.n(x.value));
}

// ---- the update with an optimizer's state ----

/** A spec's settings as numbers of the formulas (β, β₁, β₂, ε). */
function settingTerms(notation: Notation, spec: OptimizerSpec): Partial<UpdateTerms> {
  const values = spec as unknown as Record<string, number>;
  return Object.fromEntries(OPTIMIZER_RECORDS[spec.name].settings.map((s) => [s.key, notation.n(values[s.key])]));
}

/** The rule of an optimizer other than sgd, one equation a line, and its settings (undefined for sgd: quantities.ts writes it). */
export function optimizerRule(notation: Notation, network: NetworkInfo, u: UpdateTrace): { rule: M[]; settings: M[] } | undefined {
  const spec = network.optimizer;
  if (!spec || spec.name === 'sgd') return undefined;
  const values = spec as unknown as Record<string, number>;
  const settings = OPTIMIZER_RECORDS[spec.name].settings.map((s) => ({ t: 'op', op: '=', items: [s.symbol, notation.n(values[s.key])] }) as M);
  const t = { t: 'op', op: '=', items: [UPDATE_SYMBOLS.t, num(Number(u.t), 1)] } as M;
  return { rule: updateRule(spec.name), settings: [{ t: 'op', op: '=', items: [UPDATE_SYMBOLS.eta, notation.n(network.rate)] } as M, ...settings, ...(spec.name === 'adam' ? [t] : [])] };
}

/** One parameter's update written out: each state line (v' = β·v + g = …) and the new value. */
export function optimizerRow(notation: Notation, network: NetworkInfo, u: UpdateTrace, r: UpdateRow): { state: Chain[]; value: Chain } | undefined {
  const spec = network.optimizer;
  if (!spec || spec.name === 'sgd') return undefined;
  const n = notation.n;
  const numbers: UpdateTerms = {
    ...UPDATE_SYMBOLS, ...settingTerms(notation, spec),
    p: n(r.old), g: n(r.grad), eta: n(network.rate), t: num(Number(u.t), 1),
    v: n(r.v?.before ?? 0), m: n(r.m?.before ?? 0), vNew: n(r.v?.after ?? 0), mNew: n(r.m?.after ?? 0), mHat: n(r.mHat ?? 0), vHat: n(r.vHat ?? 0),
  };
  const value = { v: r.v?.after, m: r.m?.after, mHat: r.mHat, vHat: r.vHat, new: r.new };
  const lines = OPTIMIZER_RECORDS[spec.name].lines.map((l) => chain(l.lhs, l.rhs(UPDATE_SYMBOLS), l.rhs(numbers), n(value[l.value] ?? NaN)));
  return { state: lines.slice(0, -1), value: lines[lines.length - 1] };
}
