/**
 * The worked-solution tables: forward pass, loss, backward pass (neurons, then parameters with their
 * chain rule in symbols and numbers) and the update. Names inside formulas are typeset one piece at a
 * time so each piece can carry its parameter or neuron key for hover and highlight.
 */
import type { Activation, LossTrace, NeuronGrad, ParamGrad, SampleForward, UpdateTrace } from '../src/engine/trace/schema';
import { el } from './dom';
import { fmtTex, fmtTexFactor } from './format';
import { keyed, neuronKey, paramKey, type Hover } from './hover';
import { groupedTable, type Group } from './layout';
import { type Model } from './model';
import { math, texName } from './tex';

/** Terms of a long sum shown before and after the ellipsis. */
const HEAD_TERMS = 3;
const MAX_TERMS = 6;
const MAX_SAMPLE_LINES = 8;

type Piece = string | Node;

export class Tables {
  constructor(private readonly model: Model, private readonly hover: Hover) {}

  private F = (x: number) => fmtTex(x, this.model.digits);
  private FF = (x: number) => fmtTexFactor(x, this.model.digits);

  private line(cls: string, ...pieces: Piece[]): HTMLDivElement {
    return el('div', { class: cls }, ...pieces.map((p) => (typeof p === 'string' ? math(p) : p)));
  }

  private km(tex: string, key: string): HTMLElement {
    return keyed(math(tex), key, false);
  }

  private num(x: number): HTMLTableCellElement {
    return el('td', { class: 'bp-num' }, this.model.f(x));
  }

  private nameCell(name: string, key: string): HTMLTableCellElement {
    return el('td', null, keyed(el('span', { class: 'bp-name' }, name), key, false));
  }

  private row(key: string, ...cells: HTMLTableCellElement[]): HTMLTableRowElement {
    return keyed(el('tr', null, ...cells), key);
  }

  private src(name: string): string {
    const pos = this.model.neurons.get(name);
    return pos && pos.layer === 0 ? texName(name) : outS(name);
  }

  private layerTitle(l: number): string {
    const layer = this.model.trace.network.layers[l];
    const last = this.model.trace.network.layers.length - 1;
    const role = l === 0 ? 'input layer' : l === last ? 'output layer' : `hidden layer ${l}`;
    const names = layer.neurons.length <= 6 ? layer.neurons.join(', ') : `${layer.neurons.slice(0, 4).join(', ')}, … (${layer.size})`;
    return `${role}: ${names}${layer.activation ? ` (${layer.activation})` : ''}`;
  }

  private sampleTag(s: number, many: boolean): string {
    return many ? `sample ${s} · ` : '';
  }

  /** Forward pass: every neuron's net written out as Σ w·x + b, then out = f(net). */
  forward(forwards: SampleForward[], values?: Map<string, number>): HTMLElement {
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
          build: (a, b) => names.slice(a, b).map((n) => this.forwardRow(fw, n, layers[l].activation ?? 'linear', values)),
        });
      }
    });
    const inputs = forwards.length ? el('div', { class: 'bp-summary bp-muted' }, many ? `${forwards.length} samples shown; ` : '', 'inputs: ',
      ...layers[0].neurons.slice(0, 8).flatMap((n, i) => [i ? ', ' : '', keyed(el('span', null, `${n} = ${this.model.f(forwards[0].input[i])}`), neuronKey(n), false)]),
      layers[0].size > 8 ? ', …' : '', many ? ` (sample ${forwards[0].sample})` : '') : null;
    return el('div', null, inputs, groupedTable(['neuron', 'net = Σ w·x + b', 'out = f(net)'], groups, this.hover, 'forward pass'));
  }

  private forwardRow(fw: SampleForward, n: string, act: Activation, values?: Map<string, number>): HTMLTableRowElement {
    const v = this.model.value(fw, n);
    const incoming = this.model.incoming.get(n) ?? [];
    const shown = elide(incoming);
    const sym: Piece[] = [this.km(netS(n), neuronKey(n)), '='];
    const nums: string[] = [];
    shown.forEach((p, i) => {
      if (i > 0) sym.push('+');
      if (p === null) {
        sym.push('\\cdots');
        nums.push('\\cdots');
        return;
      }
      if (p.kind === 'weight' && p.from !== undefined) {
        const x = this.model.value(fw, p.from)?.out ?? NaN;
        sym.push(this.km(texName(p.name), paramKey(p.name)), '\\cdot', this.km(this.src(p.from), neuronKey(p.from)));
        nums.push(`${this.FF(values?.get(p.name) ?? p.value)} \\cdot ${this.FF(x)}`);
      } else {
        sym.push(this.km(texName(p.name), paramKey(p.name)));
        nums.push(this.FF(values?.get(p.name) ?? p.value));
      }
    });
    const netCell = el('td', null);
    if (v) {
      if (incoming.length) {
        netCell.append(this.line('bp-formula', ...sym), this.line('bp-formula', `= ${nums.join(' + ')} = ${this.F(v.net)}`));
      } else {
        netCell.append(this.line('bp-formula', `${netS(n)} = ${this.F(v.net)}`));
      }
    }
    const outCell = el('td', null, v ? this.line('bp-formula', `${outS(n)} = ${activationTex(act, v.net, v.out, this.F, this.FF)}`) : null);
    return this.row(neuronKey(n), this.nameCell(n, neuronKey(n)), netCell, outCell);
  }

  /** Each output's loss term in the trace's convention, then E. */
  loss(loss: LossTrace): HTMLElement {
    const bySample = new Map<number, LossTrace['terms']>();
    for (const t of loss.terms) bySample.set(t.sample, [...(bySample.get(t.sample) ?? []), t]);
    const many = bySample.size > 1;
    const scale = scaleTex(loss);
    const groups: Group[] = [...bySample].map(([s, terms], i) => ({
      title: many ? `sample ${s}` : '',
      rows: terms.length,
      open: i === 0,
      build: (a, b) => terms.slice(a, b).map((t) => this.row(neuronKey(t.neuron),
        this.nameCell(t.neuron, neuronKey(t.neuron)),
        this.num(t.target), this.num(t.out),
        el('td', null, this.line('bp-formula', `${scale}(t - \\mathrm{out})^2 = ${scale}(${this.F(t.target)} - ${this.FF(t.out)})^2 = ${this.F(t.value)}`)))),
    }));
    const total = loss.terms.length === 1
      ? `E = ${this.F(loss.total)}`
      : loss.terms.length <= MAX_TERMS
      ? `E = ${loss.terms.map((t) => this.FF(t.value)).join(' + ')} = ${this.F(loss.total)}`
      : `E = \\textstyle\\sum_{${loss.terms.length}\\ \\text{terms}} = ${this.F(loss.total)}`;
    return el('div', null,
      el('div', { class: 'bp-summary' }, math(lossDefinitionTex(loss)), el('span', { class: 'bp-muted' }, `  (${loss.name}${loss.batchSize > 1 ? `, N = ${loss.batchSize}` : ''})`)),
      groupedTable(['output', 'target t', 'out', 'term'], groups, this.hover, 'loss'),
      this.line('bp-formula bp-total', total));
  }

  /** ∂E/∂out, ∂out/∂net and ∂E/∂net of every neuron, output layer first. */
  neurons(u: UpdateTrace): HTMLElement {
    const layers = this.model.trace.network.layers;
    const samples = [...new Set(u.neurons.map((n) => n.sample))];
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
          build: (a, b) => list.slice(a, b).map((g) => this.neuronRow(g, layers[l].activation ?? 'linear')),
        });
      }
    });
    return groupedTable(['neuron', '∂E/∂out', '∂out/∂net, then ∂E/∂net = ∂E/∂out · ∂out/∂net'], groups, this.hover, 'backward pass through the neurons');
  }

  private neuronRow(g: NeuronGrad, act: Activation): HTMLTableRowElement {
    const n = g.neuron;
    const key = neuronKey(n);
    const dout = el('td', null);
    if (g.lossDerivative) {
      const { target, out, scale } = g.lossDerivative;
      dout.append(this.line('bp-formula', this.km(dd('E', outS(n)), key), `= 2 \\cdot ${this.FF(scale)}\\,(\\mathrm{out} - t)`));
      dout.append(this.line('bp-formula', `= 2 \\cdot ${this.FF(scale)}\\,(${this.F(out)} - ${this.FF(target)}) = ${this.F(g.dE_dout)}`));
    } else if (g.downstream) {
      dout.append(this.line('bp-formula', this.km(dd('E', outS(n)), key), '=', ...this.downstreamPieces(g)));
      dout.append(this.line('bp-formula', `= ${this.downstreamNumbers(g)} = ${this.F(g.dE_dout)}`));
    } else {
      dout.append(this.line('bp-formula', this.km(dd('E', outS(n)), key), `= ${this.F(g.dE_dout)}`));
    }
    // ∂E/∂net goes under ∂out/∂net: the table then fits an ordinary output's width.
    const dnet = el('td', null,
      this.line('bp-formula', this.km(dd(outS(n), netS(n)), key), `= ${derivativeSym(act)}`),
      this.line('bp-formula', `= ${derivativeTex(act, g.net, g.out, this.F, this.FF)} = ${this.F(g.dout_dnet)}`),
      this.line('bp-formula bp-delta', this.km(dd('E', netS(n)), key), `= ${this.FF(g.dE_dout)} \\times ${this.FF(g.dout_dnet)} = ${this.F(g.dE_dnet)}`));
    return this.row(key, this.nameCell(n, key), dout, dnet);
  }

  /** Σ_k ∂E/∂out_k · ∂out_k/∂net_k · w_jk with each downstream neuron and weight hoverable. */
  private downstreamPieces(g: NeuronGrad): Piece[] {
    const pieces: Piece[] = [];
    elide(g.downstream ?? []).forEach((d, i) => {
      if (i > 0) pieces.push('+');
      if (!d) {
        pieces.push('\\cdots');
        return;
      }
      pieces.push(this.km(`${dd('E', outS(d.neuron))}${dd(outS(d.neuron), netS(d.neuron))}`, neuronKey(d.neuron)), this.km(texName(d.weight), paramKey(d.weight)));
    });
    return pieces;
  }

  private downstreamNumbers(g: NeuronGrad): string {
    return elide(g.downstream ?? []).map((d) => (d ? `${this.FF(d.dE_dout)} \\cdot ${this.FF(d.dout_dnet)} \\cdot ${this.FF(d.w)}` : '\\cdots')).join(' + ');
  }

  /** Every parameter's gradient: the chain rule in symbols, in numbers, per sample and summed. */
  params(u: UpdateTrace): HTMLElement {
    const groups = this.byLayer(u.grads, (g) => this.paramRow(g, u));
    return groupedTable(['parameter', 'chain rule', '∂E/∂p'], groups, this.hover, 'backward pass: gradients');
  }

  private paramRow(g: ParamGrad, u: UpdateTrace): HTMLTableRowElement {
    const p = this.model.params.get(g.name)!;
    const key = paramKey(p.name);
    const cell = el('td', null);
    const first = g.perSample[0];
    if (first) {
      const sym: Piece[] = [this.km(dd('E', texName(p.name)), key), '='];
      first.paths.forEach((c, i) => {
        if (i > 0) sym.push('+');
        sym.push(this.km(dd('E', outS(c.neuron)), neuronKey(c.neuron)), '\\cdot', this.km(dd(outS(c.neuron), netS(c.neuron)), neuronKey(c.neuron)), '\\cdot', this.km(dd(netS(c.neuron), texName(p.name)), key));
      });
      cell.append(this.line('bp-formula', ...sym));
      const product = (s: ParamGrad['perSample'][number]) => s.paths.map((c) => `${this.FF(c.dE_dout)} \\times ${this.FF(c.dout_dnet)} \\times ${this.FF(c.dnet_dparam)}`).join(' + ');
      if (g.perSample.length === 1) {
        cell.append(this.line('bp-formula', `= ${product(first)} = ${this.F(g.grad)}`));
      } else {
        for (const s of g.perSample.slice(0, MAX_SAMPLE_LINES)) cell.append(this.line('bp-formula bp-sub', `\\text{sample ${s.sample}:}\\ ${product(s)} = ${this.F(s.value)}`));
        if (g.perSample.length > MAX_SAMPLE_LINES) cell.append(el('div', { class: 'bp-sub' }, `… ${g.perSample.length - MAX_SAMPLE_LINES} more samples`));
        const vals = g.perSample.length <= MAX_TERMS ? g.perSample.map((s) => this.FF(s.value)).join(' + ') : `\\textstyle\\sum_{${g.perSample.length}\\ \\text{samples}}`;
        cell.append(this.line('bp-formula', `${dd('E', texName(p.name))} = ${vals} = ${this.F(g.grad)}`));
      }
      // A hidden neuron's ∂E/∂out is itself a sum over the neurons it feeds: show its terms here too.
      const seen = new Set<string>();
      for (const c of first.paths) {
        const ng = u.neurons.find((x) => x.sample === first.sample && x.neuron === c.neuron);
        if (!ng?.downstream || seen.has(c.neuron)) continue;
        seen.add(c.neuron);
        cell.append(this.line('bp-formula bp-sub', '\\text{where}', this.km(dd('E', outS(c.neuron)), neuronKey(c.neuron)), '=', ...this.downstreamPieces(ng)));
        cell.append(this.line('bp-formula bp-sub bp-sub2', `= ${this.downstreamNumbers(ng)} = ${this.F(ng.dE_dout)}`));
      }
    }
    return this.row(key, this.nameCell(p.name, key), cell, this.num(g.grad));
  }

  /** old − η·∂E/∂p = new, all parameters at once. */
  updates(u: UpdateTrace): HTMLElement {
    const groups = this.byLayer(u.updates, (r) => {
      const key = paramKey(r.name);
      const newCell = r.frozen ? el('td', { class: 'bp-num bp-frozen' }, `${this.model.f(r.new)} (frozen)`) : this.num(r.new);
      return this.row(key, this.nameCell(r.name, key), this.num(r.old), this.num(r.grad), this.num(r.step), newCell);
    });
    const rate = this.model.trace.network.rate;
    return el('div', null,
      el('div', { class: 'bp-summary' }, math(`p' = p - \\eta\\,\\frac{\\partial E}{\\partial p},\\quad \\eta = ${this.F(rate)}`)),
      groupedTable(['parameter', 'old', '∂E/∂p', 'η·∂E/∂p', 'new'], groups, this.hover, 'update'));
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
      const list = items.filter((r) => this.model.params.get(r.name)?.layer === l);
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

export function outS(n: string): string {
  return `\\mathrm{out}_{${texName(n)}}`;
}

export function netS(n: string): string {
  return `\\mathrm{net}_{${texName(n)}}`;
}

export function dd(num: string, den: string): string {
  return `\\frac{\\partial ${num}}{\\partial ${den}}`;
}

/** A long list cut to its first few items, `null` for the gap, and its last. */
export function elide<T>(items: T[]): (T | null)[] {
  if (items.length <= MAX_TERMS) return items;
  return [...items.slice(0, HEAD_TERMS), null, items[items.length - 1]];
}

function scaleTex(loss: LossTrace): string {
  switch (loss.name) {
    case 'half-sse': return '\\tfrac{1}{2}';
    case 'sse': return '';
    // With one sample in the batch the mean conventions read as their sums: ½ and 1, not 1/(2·1).
    case 'half-mse': return loss.batchSize === 1 ? '\\tfrac{1}{2}' : `\\tfrac{1}{2 \\cdot ${loss.batchSize}}`;
    case 'mse': return loss.batchSize === 1 ? '' : `\\tfrac{1}{${loss.batchSize}}`;
    default: return fmtTex(loss.scale, 6);
  }
}

function lossDefinitionTex(loss: LossTrace): string {
  const s = scaleTex(loss);
  const samples = loss.batchSize > 1 ? '\\sum_{\\text{samples}}' : '';
  return `E = ${s}${samples}\\sum_{\\text{outputs}} (t - \\mathrm{out})^2`;
}

function activationTex(act: Activation, net: number, out: number, F: (x: number) => string, FF: (x: number) => string): string {
  switch (act) {
    case 'sigmoid': return `\\sigma(${F(net)}) = \\frac{1}{1 + e^{-${FF(net)}}} = ${F(out)}`;
    case 'tanh': return `\\tanh(${F(net)}) = ${F(out)}`;
    case 'relu': return `\\max(0, ${F(net)}) = ${F(out)}`;
    case 'leaky-relu': return `\\max(0.01 \\cdot ${FF(net)}, ${F(net)}) = ${F(out)}`;
    case 'linear': return `${F(net)}`;
  }
}

function derivativeSym(act: Activation): string {
  switch (act) {
    case 'sigmoid': return '\\mathrm{out}(1 - \\mathrm{out})';
    case 'tanh': return '1 - \\mathrm{out}^2';
    case 'relu': return '[\\mathrm{net} > 0]';
    case 'leaky-relu': return '(\\mathrm{net} > 0 \\;?\\; 1 : 0.01)';
    case 'linear': return '1';
  }
}

function derivativeTex(act: Activation, net: number, out: number, F: (x: number) => string, FF: (x: number) => string): string {
  switch (act) {
    case 'sigmoid': return `${FF(out)}(1 - ${FF(out)})`;
    case 'tanh': return `1 - ${FF(out)}^2`;
    case 'relu': return `[${F(net)} > 0]`;
    case 'leaky-relu': return `(${F(net)} > 0 \\;?\\; 1 : 0.01)`;
    case 'linear': return '1';
  }
}
