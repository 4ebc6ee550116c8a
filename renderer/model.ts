/**
 * Lookups over one trace, shared by the tables, the diagram and the tooltips: which parameter feeds
 * which neuron, a neuron's values in the first shown sample, each parameter's gradient and update.
 */
import type { NeuronGrad, ParamGrad, ParamInfo, SampleForward, Trace, UpdateRow, UpdateTrace } from '../src/engine/trace/schema';
import { fmt } from './format';
import { type TipContent } from './hover';
import { elide } from './tables';

export interface NeuronPos {
  layer: number;
  index: number;
}

export class Model {
  readonly digits: number;
  readonly params = new Map<string, ParamInfo>();
  readonly neurons = new Map<string, NeuronPos>();
  /** Weight by (from, to), for the diagram's edges. */
  readonly edge = new Map<string, ParamInfo>();
  /** Parameters added into each neuron's net input: its weights, then its biases. */
  readonly incoming = new Map<string, ParamInfo[]>();
  /** The epoch's updates of a step trace, in order (sample mode has one per sample); else none. */
  readonly updates: UpdateTrace[];
  readonly forward: SampleForward[];
  readonly final = new Map<string, { value: number; before: number }>();
  readonly gradcheck = new Map<string, { analytic: number; numeric: number; relativeError: number }>();

  constructor(readonly trace: Trace) {
    this.digits = Number.isFinite(trace.digits) && trace.digits > 0 ? Math.min(17, Math.floor(trace.digits)) : 6;
    trace.network.layers.forEach((l) => l.neurons.forEach((n, i) => this.neurons.set(n, { layer: l.index, index: i })));
    for (const p of trace.network.params) {
      this.params.set(p.name, p);
      if (p.kind === 'weight' && p.from !== undefined) for (const t of p.to) this.edge.set(edgeId(p.from, t), p);
      for (const t of p.to) {
        const list = this.incoming.get(t);
        if (list) list.push(p);
        else this.incoming.set(t, [p]);
      }
    }
    for (const list of this.incoming.values()) list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'weight' ? -1 : 1));
    this.updates = trace.kind === 'step' ? trace.updates : [];
    this.forward = trace.kind === 'forward' || trace.kind === 'train' ? trace.forward : (this.updates[0]?.forward ?? []);
    if (trace.kind === 'train') for (const f of trace.final) this.final.set(f.name, f);
    if (trace.kind === 'gradcheck') for (const r of trace.rows) this.gradcheck.set(r.name, r);
  }

  f(x: number): string {
    return fmt(x, this.digits);
  }

  /** net/out of a neuron in a forward record. */
  value(fw: SampleForward | undefined, name: string): { net: number; out: number } | undefined {
    const pos = this.neurons.get(name);
    const l = pos && fw?.layers[pos.layer];
    if (!pos || !l || pos.index >= l.out.length) return undefined;
    return { net: l.net[pos.index], out: l.out[pos.index] };
  }

  /** Tooltip for a key; `update` is the index of the update whose section the element is in. */
  describe(key: string, update = 0): TipContent | undefined {
    const name = key.slice(2);
    if (key.startsWith('p:')) return this.describeParam(name);
    if (key.startsWith('n:')) return this.describeNeuron(name, Math.max(0, Math.min(update, this.updates.length - 1)));
    return undefined;
  }

  private describeParam(name: string): TipContent | undefined {
    const p = this.params.get(name);
    if (!p) return undefined;
    const what = p.kind === 'weight' ? `weight ${p.from} → ${p.to.join(', ')}` : `bias → ${p.to.join(', ')}`;
    const rows: string[] = [];
    if (p.frozen) rows.push('frozen: training does not change it');
    const multi = this.updates.length > 1;
    this.updates.slice(0, 4).forEach((u, i) => {
      const g = u.grads.find((x) => x.name === name);
      const up = u.updates.find((x) => x.name === name);
      if (multi) rows.push(`update ${i + 1} (sample${u.samples.length > 1 ? 's' : ''} ${sampleList(u.samples)}):`);
      if (g) rows.push(...this.gradRows(p, g));
      if (up) rows.push(this.updateRow(up));
    });
    if (this.updates.length > 4) rows.push(`… ${this.updates.length - 4} more updates`);
    if (this.updates.length === 0) rows.push(`value = ${this.f(p.value)}`);
    const fin = this.final.get(name);
    if (fin) rows.push(`${name}: ${this.f(fin.before)} → ${this.f(fin.value)} after training`);
    const gc = this.gradcheck.get(name);
    if (gc) rows.push(`analytic ∂E/∂${name} = ${this.f(gc.analytic)}`, `numeric  ∂E/∂${name} = ${this.f(gc.numeric)}`, `relative error ${fmt(gc.relativeError, 3)}`);
    return { title: `${name} — ${what}`, rows };
  }

  private gradRows(p: ParamInfo, g: ParamGrad): string[] {
    const rows = [`∂E/∂${p.name} = ${this.f(g.grad)}`];
    const first = g.perSample[0];
    if (first && first.paths.length > 0) {
      const symbolic = first.paths.map((c) => `∂E/∂out(${c.neuron}) · ∂out(${c.neuron})/∂net(${c.neuron}) · ∂net(${c.neuron})/∂${p.name}`).join(' + ');
      const numbers = first.paths.map((c) => `${this.f(c.dE_dout)} × ${this.f(c.dout_dnet)} × ${this.f(c.dnet_dparam)}`).join(' + ');
      const label = g.perSample.length > 1 ? `sample ${first.sample}: ` : '';
      rows.push(`  ${label}= ${symbolic}`, `  ${label.replace(/./g, ' ')}= ${numbers}`);
      if (g.perSample.length > 1) rows.push(`  Σ over ${g.perSample.length} samples: ${g.perSample.slice(0, 4).map((s) => this.f(s.value)).join(' + ')}${g.perSample.length > 4 ? ' + …' : ''}`);
    }
    return rows;
  }

  private updateRow(u: UpdateRow): string {
    if (u.frozen) return `${u.name} stays ${this.f(u.old)} (frozen)`;
    return `${u.name}: ${this.f(u.old)} → ${this.f(u.new)}   (η·∂E/∂${u.name} = ${this.f(u.step)})`;
  }

  neuronGrad(u: UpdateTrace | undefined, name: string): NeuronGrad | undefined {
    return u?.neurons.find((n) => n.neuron === name);
  }

  private describeNeuron(name: string, update: number): TipContent | undefined {
    const pos = this.neurons.get(name);
    if (!pos) return undefined;
    const layer = this.trace.network.layers[pos.layer];
    const last = this.trace.network.layers.length - 1;
    const role = pos.layer === 0 ? 'input' : pos.layer === last ? 'output neuron' : 'hidden neuron';
    const rows: string[] = [];
    const fw = this.updates.length ? this.updates[update].forward[0] : this.forward[0];
    const v = this.value(fw, name);
    const tag = fw && (this.forward.length > 1 || this.updates.length > 1) ? ` (sample ${fw.sample})` : '';
    if (v && pos.layer === 0) rows.push(`value${tag} = ${this.f(v.out)}`);
    else if (v) rows.push(`net${tag} = ${this.f(v.net)}`, `out${tag} = ${layer.activation ?? ''}(net) = ${this.f(v.out)}`);
    const g = this.neuronGrad(this.updates[update], name);
    if (g) {
      rows.push(`∂E/∂out = ${this.f(g.dE_dout)}`, `∂out/∂net = ${this.f(g.dout_dnet)}`, `∂E/∂net = ∂E/∂out · ∂out/∂net = ${this.f(g.dE_dnet)}`);
      if (g.downstream?.length) {
        const terms = elide(g.downstream).map((d) => (d ? `${this.f(d.dE_dout)}×${this.f(d.dout_dnet)}×${this.f(d.w)}` : '…')).join(' + ');
        rows.push(`∂E/∂out = Σ over ${g.downstream.length} downstream neuron${g.downstream.length === 1 ? '' : 's'}`, `  = ${terms}`);
      }
    }
    const act = layer.activation ? `, ${layer.activation}` : '';
    return { title: `${name} — ${role}${act}`, rows };
  }
}

export function edgeId(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

export function sampleList(samples: number[]): string {
  if (samples.length <= 4) return samples.join(', ');
  const contiguous = samples.every((s, i) => i === 0 || s === samples[i - 1] + 1);
  return contiguous ? `${samples[0]}–${samples[samples.length - 1]}` : `${samples.slice(0, 3).join(', ')}, …`;
}
