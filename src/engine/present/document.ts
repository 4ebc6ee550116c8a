/**
 * Traces → the worked-solution document (see doc.ts): forward table with every net input written
 * out, loss terms, ∂E/∂out and ∂out/∂net per neuron, every parameter's chain-rule product in symbols
 * and in numbers (a hidden weight's as the sum over the neurons it feeds, a batch's per sample),
 * the update table, check and gradcheck results, and a training summary.
 */
import type {
  CheckTrace, ForwardTrace, GradcheckTrace, LossTrace, NetworkInfo, NeuronGrad, ParamGrad, ParamInfo,
  SampleForward, StepTrace, Trace, TrainTrace, UpdateTrace,
} from '../trace/schema';
import { checkScope } from '../trace/schema';
import { digitsBeside, formatNumber } from '../language/numbers';
import type { Block, Inline } from './doc';
import { activationFn } from './notation';
import { call, d, dot, E, eq, ETA, id, type M, minus, net, num, ONE, out, paren, plus, sq, sym, target, times } from './formula';

/** Beyond this many terms a sum is shown by its value only: a formula nobody can read helps nobody. */
const MAX_TERMS = 8;
/** Rows per table; the trace itself already limits big networks, this guards the printers. */
const MAX_ROWS = 500;

const OK = '✓';
const BAD = '✗';

interface Ctx {
  digits: number;
  network: NetworkInfo;
  /** Parameter by name. */
  params: Map<string, ParamInfo>;
  /** Per neuron: its layer and the parameters feeding it. */
  neurons: Map<string, { layer: number; weights: ParamInfo[]; biases: ParamInfo[] }>;
}

function context(trace: Trace): Ctx {
  const network = trace.network;
  const params = new Map<string, ParamInfo>();
  const neurons = new Map<string, { layer: number; weights: ParamInfo[]; biases: ParamInfo[] }>();
  network.layers.forEach((layer) => {
    for (const n of layer.neurons) neurons.set(n, { layer: layer.index, weights: [], biases: [] });
  });
  for (const p of network.params) {
    params.set(p.name, p);
    for (const to of p.to) {
      const entry = neurons.get(to);
      if (entry) (p.kind === 'weight' ? entry.weights : entry.biases).push(p);
    }
  }
  return { digits: trace.digits, network, params, neurons };
}

const n = (ctx: Ctx, v: number): M => num(v, ctx.digits);
const fmt = (ctx: Ctx, v: number): string => formatNumber(v, ctx.digits);

function capRows(rows: Inline[][], what: string, blocks: Block[]): Inline[][] {
  if (rows.length <= MAX_ROWS) return rows;
  blocks.push({ k: 'note', text: [`Only the first ${MAX_ROWS} of ${rows.length} ${what} are listed.`] });
  return rows.slice(0, MAX_ROWS);
}

function table(blocks: Block[], head: Inline[], rows: Inline[][], what: string): void {
  const note: Block[] = [];
  const shown = capRows(rows, what, note);
  blocks.push({ k: 'table', head, rows: shown }, ...note);
}

// ---- network ----

function describeNetwork(ctx: Ctx): string {
  const net = ctx.network;
  const sizes = net.layers.map((l) => l.size).join('-');
  const acts = net.layers.slice(1).map((l) => l.activation).join(', ');
  const frozen = net.params.filter((p) => p.frozen).length;
  const mode = net.mode.kind === 'minibatch' ? `minibatch ${net.mode.size}` : net.mode.kind;
  return `${sizes} network (${acts}), ${net.paramCount} parameter${net.paramCount === 1 ? '' : 's'}`
    + `${frozen ? ` (${frozen} frozen)` : ''}, loss ${net.loss}, rate ${fmt(ctx, net.rate)}, mode ${mode}, `
    + `${net.sampleCount} sample${net.sampleCount === 1 ? '' : 's'}.`;
}

// ---- forward ----

function sourceSymbol(ctx: Ctx, name: string): M {
  return ctx.neurons.get(name)?.layer === 0 ? id(name) : out(name);
}

function sampleHeading(ctx: Ctx, s: SampleForward): Inline {
  const inputs = ctx.network.layers[0].neurons.map((name, i) => `${name} = ${fmt(ctx, s.input[i])}`).filter((_, i) => i < s.input.length);
  const outs = ctx.network.layers[ctx.network.layers.length - 1].neurons;
  const targets = outs.map((name, i) => `${name} = ${fmt(ctx, s.target[i])}`).filter((_, i) => i < s.target.length);
  return [`Sample ${s.sample}: ${inputs.join(', ')} → ${targets.join(', ')}`];
}

/** Value of every neuron's out in one sample, by name, for writing net inputs out. */
function outValues(ctx: Ctx, s: SampleForward): Map<string, number> {
  const values = new Map<string, number>();
  ctx.network.layers.forEach((layer, l) => {
    const outs = l === 0 ? s.input : s.layers[l]?.out;
    layer.neurons.forEach((name, j) => {
      if (outs && j < outs.length) values.set(name, outs[j]);
    });
  });
  return values;
}

function forwardBlocks(ctx: Ctx, forward: SampleForward[], values: Map<string, number>): Block[] {
  const blocks: Block[] = [];
  for (const s of forward) {
    if (forward.length > 1 || ctx.network.sampleCount > 1) blocks.push({ k: 'h', level: 4, text: sampleHeading(ctx, s) });
    else blocks.push({ k: 'p', text: sampleHeading(ctx, s) });
    const outs = outValues(ctx, s);
    const rows: Inline[][] = [];
    ctx.network.layers.forEach((layer, l) => {
      if (l === 0) return;
      const fn = activationFn(layer.activation ?? 'linear');
      const prev = ctx.network.layers[l - 1];
      layer.neurons.forEach((name, j) => {
        const vals = s.layers[l];
        if (!vals || j >= vals.net.length) return;
        const feeding = ctx.neurons.get(name);
        const weights = feeding?.weights ?? [];
        const biases = feeding?.biases ?? [];
        const complete = weights.length === prev.size && weights.every((w) => w.from !== undefined && outs.has(w.from));
        let netCell: M;
        if (complete && weights.length + biases.length <= MAX_TERMS && weights.length + biases.length > 0) {
          const symbolic = plus(...weights.map((w) => dot(id(w.name), sourceSymbol(ctx, w.from!))), ...biases.map((b) => id(b.name)));
          const numeric = plus(
            ...weights.map((w) => times(n(ctx, values.get(w.name) ?? w.value), n(ctx, outs.get(w.from!)!))),
            ...biases.map((b) => n(ctx, values.get(b.name) ?? b.value)),
          );
          netCell = eq(net(name), symbolic, numeric, n(ctx, vals.net[j]));
        } else {
          netCell = eq(net(name), n(ctx, vals.net[j]));
        }
        const outCell = layer.activation === 'linear'
          ? eq(out(name), net(name), n(ctx, vals.out[j]))
          : eq(out(name), call(fn.text, fn.tex, net(name)), call(fn.text, fn.tex, n(ctx, vals.net[j])), n(ctx, vals.out[j]));
        rows.push([[name], [netCell], [outCell]]);
      });
    });
    table(blocks, [['Neuron'], ['Net input'], ['Output']], rows, 'neurons');
  }
  return blocks;
}

// ---- loss ----

function scaleSymbol(loss: LossTrace): M | undefined {
  const n = Number(loss.batchSize);
  switch (loss.name) {
    case 'half-sse': return sym('½', '\\tfrac{1}{2}');
    case 'sse': return undefined;
    case 'half-mse':
      return n === 1 ? sym('½', '\\tfrac{1}{2}') : sym(`1/(2·${n})`, `\\tfrac{1}{2 \\cdot ${n}}`);
    case 'mse': return n === 1 ? undefined : sym(`1/${n}`, `\\tfrac{1}{${n}}`);
  }
}

function lossBlocks(ctx: Ctx, loss: LossTrace): Block[] {
  const blocks: Block[] = [];
  const scale = scaleSymbol(loss);
  const many = new Set(loss.terms.map((t) => t.sample)).size > 1;
  const rows = loss.terms.map((term): Inline[] => {
    const diff = sq(paren(minus(target(term.neuron), out(term.neuron))));
    const diffN = sq(paren(minus(n(ctx, term.target), n(ctx, term.out))));
    const formula = eq(
      scale ? dot(scale, diff) : diff,
      scale ? dot(scale, diffN) : diffN,
      n(ctx, term.value),
    );
    return many ? [[String(term.sample)], [term.neuron], [formula]] : [[term.neuron], [formula]];
  });
  table(blocks, many ? [['Sample'], ['Output'], ['Term of E']] : [['Output'], ['Term of E']], rows, 'loss terms');
  const total = loss.terms.length > 1 && loss.terms.length <= MAX_TERMS
    ? eq(E, plus(...loss.terms.map((t) => n(ctx, t.value))), n(ctx, loss.total))
    : eq(E, n(ctx, loss.total));
  blocks.push({ k: 'p', text: [`Loss ${loss.name}${loss.batchSize > 1 ? ` over ${loss.batchSize} samples` : ''}: `, total] });
  return blocks;
}

// ---- backward ----

function doutDnet(ctx: Ctx, g: NeuronGrad, activation: string | null): M {
  const o = g.out;
  switch (activation) {
    case 'sigmoid':
      return eq(dot(out(g.neuron), paren(minus(ONE, out(g.neuron)))), times(n(ctx, o), paren(minus(ONE, n(ctx, o)))), n(ctx, g.dout_dnet));
    case 'tanh':
      return eq(minus(ONE, sq(out(g.neuron))), minus(ONE, sq(n(ctx, o))), n(ctx, g.dout_dnet));
    default:
      return n(ctx, g.dout_dnet);
  }
}

function doutCell(ctx: Ctx, g: NeuronGrad): M {
  if (g.lossDerivative) {
    const ld = g.lossDerivative;
    const c = 2 * ld.scale;
    const sym0 = minus(out(g.neuron), target(g.neuron));
    const num0 = minus(n(ctx, ld.out), n(ctx, ld.target));
    return c === 1
      ? eq(sym0, num0, n(ctx, g.dE_dout))
      : eq(times(n(ctx, c), paren(sym0)), times(n(ctx, c), paren(num0)), n(ctx, g.dE_dout));
  }
  // ∂E/∂out_j = Σ_k ∂E/∂net_k · w_jk: the short form; the gradient chains write each factor out.
  const terms = g.downstream ?? [];
  if (terms.length === 0 || terms.length > MAX_TERMS) return n(ctx, g.dE_dout);
  return eq(
    plus(...terms.map((t) => dot(d(E, net(t.neuron)), id(t.weight)))),
    plus(...terms.map((t) => times(n(ctx, t.dE_dout * t.dout_dnet), n(ctx, t.w)))),
    n(ctx, g.dE_dout),
  );
}

function neuronBlocks(ctx: Ctx, neurons: NeuronGrad[]): Block[] {
  const blocks: Block[] = [];
  const many = new Set(neurons.map((g) => g.sample)).size > 1;
  // Output layer first: that is the order in which the values are computed by hand.
  const ordered = [...neurons].sort((a, b) => a.sample - b.sample || b.layer - a.layer);
  const rows = ordered.map((g): Inline[] => {
    const activation = ctx.network.layers[g.layer]?.activation ?? null;
    const cells: Inline[] = [
      [g.neuron],
      [eq(d(E, out(g.neuron)), doutCell(ctx, g))],
      [eq(d(out(g.neuron), net(g.neuron)), doutDnet(ctx, g, activation))],
      [eq(d(E, net(g.neuron)), times(n(ctx, g.dE_dout), n(ctx, g.dout_dnet)), n(ctx, g.dE_dnet))],
    ];
    return many ? [[String(g.sample)], ...cells] : cells;
  });
  const head: Inline[] = [['Neuron'], ['∂E/∂out'], ['∂out/∂net'], ['∂E/∂net']];
  table(blocks, many ? [['Sample'], ...head] : head, rows, 'neurons');
  return blocks;
}

/** E of one sample, for a batch's per-sample contributions. */
// Number(): a trace may come from a notebook file someone edited; only digits may reach TeX.
const sampleE = (s: number): M => sym(`E[${Number(s)}]`, `E^{[${Number(s)}]}`);

function gradChains(ctx: Ctx, grads: ParamGrad[], neurons: NeuronGrad[], batch: boolean): M[][] {
  const byNeuron = new Map<string, NeuronGrad>();
  for (const g of neurons) byNeuron.set(`${g.sample}:${g.neuron}`, g);
  const chains: M[][] = [];
  for (const g of grads.slice(0, MAX_ROWS)) {
    const param = id(g.name);
    for (const contribution of g.perSample) {
      const paths = contribution.paths;
      const e = batch ? sampleE(contribution.sample) : E;
      const lhs = d(e, param);
      const dnetSym = (neuron: string) => d(net(neuron), param);
      const dnetVal = (path: { dnet_dparam: number }) => n(ctx, path.dnet_dparam);
      const ng = paths.length === 1 ? byNeuron.get(`${contribution.sample}:${paths[0].neuron}`) : undefined;
      const downstream = ng?.downstream;
      if (paths.length === 0) {
        chains.push([lhs, n(ctx, contribution.value)]);
      } else if (downstream && downstream.length > 0 && downstream.length <= 4) {
        // A hidden weight: ∂E/∂out_j is itself the sum over the neurons j feeds; write it out.
        const path = paths[0];
        const j = path.neuron;
        chains.push([
          lhs,
          dot(d(e, out(j)), d(out(j), net(j)), dnetSym(j)),
          dot(paren(plus(...downstream.map((t) => dot(d(e, out(t.neuron)), d(out(t.neuron), net(t.neuron)), d(net(t.neuron), out(j)))))), d(out(j), net(j)), dnetSym(j)),
          times(paren(plus(...downstream.map((t) => times(n(ctx, t.dE_dout), n(ctx, t.dout_dnet), n(ctx, t.w))))), n(ctx, path.dout_dnet), dnetVal(path)),
          n(ctx, contribution.value),
        ]);
      } else if (paths.length <= MAX_TERMS) {
        chains.push([
          lhs,
          plus(...paths.map((path) => dot(d(e, out(path.neuron)), d(out(path.neuron), net(path.neuron)), dnetSym(path.neuron)))),
          plus(...paths.map((path) => times(n(ctx, path.dE_dout), n(ctx, path.dout_dnet), dnetVal(path)))),
          n(ctx, contribution.value),
        ]);
      } else {
        chains.push([lhs, n(ctx, contribution.value)]);
      }
    }
    if (batch) {
      const parts = g.perSample.map((c) => n(ctx, c.value));
      chains.push(parts.length > 0 && parts.length <= MAX_TERMS
        ? [d(E, param), plus(...g.perSample.map((c) => d(sampleE(c.sample), param))), plus(...parts), n(ctx, g.grad)]
        : [d(E, param), n(ctx, g.grad)]);
    }
  }
  return chains;
}

function updateBlocks(ctx: Ctx, u: UpdateTrace, rate: number): Block[] {
  const blocks: Block[] = [];
  const rows = u.updates.map((r): Inline[] => [
    [r.name],
    [n(ctx, r.old)],
    [n(ctx, r.grad)],
    r.frozen ? ['frozen'] : [n(ctx, r.step)],
    r.frozen ? [n(ctx, r.new), ' (frozen)'] : [eq(minus(n(ctx, r.old), n(ctx, r.step)), n(ctx, r.new))],
  ]);
  table(blocks, [['Parameter'], ['Old'], ['∂E/∂p'], [dot(ETA, d(E, sym('p', 'p'))), ` (η = ${fmt(ctx, rate)})`], ['New']], rows, 'parameters');
  return blocks;
}

function stepBlocks(ctx: Ctx, trace: StepTrace, level: 2 | 3): Block[] {
  const blocks: Block[] = [{ k: 'h', level, text: [`Step: epoch ${trace.epoch}`] }];
  const sub = (level + 1) as 3 | 4;
  const values = new Map(ctx.network.params.map((p) => [p.name, p.value]));
  trace.updates.forEach((u, i) => {
    // The forward pass of an update runs at the weights that update starts from.
    for (const r of u.updates) values.set(r.name, r.old);
    if (trace.updates.length > 1) {
      blocks.push({ k: 'h', level: sub, text: [`Update ${i + 1} of ${trace.updates.length}: sample${u.samples.length === 1 ? '' : 's'} ${u.samples.join(', ')}`] });
    }
    blocks.push({ k: 'p', text: ['Forward pass:'] }, ...forwardBlocks(ctx, u.forward, values));
    blocks.push(...lossBlocks(ctx, u.loss));
    blocks.push({ k: 'p', text: ['Backward pass, output layer first:'] }, ...neuronBlocks(ctx, u.neurons));
    const batch = u.samples.length > 1 || u.grads.some((g) => g.perSample.length > 1);
    blocks.push({ k: 'p', text: [batch ? 'Gradients, sample by sample, then summed over the batch:' : 'Gradients by the chain rule:'] });
    blocks.push({ k: 'chains', items: gradChains(ctx, u.grads, u.neurons, batch) });
    if (u.grads.length > MAX_ROWS) blocks.push({ k: 'note', text: [`Only the first ${MAX_ROWS} of ${u.grads.length} gradients are written out.`] });
    blocks.push({ k: 'p', text: ['Update, all parameters at once from the gradients at the old values:'] }, ...updateBlocks(ctx, u, ctx.network.rate));
  });
  blocks.push({ k: 'p', text: ['After the step: ', eq(E, n(ctx, trace.lossAfter))] });
  return blocks;
}

// ---- train ----

function lossRows(ctx: Ctx, t: TrainTrace): Inline[][] {
  const count = Math.min(t.lossCurve.length, t.lossEpochs.length);
  const every = Math.max(1, Math.ceil(count / 12));
  const rows: Inline[][] = [];
  for (let i = 0; i < count; i++) {
    if (i < 3 || i >= count - 2 || i % every === 0) rows.push([[String(t.lossEpochs[i])], [n(ctx, t.lossCurve[i])]]);
  }
  return rows;
}

function trainBlocks(ctx: Ctx, t: TrainTrace): Block[] {
  const blocks: Block[] = [{ k: 'h', level: 2, text: [`Training: ${t.epochsRun} of ${t.epochsRequested} epoch${t.epochsRequested === 1 ? '' : 's'} (now at epoch ${t.epoch})`] }];
  if (t.stopped) blocks.push({ k: 'note', text: [t.stopped.message || `Stopped at epoch ${t.stopped.epoch} (${t.stopped.reason}).`] });
  const first = t.lossCurve[0];
  const last = t.lossCurve[t.lossCurve.length - 1];
  if (t.lossCurve.length > 0) blocks.push({ k: 'p', text: ['Loss: ', eq(E, n(ctx, first)), ' at the start, ', eq(E, n(ctx, last)), ' at the end.'] });
  table(blocks, [['Epoch'], ['E']], lossRows(ctx, t), 'epochs');
  for (const snap of t.snapshots) blocks.push(...stepBlocks(context(snap), snap, 3));
  blocks.push({ k: 'p', text: ['Parameters after training:'] });
  table(blocks, [['Parameter'], ['Before'], ['After'], ['Change']], t.final.map((f) => [[f.name], [n(ctx, f.before)], [n(ctx, f.value)], [n(ctx, f.value - f.before)]]), 'parameters');
  if (t.forward.length) {
    blocks.push({ k: 'p', text: ['Forward pass at the final weights:'] });
    blocks.push(...forwardBlocks(ctx, t.forward, new Map(t.final.map((f) => [f.name, f.value]))));
    blocks.push(...lossBlocks(ctx, t.loss));
  }
  return blocks;
}

// ---- check & gradcheck ----

function checkBlocks(ctx: Ctx, t: CheckTrace): Block[] {
  const blocks: Block[] = [{ k: 'h', level: 2, text: ['Check'] }, { k: 'p', text: [checkScope(t)] }];
  const rows = t.lines.map((l): Inline[] => [
    [String(l.line)], [l.quantity], [l.writtenText], [num(l.exact, digitsBeside(l.writtenText, ctx.digits))], [`± ${formatNumber(l.tolerance, 2)}`], [l.ok ? OK : BAD],
  ]);
  table(blocks, [['Line'], ['Quantity'], ['Written'], ['Exact'], ['Accepted'], ['']], rows, 'lines');
  for (const l of t.lines) {
    if (l.ok || (!l.factors?.length && !l.diagnosis)) continue;
    blocks.push({ k: 'p', text: [`${BAD} Line ${l.line}: ${l.quantity} = ${l.writtenText}, the exact value is ${formatNumber(l.exact, digitsBeside(l.writtenText, ctx.digits))}.`] });
    if (l.factors?.length) {
      // The last column only when a factor is blamed: an empty one would print as trailing blanks.
      const blamed = l.factors.some((f) => f.suspect);
      table(blocks, [['Factor'], ['Exact'], ['Written'], ...(blamed ? [['']] : [])], l.factors.map((f): Inline[] => [
        [f.label],
        [n(ctx, f.exact)],
        f.written === undefined ? [''] : [String(f.written), f.ok === undefined ? '' : f.ok ? ` ${OK}` : ` ${BAD}`],
        ...(blamed ? [[f.suspect ? '← likely slip' : '']] : []),
      ]), 'factors');
    }
    // The engine's diagnosis is a sentence of its own; one that only restates the exact value adds nothing.
    if (l.diagnosis && !/^the exact value is/i.test(l.diagnosis)) {
      // A sentence starts with a capital, unless it starts with a name: net(h1), dnet(o1)/dw5, w1'.
      const sentence = /^[a-z]+(?=[\s,.:;])/.test(l.diagnosis) ? l.diagnosis.charAt(0).toUpperCase() + l.diagnosis.slice(1) : l.diagnosis;
      blocks.push({ k: 'p', text: [sentence + (/[.!?]$/.test(l.diagnosis) ? '' : '.')] });
    }
  }
  const total = t.passed + t.failed;
  blocks.push({ k: 'p', text: [t.failed === 0 ? `${OK} All ${total} check${total === 1 ? '' : 's'} passed.` : `${BAD} ${t.failed} of ${total} check${total === 1 ? '' : 's'} failed.`] });
  return blocks;
}

function gradcheckBlocks(ctx: Ctx, t: GradcheckTrace): Block[] {
  const blocks: Block[] = [{ k: 'h', level: 2, text: [`Gradient check: central differences, ε = ${formatNumber(t.epsilon, 3)}`] }];
  table(blocks, [['Parameter'], ['Analytic'], ['Numeric'], ['Relative error'], ['']], t.rows.map((r): Inline[] => [
    [r.name], [n(ctx, r.analytic)], [n(ctx, r.numeric)], [num(r.relativeError, 3)], [r.ok ? OK : BAD],
  ]), 'parameters');
  const bad = t.rows.filter((r) => !r.ok).length;
  blocks.push({ k: 'p', text: [t.ok ? `${OK} All gradients agree; largest relative error ${formatNumber(t.maxRelativeError, 3)}.` : `${BAD} ${bad} gradient${bad === 1 ? '' : 's'} disagree; largest relative error ${formatNumber(t.maxRelativeError, 3)}.`] });
  return blocks;
}

// ---- entry ----

/** One trace as document blocks. */
export function traceBlocks(trace: Trace): Block[] {
  const ctx = context(trace);
  let blocks: Block[];
  switch (trace.kind) {
    case 'network':
      blocks = [{ k: 'h', level: 2, text: ['Network'] }, { k: 'p', text: [describeNetwork(ctx)] }];
      if (trace.changes.length) blocks.push({ k: 'list', items: trace.changes.map((c) => [c]) });
      break;
    case 'forward':
      blocks = [
        { k: 'h', level: 2, text: ['Forward pass'] },
        ...forwardBlocks(ctx, (trace as ForwardTrace).forward, new Map(ctx.network.params.map((p) => [p.name, p.value]))),
        ...lossBlocks(ctx, trace.loss),
      ];
      break;
    case 'step': blocks = stepBlocks(ctx, trace, 2); break;
    case 'train': blocks = trainBlocks(ctx, trace); break;
    case 'check': blocks = checkBlocks(ctx, trace); break;
    case 'gradcheck': blocks = gradcheckBlocks(ctx, trace); break;
    case 'message': blocks = [{ k: 'p', text: [trace.text] }]; break;
    default: {
      const unknown = trace as { kind?: unknown };
      blocks = [{ k: 'note', text: [`(a trace of unknown kind '${String(unknown.kind)}')`] }];
    }
  }
  if (trace.limits?.truncated) {
    blocks.push({ k: 'note', text: [`Not everything is shown: ${trace.limits.notes.join('; ') || 'the network is too large'}.`] });
  }
  return blocks;
}
