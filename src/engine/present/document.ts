/**
 * Traces → the worked-solution document (see doc.ts): forward table with every net input written
 * out, loss terms, ∂E/∂out and ∂out/∂net per neuron, every parameter's chain-rule product in symbols
 * and in numbers (a hidden weight's as the sum over the neurons it feeds, a batch's per sample),
 * the update table, check and gradcheck results, and a training summary.
 */
import type {
  CheckLine, CheckTrace, ForwardTrace, GradcheckTrace, LossTrace, SampleForward, StepTrace, Trace, TrainTrace, UpdateTrace,
} from '../trace/schema';
import { checkScope } from '../trace/schema';
import { TraceLookups } from '../trace/lookups';
import { digitsBeside, formatNumber } from '../language/numbers';
import type { Block, Inline } from './doc';
import { E, eq, num, type M } from './formula';
import { notCheckedHeading, notCheckedText, writtenQuantity } from './notes';
import { Notation, STEP, UPDATE_RULE, type Chain } from './quantities';
import { decayChain, jacobianRule, neuronChains, optimizerRow, optimizerRule, outChain } from './classification';
import { describeOptimizer } from '../math/optimizers';

/** Rows per table; the trace itself already limits big networks, this guards the printers. */
const MAX_ROWS = 500;

const OK = '✓';
const BAD = '✗';
/** A blank of an exercise (`QUANTITY = ?`): neither ✓ nor ✗. */
const NOT_ANSWERED = 'not answered yet';

interface Ctx {
  look: TraceLookups;
  notation: Notation;
  n: (v: number) => M;
}

function context(trace: Trace): Ctx {
  const look = new TraceLookups(trace);
  const notation = new Notation(look.digits);
  return { look, notation, n: notation.n };
}

const fmt = (ctx: Ctx, v: number): string => formatNumber(v, ctx.notation.digits);

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
  const net = ctx.look.trace.network;
  const sizes = net.layers.map((l) => l.size).join('-');
  const acts = net.layers.slice(1).map((l) => l.activation).join(', ');
  const frozen = net.params.filter((p) => p.frozen).length;
  const mode = net.mode.kind === 'minibatch' ? `minibatch ${net.mode.size}` : net.mode.kind;
  return `${sizes} network (${acts}), ${net.paramCount} parameter${net.paramCount === 1 ? '' : 's'}`
    + `${frozen ? ` (${frozen} frozen)` : ''}, loss ${net.loss}, rate ${fmt(ctx, net.rate)}, mode ${mode}, `
    + `${net.optimizer && net.optimizer.name !== 'sgd' ? `optimizer ${describeOptimizer(net.optimizer)}, ` : ''}${net.decay ? `decay ${fmt(ctx, net.decay)}, ` : ''}`
    + `${net.sampleCount} sample${net.sampleCount === 1 ? '' : 's'}.`;
}

// ---- forward ----

function sampleHeading(ctx: Ctx, s: SampleForward): Inline {
  const layers = ctx.look.trace.network.layers;
  const inputs = layers[0].neurons.map((name, i) => `${name} = ${fmt(ctx, s.input[i])}`).filter((_, i) => i < s.input.length);
  const outs = layers[layers.length - 1].neurons;
  const targets = outs.map((name, i) => `${name} = ${fmt(ctx, s.target[i])}`).filter((_, i) => i < s.target.length);
  return [`Sample ${s.sample}: ${inputs.join(', ')} → ${targets.join(', ')}`];
}

function forwardBlocks(ctx: Ctx, forward: SampleForward[], values: Map<string, number>): Block[] {
  const blocks: Block[] = [];
  const network = ctx.look.trace.network;
  for (const s of forward) {
    if (forward.length > 1 || network.sampleCount > 1) blocks.push({ k: 'h', level: 4, text: sampleHeading(ctx, s) });
    else blocks.push({ k: 'p', text: sampleHeading(ctx, s) });
    const rows: Inline[][] = [];
    for (const layer of network.layers.slice(1)) {
      for (const name of layer.neurons) {
        const v = ctx.look.value(s, name);
        const netChain = ctx.notation.net(ctx.look, s, name, values);
        if (!v || !netChain) continue;
        rows.push([[name], [eq(...netChain)], [eq(...outChain(ctx.notation, ctx.look, s, name, layer.activation, v))]]);
      }
    }
    table(blocks, [['Neuron'], ['Net input'], ['Output']], rows, 'neurons');
  }
  return blocks;
}

// ---- loss ----

function lossBlocks(ctx: Ctx, loss: LossTrace): Block[] {
  const blocks: Block[] = [];
  const many = new Set(loss.terms.map((t) => t.sample)).size > 1;
  const rows = loss.terms.map((term): Inline[] => {
    const formula = eq(...ctx.notation.lossTerm(loss, term));
    return many ? [[String(term.sample)], [term.neuron], [formula]] : [[term.neuron], [formula]];
  });
  table(blocks, many ? [['Sample'], ['Output'], ['Term of E']] : [['Output'], ['Term of E']], rows, 'loss terms');
  const decay = decayChain(ctx.notation, loss);
  if (decay) blocks.push({ k: 'p', text: ['Decay, over the weights (not the biases): ', eq(...decay)] });
  const total = eq(...ctx.notation.lossTotal(loss));
  blocks.push({ k: 'p', text: [`Loss ${loss.name}${loss.batchSize > 1 ? ` over ${loss.batchSize} samples` : ''}: `, total] });
  return blocks;
}

// ---- backward ----

function neuronBlocks(ctx: Ctx, u: UpdateTrace): Block[] {
  const blocks: Block[] = [];
  const many = new Set(u.neurons.map((g) => g.sample)).size > 1;
  const layers = ctx.look.trace.network.layers;
  // Output layer first: that is the order in which the values are computed by hand.
  const ordered = [...u.neurons].sort((a, b) => a.sample - b.sample || b.layer - a.layer);
  const rows = ordered.map((g): Inline[] => {
    const chains = neuronChains(ctx.notation, g, u.loss, layers[g.layer]?.activation ?? null);
    const simplified: Inline = chains.simplified ? ['; ', eq(...chains.simplified.chain), ` (${chains.simplified.note})`] : [];
    const cells: Inline[] = [
      [g.neuron],
      [eq(...ctx.notation.dEdout(g, u.loss))],
      joined(chains.dout),
      [...joined(chains.dnet), ...simplified],
    ];
    return many ? [[String(g.sample)], ...cells] : cells;
  });
  const head: Inline[] = [['Neuron'], ['∂E/∂out'], ['∂out/∂net'], ['δ = ∂E/∂net']];
  const rule = jacobianRule(layers[layers.length - 1]?.activation ?? null);
  if (rule) blocks.push({ k: 'p', text: ['The output layer\'s Jacobian, combined with ∂E/∂out as ∂E/∂net_j = Σ_k ∂E/∂out_k · ∂out_k/∂net_j: ', rule] });
  table(blocks, many ? [['Sample'], ...head] : head, rows, 'neurons');
  return blocks;
}

/** Several chains in one cell, one after another. */
function joined(chains: Chain[]): Inline {
  return chains.flatMap((c, i) => (i ? ['; ', eq(...c)] : [eq(...c)]));
}

function gradChains(ctx: Ctx, u: UpdateTrace, batch: boolean): M[][] {
  const lambda = ctx.look.trace.network.decay;
  const old = new Map(u.updates.map((r) => [r.name, r.old]));
  return u.grads.slice(0, MAX_ROWS).flatMap((g) => {
    const decay = lambda ? { lambda, value: old.get(g.name) ?? NaN } : undefined;
    const { perSample, total } = ctx.notation.gradient(g, batch, decay);
    return [...perSample.map((s) => s.chain), ...(total ? [total] : [])];
  });
}

function updateBlocks(ctx: Ctx, u: UpdateTrace, rate: number): Block[] {
  const blocks: Block[] = [];
  const n = ctx.n;
  const network = ctx.look.trace.network;
  if (optimizerRule(ctx.notation, network, u)) {
    const rows = u.updates.map((r): Inline[] => {
      const row = optimizerRow(ctx.notation, network, u, r)!;
      return [[r.name], [n(r.old)], [n(r.grad)], r.frozen ? ['frozen'] : joined([...row.state, row.value]), r.frozen ? [n(r.new), ' (frozen)'] : [n(r.new)]];
    });
    table(blocks, [['Parameter'], ['Old'], ['∂E/∂p = g'], ['The update, line by line'], ['New']], rows, 'parameters');
    return blocks;
  }
  const rows = u.updates.map((r): Inline[] => [
    [r.name],
    [n(r.old)],
    [n(r.grad)],
    r.frozen ? ['frozen'] : [n(r.step)],
    r.frozen ? [n(r.new), ' (frozen)'] : [eq(...ctx.notation.update(r))],
  ]);
  table(blocks, [['Parameter'], ['Old'], ['∂E/∂p'], [STEP, ` (η = ${fmt(ctx, rate)})`], ['New']], rows, 'parameters');
  return blocks;
}

function stepBlocks(ctx: Ctx, trace: StepTrace, level: 2 | 3): Block[] {
  const blocks: Block[] = [{ k: 'h', level, text: [`Step: epoch ${trace.epoch}`] }];
  const sub = (level + 1) as 3 | 4;
  const rate = ctx.look.trace.network.rate;
  trace.updates.forEach((u, i) => {
    if (trace.updates.length > 1) {
      blocks.push({ k: 'h', level: sub, text: [`Update ${i + 1} of ${trace.updates.length}: sample${u.samples.length === 1 ? '' : 's'} ${u.samples.join(', ')}`] });
    }
    // The forward pass of an update runs at the weights that update starts from.
    blocks.push({ k: 'p', text: ['Forward pass:'] }, ...forwardBlocks(ctx, u.forward, ctx.look.paramValues(u)));
    blocks.push(...lossBlocks(ctx, u.loss));
    blocks.push({ k: 'p', text: ['Backward pass, output layer first:'] }, ...neuronBlocks(ctx, u));
    const batch = u.samples.length > 1 || u.grads.some((g) => g.perSample.length > 1);
    blocks.push({ k: 'p', text: [batch ? 'Gradients, sample by sample, then summed over the batch:' : 'Gradients by the chain rule:'] });
    blocks.push({ k: 'chains', items: gradChains(ctx, u, batch) });
    if (u.grads.length > MAX_ROWS) blocks.push({ k: 'note', text: [`Only the first ${MAX_ROWS} of ${u.grads.length} gradients are written out.`] });
    const optimizer = optimizerRule(ctx.notation, ctx.look.trace.network, u);
    const rule: Inline = optimizer ? [...optimizer.rule.flatMap((m) => [m, '; ']), 'with ', ...optimizer.settings.flatMap((m, i) => (i ? [', ', m] : [m]))] : [UPDATE_RULE];
    blocks.push({ k: 'p', text: ['Update, all parameters at once from the gradients at the old values: ', ...rule] }, ...updateBlocks(ctx, u, rate));
  });
  blocks.push({ k: 'p', text: ['After the step: ', eq(E, ctx.n(trace.lossAfter))] });
  return blocks;
}

// ---- train ----

function lossRows(ctx: Ctx, t: TrainTrace): Inline[][] {
  const count = Math.min(t.lossCurve.length, t.lossEpochs.length);
  const every = Math.max(1, Math.ceil(count / 12));
  const rows: Inline[][] = [];
  for (let i = 0; i < count; i++) {
    if (i < 3 || i >= count - 2 || i % every === 0) rows.push([[String(t.lossEpochs[i])], [ctx.n(t.lossCurve[i])]]);
  }
  return rows;
}

function trainBlocks(ctx: Ctx, t: TrainTrace): Block[] {
  const blocks: Block[] = [{ k: 'h', level: 2, text: [`Training: ${t.epochsRun} of ${t.epochsRequested} epoch${t.epochsRequested === 1 ? '' : 's'} (now at epoch ${t.epoch})`] }];
  if (t.stopped) blocks.push({ k: 'note', text: [t.stopped.message || `Stopped at epoch ${t.stopped.epoch} (${t.stopped.reason}).`] });
  const first = t.lossCurve[0];
  const last = t.lossCurve[t.lossCurve.length - 1];
  if (t.lossCurve.length > 0) blocks.push({ k: 'p', text: ['Loss: ', eq(E, ctx.n(first)), ' at the start, ', eq(E, ctx.n(last)), ' at the end.'] });
  table(blocks, [['Epoch'], ['E']], lossRows(ctx, t), 'epochs');
  for (const snap of t.snapshots) blocks.push(...stepBlocks(context(snap), snap, 3));
  blocks.push({ k: 'p', text: ['Parameters after training:'] });
  table(blocks, [['Parameter'], ['Before'], ['After'], ['Change']], t.final.map((f) => [[f.name], [ctx.n(f.before)], [ctx.n(f.value)], [ctx.n(f.value - f.before)]]), 'parameters');
  if (t.forward.length) {
    blocks.push({ k: 'p', text: ['Forward pass at the final weights:'] });
    blocks.push(...forwardBlocks(ctx, t.forward, new Map(t.final.map((f) => [f.name, f.value]))));
    blocks.push(...lossBlocks(ctx, t.loss));
  }
  return blocks;
}

// ---- check & gradcheck ----

/** Where a check line's number counts from: the cell (editor, documents) or the file (`fileLine`: the file line of the cell's first line). */
export interface LineNumbering { fileLine?: number }

function checkBlocks(ctx: Ctx, t: CheckTrace, numbering: LineNumbering): Block[] {
  const blocks: Block[] = [{ k: 'h', level: 2, text: ['Check'] }, { k: 'p', text: [checkScope(t)] }];
  const lineOf = (n: number) => (numbering.fileLine === undefined ? n : numbering.fileLine + n - 1);
  const lineNo = (l: CheckLine) => lineOf(l.line);
  const batched = t.lines.some((l) => l.batch);
  const exact = (l: CheckLine) => (l.problem ? '—' : l.blank ? '' : num(l.exact, digitsBeside(l.writtenText, ctx.notation.digits)));
  const rows = t.lines.map((l): Inline[] => [
    [String(lineNo(l))], [writtenQuantity(l)], ...(batched ? [[samplesOf(l)]] : []), [l.writtenText], [exact(l)], [l.problem ? '—' : l.blank ? '' : `± ${formatNumber(l.tolerance, 2)}`], [l.blank ? NOT_ANSWERED : l.ok ? OK : BAD],
  ]);
  const lineHead = numbering.fileLine === undefined ? 'Line in cell' : 'Line in file';
  table(blocks, [[lineHead], ['Quantity'], ...(batched ? [['Samples']] : []), ['Written'], ['Exact'], ['Accepted'], ['']], rows, 'lines');
  for (const l of t.lines) {
    if (l.problem) { blocks.push({ k: 'p', text: [`${BAD} Line ${lineNo(l)}: ${writtenQuantity(l)} = ${l.writtenText} was not checked: ${l.problem.message} (${l.problem.code}).`] }); continue; }
    const findings = (l.steps ?? []).filter((s) => s.finding);
    if (findings.length) blocks.push({ k: 'p', text: [`Line ${lineNo(l)}, your arithmetic:`] }, { k: 'list', items: findings.map((s) => [s.finding!]) });
    if (l.ok || (!l.factors?.length && !l.diagnosis)) continue;
    blocks.push({ k: 'p', text: [`${BAD} Line ${lineNo(l)}: ${writtenQuantity(l)} = ${l.writtenText}, the exact value is ${formatNumber(l.exact, digitsBeside(l.writtenText, ctx.notation.digits))}.`] });
    if (l.factors?.length) {
      // The last column only when a factor is blamed: an empty one would print as trailing blanks.
      const blamed = l.factors.some((f) => f.suspect);
      table(blocks, [['Factor'], ['Exact'], ['Written'], ...(blamed ? [['']] : [])], l.factors.map((f): Inline[] => [
        [f.label],
        [ctx.n(f.exact)],
        f.written === undefined ? [''] : [String(f.written), f.ok === undefined ? '' : f.ok ? ` ${OK}` : ` ${BAD}`],
        ...(blamed ? [[f.suspect ? '← likely slip' : '']] : []),
      ]), 'factors');
    }
    // The engine's diagnosis is a sentence of its own; one that only restates the exact value adds nothing.
    if (l.diagnosis && !/^the exact value is/i.test(l.diagnosis) && !findings.some((f) => f.finding === l.diagnosis)) {
      // A sentence starts with a capital, unless it starts with a name: net(h1), dnet(o1)/dw5, w1'.
      const sentence = /^[a-z]+(?=[\s,.:;])/.test(l.diagnosis) ? l.diagnosis.charAt(0).toUpperCase() + l.diagnosis.slice(1) : l.diagnosis;
      blocks.push({ k: 'p', text: [sentence + (/[.!?]$/.test(l.diagnosis) ? '' : '.')] });
    }
  }
  const heading = notCheckedHeading(t);
  if (heading) blocks.push({ k: 'p', text: [`${heading}:`] }, { k: 'list', items: (t.notChecked ?? []).map((n) => [notCheckedText(n, ctx.notation.digits, lineOf)]) });
  const total = t.passed + t.failed;
  const blanks = t.lines.filter((l) => l.blank).length;
  const open = blanks ? `${total ? ' ' : ''}${blanks} ${NOT_ANSWERED}.` : '';
  const verdict = total === 0 && blanks ? '' : t.failed === 0 ? `${OK} All ${total} check${total === 1 ? '' : 's'} passed.` : `${BAD} ${t.failed} of ${total} check${total === 1 ? '' : 's'} failed.`;
  blocks.push({ k: 'p', text: [verdict + open] });
  return blocks;
}

/** "1 of 3" for one sample's value, "sum of 3" for a sum over the batch. */
export function samplesOf(l: Pick<CheckLine, 'batch'>): string {
  if (!l.batch) return '';
  return l.batch.sample === undefined ? `sum of ${l.batch.of}` : `${l.batch.sample} of ${l.batch.of}`;
}

function gradcheckBlocks(ctx: Ctx, t: GradcheckTrace): Block[] {
  const blocks: Block[] = [{ k: 'h', level: 2, text: [`Gradient check: central differences, ε = ${formatNumber(t.epsilon, 3)}`] }];
  table(blocks, [['Parameter'], ['Analytic'], ['Numeric'], ['Relative error'], ['']], t.rows.map((r): Inline[] => [
    [r.name], [ctx.n(r.analytic)], [ctx.n(r.numeric)], [num(r.relativeError, 3)], [r.ok ? OK : BAD],
  ]), 'parameters');
  const bad = t.rows.filter((r) => !r.ok).length;
  blocks.push({ k: 'p', text: [t.ok ? `${OK} All gradients agree; largest relative error ${formatNumber(t.maxRelativeError, 3)}.` : `${BAD} ${bad} gradient${bad === 1 ? '' : 's'} disagree; largest relative error ${formatNumber(t.maxRelativeError, 3)}.`] });
  return blocks;
}

// ---- entry ----

/** One trace as document blocks; check lines numbered in the cell unless `numbering` says the file. */
export function traceBlocks(trace: Trace, numbering: LineNumbering = {}): Block[] {
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
        ...forwardBlocks(ctx, (trace as ForwardTrace).forward, ctx.look.paramValues()),
        ...lossBlocks(ctx, trace.loss),
      ];
      break;
    case 'step': blocks = stepBlocks(ctx, trace, 2); break;
    case 'train': blocks = trainBlocks(ctx, trace); break;
    case 'check': blocks = checkBlocks(ctx, trace, numbering); break;
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
