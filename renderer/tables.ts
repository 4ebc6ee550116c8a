/**
 * The worked-solution tables: forward pass, loss, backward pass (neurons, then parameters with their
 * chain rule in symbols and numbers) and the update. Every formula is the notation layer's chain for
 * that quantity (present/quantities.ts) — the same one the text, Markdown and LaTeX outputs print —
 * typeset with each parameter and neuron in it hoverable.
 */
import type { M } from '../src/engine/present/formula';
import { eq, ETA } from '../src/engine/present/formula';
import { lossDefinition, UPDATE_RULE, type Chain } from '../src/engine/present/quantities';
import { decayChain, jacobianRule, neuronChains, optimizerRow, optimizerRule, outChain } from '../src/engine/present/classification';
import type { LossTrace, NeuronGrad, ParamGrad, SampleForward, UpdateTrace } from '../src/engine/trace/schema';
import { el } from './dom';
import { keyed, neuronKey, paramKey, type Hover } from './hover';
import { groupedTable, type Group } from './layout';
import { type Model } from './model';
import type { Lazy } from './lazy';
import { chainBox, formula, nameMath } from './tex';

/** Input values listed above the forward table. */
const MAX_INPUTS = 8;

/** The tables' labels: the step-through finds a quantity's row by them. */
export const TABLE_LABELS = {
  forward: 'forward pass', loss: 'loss', neurons: 'backward pass through the neurons', gradients: 'backward pass: gradients', update: 'update',
} as const;

export class Tables {
  /** `lazy`: formulas in the tables are typeset when they come into view. */
  constructor(private readonly model: Model, private readonly hover: Hover, private readonly lazy?: Lazy) {}

  private lines(c: Chain | undefined, cls?: string): HTMLDivElement[] {
    return c ? [chainBox(c, this.model.keyOf, cls, this.lazy)] : [];
  }

  private formula(m: M): HTMLElement[] {
    return formula(m, this.model.keyOf);
  }

  private num(x: number): HTMLTableCellElement {
    return el('td', { class: 'bp-num' }, this.model.f(x));
  }

  private nameCell(name: string, key: string): HTMLTableCellElement {
    return el('td', null, keyed(el('span', { class: 'bp-name', 'aria-label': name }, nameMath(name)), key, false));
  }

  private row(key: string, ...cells: HTMLTableCellElement[]): HTMLTableRowElement {
    return keyed(el('tr', null, ...cells), key);
  }

  /** A row of one sample's quantity (the step-through finds it by its sample). */
  private sampleRow(key: string, sample: number, ...cells: HTMLTableCellElement[]): HTMLTableRowElement {
    const tr = this.row(key, ...cells);
    tr.setAttribute('data-sample', String(sample));
    return tr;
  }

  private layerTitle(l: number): string {
    const layers = this.model.trace.network.layers;
    const layer = layers[l];
    const role = l === 0 ? 'input layer' : l === layers.length - 1 ? 'output layer' : `hidden layer ${l}`;
    const names = layer.neurons.length <= 6 ? layer.neurons.join(', ') : `${layer.neurons.slice(0, 4).join(', ')}, … (${layer.size})`;
    return `${role}: ${names}${layer.activation ? ` (${layer.activation})` : ''}`;
  }

  private sampleTag(s: number, many: boolean): string {
    return many ? `sample ${s} · ` : '';
  }

  /** Forward pass: every neuron's net written out as Σ w·x + b, then out = f(net). */
  forward(forwards: SampleForward[], values = this.model.look.paramValues()): HTMLElement {
    const layers = this.model.trace.network.layers;
    const many = forwards.length > 1;
    const groups: Group[] = [];
    forwards.forEach((fw, si) => {
      for (let l = 1; l < layers.length; l++) {
        const names = layers[l].neurons;
        groups.push({
          title: `${this.sampleTag(fw.sample, many)}${this.layerTitle(l)}`,
          rows: names.length,
          open: si === 0 && l === layers.length - 1,
          build: (a, b) => names.slice(a, b).map((n) => this.forwardRow(fw, n, layers[l].activation, values)),
        });
      }
    });
    const first = forwards[0];
    const inputs = first ? el('div', { class: 'bp-summary bp-muted' }, many ? `${forwards.length} samples shown; ` : '', 'inputs: ',
      ...layers[0].neurons.slice(0, MAX_INPUTS).flatMap((n, i) => [i ? ', ' : '', keyed(el('span', null, `${n} = ${this.model.f(first.input[i])}`), neuronKey(n), false)]),
      layers[0].size > MAX_INPUTS ? ', …' : '', many ? ` (sample ${first.sample})` : '') : null;
    return el('div', null, inputs, groupedTable(['neuron', 'net = Σ w·x + b', 'out = f(net)'], groups, this.hover, TABLE_LABELS.forward));
  }

  private forwardRow(fw: SampleForward, n: string, activation: string | null, values: Map<string, number>): HTMLTableRowElement {
    const { look, notation } = this.model;
    const v = look.value(fw, n);
    const netCell = el('td', null, ...this.lines(notation.net(look, fw, n, values)));
    const outCell = el('td', null, ...(v ? this.lines(outChain(notation, look, fw, n, activation, v)) : []));
    return this.sampleRow(neuronKey(n), fw.sample, this.nameCell(n, neuronKey(n)), netCell, outCell);
  }

  /** The loss as its record defines it, each output's term (of `sample` only, when given), then E. */
  loss(loss: LossTrace, sample?: number): HTMLElement {
    const bySample = new Map<number, LossTrace['terms']>();
    for (const t of loss.terms) if (sample === undefined || t.sample === sample) bySample.set(t.sample, [...(bySample.get(t.sample) ?? []), t]);
    const many = bySample.size > 1;
    const { notation } = this.model;
    const groups: Group[] = [...bySample].map(([s, terms], i) => ({
      title: many ? `sample ${s}` : '',
      rows: terms.length,
      open: i === 0,
      build: (a, b) => terms.slice(a, b).map((t) => this.sampleRow(neuronKey(t.neuron), t.sample,
        this.nameCell(t.neuron, neuronKey(t.neuron)),
        this.num(t.target), this.num(t.out),
        el('td', null, ...this.lines(notation.lossTerm(loss, t))))),
    }));
    const definition = lossDefinition(loss);
    return el('div', null,
      el('div', { class: 'bp-summary' }, ...(definition ? this.formula(definition) : []), el('span', { class: 'bp-muted' }, `  (${loss.name}${loss.batchSize > 1 ? `, N = ${loss.batchSize}` : ''})`)),
      groupedTable(['output', 'target t', 'out', 'term'], groups, this.hover, TABLE_LABELS.loss),
      ...this.lines(decayChain(notation, loss), 'bp-formula bp-decay'),
      ...this.lines(notation.lossTotal(loss), 'bp-formula bp-total'));
  }

  /** ∂E/∂out, ∂out/∂net and δ = ∂E/∂net of every neuron (in `sample`, when given), output layer first. */
  neurons(u: UpdateTrace, sample?: number): HTMLElement {
    const layers = this.model.trace.network.layers;
    const samples = sample === undefined ? [...new Set(u.neurons.map((n) => n.sample))] : [sample];
    const many = samples.length > 1;
    const groups: Group[] = [];
    samples.forEach((s, si) => {
      for (let l = layers.length - 1; l >= 1; l--) {
        const list = u.neurons.filter((n) => n.sample === s && n.layer === l);
        if (!list.length) continue;
        groups.push({
          title: `${this.sampleTag(s, many)}${this.layerTitle(l)}`,
          rows: list.length,
          open: si === 0 && l === layers.length - 1,
          build: (a, b) => list.slice(a, b).map((g) => this.neuronRow(g, u, layers[l].activation)),
        });
      }
    });
    const rule = jacobianRule(layers[layers.length - 1]?.activation ?? null);
    const table = groupedTable(['neuron', '∂E/∂out', rule ? '∂out/∂net (the Jacobian), then δ = ∂E/∂net' : '∂out/∂net, then δ = ∂E/∂net = ∂E/∂out · ∂out/∂net'], groups, this.hover, TABLE_LABELS.neurons);
    if (!rule) return table;
    return el('div', null, el('div', { class: 'bp-summary' }, 'output layer: ', ...this.formula(rule), el('span', { class: 'bp-muted' }, '  combined with ∂E/∂out as ∂E/∂net_j = Σ_k ∂E/∂out_k · ∂out_k/∂net_j')), table);
  }

  private neuronRow(g: NeuronGrad, u: UpdateTrace, activation: string | null): HTMLTableRowElement {
    const { notation } = this.model;
    const key = neuronKey(g.neuron);
    const dout = el('td', null, ...this.lines(notation.dEdout(g, u.loss)));
    // ∂E/∂net goes under ∂out/∂net: the table then fits an ordinary output's width.
    const c = neuronChains(notation, g, u.loss, activation);
    const simplified = c.simplified ? [...this.lines(c.simplified.chain, 'bp-formula bp-delta'), el('div', { class: 'bp-muted' }, c.simplified.note)] : [];
    const dnet = el('td', null, ...c.dout.flatMap((x) => this.lines(x)), ...c.dnet.flatMap((x) => this.lines(x, 'bp-formula bp-delta')), ...simplified);
    return this.sampleRow(key, g.sample, this.nameCell(g.neuron, key), dout, dnet);
  }

  /**
   * Every parameter's gradient by the chain rule, in symbols and numbers; in a batch, the
   * contribution of `sample` (the one the sample switcher shows), then the sum over the batch.
   */
  params(u: UpdateTrace, sample?: number): HTMLElement {
    const batch = u.samples.length > 1 || u.grads.some((g) => g.perSample.length > 1);
    const groups = this.byLayer(u.grads, (g) => this.paramRow(g, u, batch, sample));
    return groupedTable(['parameter', 'chain rule', '∂E/∂p'], groups, this.hover, TABLE_LABELS.gradients);
  }

  private paramRow(g: ParamGrad, u: UpdateTrace, batch: boolean, sample: number | undefined): HTMLTableRowElement {
    const key = paramKey(g.name);
    const lambda = this.model.trace.network.decay;
    const decay = lambda ? { lambda, value: u.updates.find((r) => r.name === g.name)?.old ?? NaN } : undefined;
    const { perSample, total } = this.model.notation.gradient(g, batch, decay);
    const shown = perSample.find((s) => s.sample === sample) ?? perSample[0];
    const cell = el('td', null);
    if (shown) cell.append(el('div', { class: total ? 'bp-sub' : '', 'data-sample': shown.sample }, ...this.lines(shown.chain)));
    cell.append(...this.lines(total));
    return this.row(key, this.nameCell(g.name, key), cell, this.num(g.grad));
  }

  /** p' = p − η·∂E/∂p, all parameters at once; or the optimizer's rule with its state. */
  updates(u: UpdateTrace): HTMLElement {
    const { notation } = this.model;
    const optimizer = optimizerRule(notation, this.model.trace.network, u);
    if (optimizer) return this.optimizerUpdates(u, optimizer);
    const groups = this.byLayer(u.updates, (r) => {
      const key = paramKey(r.name);
      const newCell = r.frozen ? el('td', { class: 'bp-num bp-frozen' }, `${this.model.f(r.new)} (frozen)`) : el('td', null, ...this.lines(notation.update(r)));
      return this.row(key, this.nameCell(r.name, key), this.num(r.old), this.num(r.grad), this.num(r.step), newCell);
    });
    const rate = this.model.trace.network.rate;
    return el('div', null,
      el('div', { class: 'bp-summary' }, ...this.formula(UPDATE_RULE), ', ', ...this.formula(eq(ETA, notation.n(rate)))),
      groupedTable(['parameter', 'old', '∂E/∂p', 'η·∂E/∂p', 'new'], groups, this.hover, TABLE_LABELS.update));
  }

  /** The update table of an optimizer with state: each state line (v' = β·v + g = …), then the new value. */
  private optimizerUpdates(u: UpdateTrace, optimizer: { rule: M[]; settings: M[] }): HTMLElement {
    const { notation } = this.model;
    const network = this.model.trace.network;
    const groups = this.byLayer(u.updates, (r) => {
      const key = paramKey(r.name);
      const row = optimizerRow(notation, network, u, r)!;
      // Every line of the rule in one column, the new value alone in the last: the table keeps to the output's width.
      const lines = r.frozen ? el('td', { class: 'bp-muted' }, 'frozen') : el('td', null, ...[...row.state, row.value].flatMap((x) => this.lines(x)));
      const newCell = r.frozen ? el('td', { class: 'bp-num bp-frozen' }, `${this.model.f(r.new)} (frozen)`) : this.num(r.new);
      return this.row(key, this.nameCell(r.name, key), this.num(r.old), this.num(r.grad), lines, newCell);
    });
    const sep = (ms: M[], by: string) => ms.flatMap((m, i) => [...(i ? [by] : []), ...this.formula(m)]);
    return el('div', null,
      el('div', { class: 'bp-summary' }, ...sep(optimizer.rule, '; ')),
      el('div', { class: 'bp-summary bp-muted' }, 'with g = ∂E/∂p, ', ...sep(optimizer.settings, ', ')),
      groupedTable(['parameter', 'old', 'g = ∂E/∂p', 'the update, line by line', 'new'], groups, this.hover, 'update'));
  }

  /** Parameters before and after training. */
  finalParams(final: { name: string; value: number; before: number }[]): HTMLElement {
    const groups = this.byLayer(final, (r) => {
      const key = paramKey(r.name);
      return this.row(key, this.nameCell(r.name, key), this.num(r.before), this.num(r.value), this.num(r.value - r.before));
    });
    return groupedTable(['parameter', 'before', 'after', 'change'], groups, this.hover, 'final parameters');
  }

  /** Rows about parameters, grouped by the layer they feed, output layer first (and open). */
  private byLayer<T extends { name: string }>(items: T[], row: (item: T) => HTMLTableRowElement): Group[] {
    const layers = this.model.trace.network.layers;
    const groups: Group[] = [];
    for (let l = layers.length - 1; l >= 1; l--) {
      const list = items.filter((r) => this.model.look.param(r.name)?.layer === l);
      if (!list.length) continue;
      groups.push({
        title: `parameters into the ${this.layerTitle(l)}`,
        rows: list.length,
        open: l === layers.length - 1,
        build: (a, b) => list.slice(a, b).map(row),
      });
    }
    return groups;
  }
}
