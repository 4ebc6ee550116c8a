/**
 * One trace as the renderer's views see it: the shared trace lookups and notation, the hover key of
 * every name in a formula, and the tooltip of each key. A parameter's tooltip says what the editor's
 * hover says (present/tips.ts); a neuron's gives its values in the update it is hovered in.
 */
import type { Inline } from '../src/engine/present/doc';
import { eq, id, net, type M } from '../src/engine/present/formula';
import { Notation } from '../src/engine/present/quantities';
import { chainLines, gradientLines, updateLine } from '../src/engine/present/tips';
import { TraceLookups, forwardOf, updatesOf } from '../src/engine/trace/lookups';
import type { SampleForward, Trace, UpdateTrace } from '../src/engine/trace/schema';
import { fmt } from './format';
import { neuronKey, paramKey, type TipContent } from './hover';

/** Updates a tooltip writes out one by one (sample mode has one per sample). */
const TIP_UPDATES = 4;

export class Model {
  readonly look: TraceLookups;
  readonly notation: Notation;
  readonly digits: number;
  readonly updates: UpdateTrace[];
  readonly forward: SampleForward[];
  private readonly final = new Map<string, { value: number; before: number }>();
  private readonly gradcheck = new Map<string, { analytic: number; numeric: number; relativeError: number }>();

  constructor(readonly trace: Trace) {
    this.look = new TraceLookups(trace);
    this.digits = this.look.digits;
    this.notation = new Notation(this.digits);
    this.updates = updatesOf(trace);
    this.forward = forwardOf(trace);
    if (trace.kind === 'train') for (const f of trace.final) this.final.set(f.name, f);
    if (trace.kind === 'gradcheck') for (const r of trace.rows) this.gradcheck.set(r.name, r);
  }

  f(x: number): string {
    return fmt(x, this.digits);
  }

  /**
   * The hover key of a formula's node: a parameter or neuron by name; a derivative by what it is
   * about — ∂E/∂w5 and ∂net/∂w5 by w5, ∂E/∂out_h1 and ∂out_h1/∂net_h1 by h1.
   */
  keyOf = (m: M): string | undefined => {
    switch (m.t) {
      case 'id': return this.look.param(m.name) ? paramKey(m.name) : this.look.neuron(m.name) ? neuronKey(m.name) : undefined;
      case 'of': return this.look.neuron(m.name) ? neuronKey(m.name) : undefined;
      case 'd': {
        if (m.den.t === 'id' && this.look.param(m.den.name)) return paramKey(m.den.name);
        const about = m.num.t === 'of' ? m.num : m.den.t === 'of' ? m.den : undefined;
        return about && this.keyOf(about);
      }
      default: return undefined;
    }
  };

  /** Tooltip for a key; `update` is the index of the update whose section the element is in. */
  describe(key: string, update = 0): TipContent | undefined {
    const name = key.slice(2);
    if (key.startsWith('p:')) return this.describeParam(name);
    if (key.startsWith('n:')) return this.describeNeuron(name, Math.max(0, Math.min(update, this.updates.length - 1)));
    return undefined;
  }

  private describeParam(name: string): TipContent | undefined {
    const p = this.look.param(name);
    if (!p) return undefined;
    const rows: Inline[] = [];
    if (p.frozen) rows.push(['frozen: training does not change it']);
    const multi = this.updates.length > 1;
    this.updates.slice(0, TIP_UPDATES).forEach((u, i) => {
      const g = u.grads.find((x) => x.name === name);
      const up = u.updates.find((x) => x.name === name);
      if (multi) rows.push([`update ${i + 1} (sample${u.samples.length > 1 ? 's' : ''} ${sampleList(u.samples)}):`]);
      if (g) rows.push(...gradientLines(this.notation, g));
      if (up) rows.push(updateLine(up, this.digits));
    });
    if (this.updates.length > TIP_UPDATES) rows.push([`… ${this.updates.length - TIP_UPDATES} more updates`]);
    if (this.updates.length === 0) rows.push([eq(id(name), this.notation.n(p.value))]);
    const fin = this.final.get(name);
    if (fin) rows.push([id(name), `: ${this.f(fin.before)} → ${this.f(fin.value)} after training`]);
    const gc = this.gradcheck.get(name);
    if (gc) rows.push([`analytic ∂E/∂${name} = ${this.f(gc.analytic)}`], [`numeric  ∂E/∂${name} = ${this.f(gc.numeric)}`], [`relative error ${fmt(gc.relativeError, 3)}`]);
    const where: Inline = p.kind === 'weight' && p.from !== undefined
      ? [' — weight ', id(p.from), ' → ', ...p.to.flatMap((t, i) => [i ? ', ' : '', id(t)])]
      : [' — bias of ', ...p.to.flatMap((t, i) => [i ? ', ' : '', id(t)])];
    return { title: [id(name), ...where], rows };
  }

  private describeNeuron(name: string, update: number): TipContent | undefined {
    const pos = this.look.neuron(name);
    if (!pos) return undefined;
    const layers = this.trace.network.layers;
    const activation = layers[pos.layer]?.activation ?? null;
    const role = pos.layer === 0 ? 'input' : pos.layer === layers.length - 1 ? 'output neuron' : 'hidden neuron';
    const lines: Inline[] = [];
    const u = this.updates[update];
    const fw = u ? u.forward[0] : this.forward[0];
    const v = this.look.value(fw, name);
    if (v && fw && (this.forward.length > 1 || this.updates.length > 1)) lines.push([`sample ${fw.sample}:`]);
    if (v && pos.layer === 0) lines.push([eq(id(name), this.notation.n(v.out))]);
    else if (v) lines.push([eq(net(name), this.notation.n(v.net))], [eq(...this.notation.out(name, activation, v))]);
    const g = fw && this.look.neuronGrad(u, fw.sample, name);
    if (g && u) lines.push(...[this.notation.dEdout(g, u.loss), this.notation.doutDnet(g, activation), this.notation.dEdnet(g)].flatMap((c) => chainLines(c)));
    const what = ` — ${role}${activation ? `, ${activation}` : ''}`;
    return { title: [id(name), what], rows: lines };
  }
}

export function sampleList(samples: number[]): string {
  if (samples.length <= 4) return samples.join(', ');
  const contiguous = samples.every((s, i) => i === 0 || s === samples[i - 1] + 1);
  return contiguous ? `${samples[0]}–${samples[samples.length - 1]}` : `${samples.slice(0, 3).join(', ')}, …`;
}
