/**
 * The step-through of a `forward` or `step` output: the epoch as the sequence of operations a person
 * does by hand — each neuron's net and out, each loss term and E, then backwards layer by layer each
 * neuron's ∂E/∂out, ∂out/∂net (softmax: its Jacobian column an entry at a time) and δ, each
 * parameter's gradient one chain-rule factor at a time (a shared bias one path at a time), a batch's
 * sums and the decay's λ·w, and each update (an optimizer's rule a line at a time). The formulas are
 * the tables' own (quantities.ts, classification.ts). A pure function of the trace:
 * the renderer only shows the steps (the formula so far, what to highlight in the diagram).
 */
import type { TraceLookups } from '../trace/lookups';
import type { LossTrace, NeuronGrad, ParamGrad, SampleForward, UpdateRow, UpdateTrace } from '../trace/schema';
import { neuronChains, optimizerRow } from './classification';
import { d, dot, E, ETA, id, minus, plus, sym, times, type M } from './formula';
import { texName } from './notation';
import { chain, MAX_TERMS, sampleE, type Chain, type Notation } from './quantities';

/** The table (of the renderer, and of the printed solution) a step's formula belongs to. */
export type WalkTable = 'forward' | 'loss' | 'neurons' | 'gradients' | 'update';

export interface WalkStep {
  /** Which update of the trace (0 for a `forward`). */
  update: number;
  sample: number;
  table: WalkTable;
  /** The row: a neuron's or parameter's name; `null` for the loss total. */
  row: string | null;
  /** What is computed, in words ("∂E/∂w5, factor 2 of 3"). */
  what: string;
  /** The formula with what is known so far; its last step is the value so far. */
  formula: Chain;
  /** What to highlight in the diagram. */
  neurons: string[];
  params: string[];
}

type Place = Pick<WalkStep, 'update' | 'sample'>;

const unique = (xs: string[]) => [...new Set(xs)];

/** A chain that is a step of its own: not the `…` that stands for the cut middle of a long list. */
const worked = (c: Chain) => c.length > 1;

/**
 * `lhs = s1 · s2 · s3` computed one factor at a time: step k has the first k numbers in place of
 * their symbols, then the product so far. Factors of exactly 1 are no step (and not written).
 */
export function productSteps(notation: Notation, lhs: M, symbols: M[], values: number[], total: number): Chain[] {
  const kept = values.map((_, i) => i).filter((i) => values[i] !== 1);
  const whole = dot(...symbols);
  if (kept.length === 0) return [chain(lhs, whole, notation.n(total))];
  let so = 1;
  return kept.map((i, k) => {
    so *= values[i];
    const rest = kept.slice(k + 1).map((j) => symbols[j]);
    const known = kept.slice(0, k + 1).map((j) => notation.n(values[j]));
    return rest.length
      ? chain(lhs, whole, times(...known, ...rest), times(notation.n(so), ...rest))
      : chain(lhs, whole, times(...known), notation.n(total));
  });
}

/** `lhs = t1 + t2 + …` one term at a time: the terms so far in numbers, then their sum so far. */
export function sumSteps(notation: Notation, lhs: M, symbols: M[], numbers: M[], values: number[], total: number): Chain[] {
  const whole = plus(...symbols);
  let so = 0;
  return symbols.map((_, k) => {
    so += values[k];
    const rest = symbols.slice(k + 1);
    return rest.length
      ? chain(lhs, whole, plus(...numbers.slice(0, k + 1), ...rest), plus(notation.n(so), ...rest))
      : chain(lhs, whole, plus(...numbers), notation.n(total));
  });
}

/** The forward pass of some samples and the loss over them. */
export function walkForward(look: TraceLookups, notation: Notation, forwards: SampleForward[], values: Map<string, number>, loss: LossTrace, update = 0): WalkStep[] {
  const steps: WalkStep[] = [];
  const layers = look.trace.network.layers;
  for (const fw of forwards) {
    const at: Place = { update, sample: fw.sample };
    for (let l = 1; l < layers.length; l++) {
      for (const n of layers[l].neurons) {
        const v = look.value(fw, n);
        const netChain = notation.net(look, fw, n, values);
        if (!v || !netChain) continue;
        const { weights, biases } = look.incoming(n);
        const sources = weights.flatMap((w) => (w.from === undefined ? [] : [w.from]));
        const params = [...weights, ...biases].map((p) => p.name);
        steps.push({ ...at, table: 'forward', row: n, what: `net input of ${n}`, formula: netChain, neurons: [n, ...sources], params });
        steps.push({ ...at, table: 'forward', row: n, what: `output of ${n}`, formula: notation.out(n, layers[l].activation, v), neurons: [n], params: [] });
      }
    }
    for (const t of loss.terms.filter((x) => x.sample === fw.sample)) {
      steps.push({ ...at, table: 'loss', row: t.neuron, what: `loss term of ${t.neuron}`, formula: notation.lossTerm(loss, t), neurons: [t.neuron], params: [] });
    }
  }
  const outputs = layers[layers.length - 1]?.neurons ?? [];
  steps.push({ update, sample: forwards[0]?.sample ?? 1, table: 'loss', row: null, what: 'the loss E', formula: notation.lossTotal(loss), neurons: outputs, params: [] });
  return steps;
}

/** ∂E/∂out, ∂out/∂net and δ of one neuron; a hidden ∂E/∂out one term of its sum at a time. */
function neuronSteps(notation: Notation, g: NeuronGrad, u: UpdateTrace, activation: string | null, at: Place): WalkStep[] {
  const base = { ...at, table: 'neurons' as const, row: g.neuron };
  const down = g.downstream ?? [];
  const reach = { neurons: unique([g.neuron, ...down.map((t) => t.neuron)]), params: down.map((t) => t.weight) };
  const dEdout = notation.dEdout(g, u.loss);
  let first: WalkStep[];
  if (g.lossDerivative || down.length < 2 || down.length > MAX_TERMS) {
    first = [{ ...base, what: `∂E/∂out of ${g.neuron}`, formula: dEdout, ...reach }];
  } else {
    // The symbols and numbers of each term, as the neurons table writes them (δ_k · w_jk).
    const [, symbols, numbers] = dEdout;
    const items = (m: M) => (m.t === 'op' && m.op === '+' ? m.items : [m]);
    const chains = sumSteps(notation, dEdout[0], items(symbols), items(numbers), down.map((t) => (t.dE_dnet ?? t.dE_dout * t.dout_dnet) * t.w), g.dE_dout);
    first = chains.map((formula, k) => ({ ...base, what: `∂E/∂out of ${g.neuron}, term ${k + 1} of ${down.length}`, formula, ...reach }));
  }
  // As the neurons table writes them: through softmax, the Jacobian's column one entry at a time,
  // then δ as its sum, then the simplification out − t where the pair has one.
  const c = neuronChains(notation, g, u.loss, activation);
  const jacobian = g.jacobian ?? [];
  const dout = c.dout.filter(worked).map((formula, k, all): WalkStep => (all.length > 1
    ? { ...base, what: `∂out/∂net of ${g.neuron}, Jacobian entry ${k + 1} of ${all.length}`, formula, neurons: unique([g.neuron, jacobian[k]?.neuron ?? g.neuron]), params: [] }
    : { ...base, what: `∂out/∂net of ${g.neuron}`, formula, neurons: [g.neuron], params: [] }));
  const layer = jacobian.length ? unique([g.neuron, ...jacobian.map((t) => t.neuron)]) : [g.neuron];
  return [
    ...first,
    ...dout,
    ...c.dnet.map((formula): WalkStep => ({ ...base, what: `δ of ${g.neuron}`, formula, neurons: layer, params: [] })),
    ...(c.simplified ? [{ ...base, what: `δ of ${g.neuron} by the simplification out − t`, formula: c.simplified.chain, neurons: [g.neuron], params: [] }] : []),
  ];
}

/** One sample's contribution to ∂E/∂p: a path factor by factor, several paths one path at a time. */
function gradientSteps(look: TraceLookups, notation: Notation, g: ParamGrad, u: UpdateTrace, c: ParamGrad['perSample'][number], e: M, at: Place): WalkStep[] {
  const p = look.param(g.name);
  const lhs = d(e, id(g.name));
  // The paths from p to E: its own edge (or bias), and from its target on through the neurons that
  // target feeds — for a hidden weight, both paths through the outputs.
  const onward = c.paths.flatMap((path) => look.neuronGrad(u, c.sample, path.neuron)?.downstream ?? []);
  const reach = {
    neurons: unique([...(p?.from !== undefined ? [p.from] : []), ...c.paths.map((x) => x.neuron), ...onward.map((t) => t.neuron)]),
    params: unique([g.name, ...onward.map((t) => t.weight)]),
  };
  const base = { ...at, table: 'gradients' as const, row: g.name, ...reach };
  const label = e === E ? `∂E/∂${g.name}` : `∂E[${c.sample}]/∂${g.name}`;
  if (c.paths.length === 1) {
    const [path] = c.paths;
    // Through softmax, δ (the Jacobian's sum of the neurons table) is one factor.
    const values = path.dE_dnet !== undefined ? [path.dE_dnet, path.dnet_dparam] : [path.dE_dout, path.dout_dnet, path.dnet_dparam];
    const chains = productSteps(notation, lhs, pathFactors(notation, g.name, path, e), values, c.value);
    return chains.map((formula, k) => ({ ...base, what: chains.length > 1 ? `${label}, factor ${k + 1} of ${chains.length}` : label, formula }));
  }
  const whole = notation.contribution(g.name, c, e);
  if (c.paths.length === 0 || c.paths.length > MAX_TERMS) return [{ ...base, what: label, formula: whole }];
  const chains = sumSteps(notation, lhs, c.paths.map((x) => notation.pathSymbols(g.name, x.neuron, e, x)), c.paths.map((x) => notation.pathNumbers(x)), c.paths.map((x) => x.product), c.value);
  return chains.map((formula, k) => ({ ...base, what: `${label}, path ${k + 1} of ${c.paths.length} (through ${c.paths[k].neuron})`, formula }));
}

/** The symbols of a path, as a list (the notation writes them as one product). */
function pathFactors(notation: Notation, param: string, path: ParamGrad['perSample'][number]['paths'][number], e: M): M[] {
  const m = notation.pathSymbols(param, path.neuron, e, path);
  return m.t === 'op' ? m.items : [m];
}

/** The backward pass and the update of one update of a step. */
export function walkUpdate(look: TraceLookups, notation: Notation, u: UpdateTrace, update = 0): WalkStep[] {
  const steps = walkForward(look, notation, u.forward, look.paramValues(u), u.loss, update);
  const layers = look.trace.network.layers;
  const samples = unique(u.neurons.map((g) => String(g.sample))).map(Number);
  const batch = u.samples.length > 1 || u.grads.some((g) => g.perSample.length > 1);
  for (const s of samples) {
    const at: Place = { update, sample: s };
    for (let l = layers.length - 1; l >= 1; l--) {
      for (const g of u.neurons) if (g.sample === s && g.layer === l) steps.push(...neuronSteps(notation, g, u, layers[l].activation, at));
      for (const g of u.grads) {
        if (look.param(g.name)?.layer !== l) continue;
        const c = g.perSample.find((x) => x.sample === s);
        // As the gradients table: E[s] where a sum follows (a batch's, or the decay's λ·w).
        if (c) steps.push(...gradientSteps(look, notation, g, u, c, batch || g.decay !== undefined ? sampleE(s) : E, at));
      }
    }
  }
  const last = u.samples[u.samples.length - 1] ?? samples[0] ?? 1;
  const lambda = look.trace.network.decay;
  for (const g of u.grads) {
    const decay = lambda && g.decay !== undefined ? { lambda, value: u.updates.find((r) => r.name === g.name)?.old ?? NaN } : undefined;
    const total = batch || decay ? notation.gradient(g, batch, decay).total : undefined;
    const what = `∂E/∂${g.name}, ${[batch ? 'summed over the batch' : '', decay ? 'with the decay\'s λ·w' : ''].filter(Boolean).join(', ')}`;
    if (total) steps.push({ update, sample: last, table: 'gradients', row: g.name, what, formula: total, neurons: [], params: [g.name] });
  }
  for (const r of u.updates) steps.push(...updateSteps(look, notation, u, r).map((x) => ({ ...x, update, sample: last })));
  return steps;
}

/** A parameter's update: p' = p − η·∂E/∂p, or the optimizer's rule one line at a time (its state, then p'). */
function updateSteps(look: TraceLookups, notation: Notation, u: UpdateTrace, r: UpdateRow): Omit<WalkStep, keyof Place>[] {
  const base = { table: 'update' as const, row: r.name, neurons: [], params: [r.name] };
  const p = id(r.name);
  const prime = sym(`${r.name}'`, `${texName(r.name)}'`);
  if (r.frozen) return [{ ...base, what: `${r.name} is frozen: it keeps its value`, formula: chain(prime, p, notation.n(r.new)) }];
  const network = look.trace.network;
  const row = optimizerRow(notation, network, u, r);
  if (!row) {
    const formula = chain(prime, minus(p, dot(ETA, d(E, p))), minus(notation.n(r.old), times(notation.n(network.rate), notation.n(r.grad))), notation.n(r.new));
    return [{ ...base, what: `update of ${r.name}`, formula }];
  }
  const lines = [...row.state, row.value];
  return lines.map((formula, k) => ({ ...base, what: `update of ${r.name}, line ${k + 1} of ${lines.length}`, formula }));
}
