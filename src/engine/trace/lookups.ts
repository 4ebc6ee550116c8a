/**
 * Lookups over one trace, built once and shared by the printers (`present/document.ts`), the
 * renderer and the editor's hovers: a parameter by name, where a neuron sits, which parameters feed
 * it, the weight on an edge, a neuron's values in a sample, its backward values in an update.
 * A trace lists names in several places; these maps are the one place they are joined up.
 */
import type { NeuronGrad, ParamInfo, SampleForward, Trace, UpdateTrace } from './schema';

export interface NeuronPos {
  layer: number;
  index: number;
}

/** The parameters added into one neuron's net input. */
export interface Feeding {
  weights: ParamInfo[];
  biases: ParamInfo[];
}

const NO_FEEDING: Feeding = { weights: [], biases: [] };

/** Digits to show: the trace's own when it is a sensible count, else the default. */
function shownDigits(digits: unknown): number {
  return typeof digits === 'number' && Number.isFinite(digits) && digits >= 1 ? Math.min(17, Math.floor(digits)) : 6;
}

export class TraceLookups {
  readonly digits: number;
  private readonly paramsByName = new Map<string, ParamInfo>();
  private readonly neuronsByName = new Map<string, NeuronPos>();
  private readonly feeding = new Map<string, Feeding>();
  private readonly edges = new Map<string, ParamInfo>();
  private readonly gradIndex = new WeakMap<UpdateTrace, Map<string, NeuronGrad>>();

  constructor(readonly trace: Trace) {
    this.digits = shownDigits(trace.digits);
    trace.network.layers.forEach((l) => l.neurons.forEach((n, i) => this.neuronsByName.set(n, { layer: l.index, index: i })));
    for (const p of trace.network.params) {
      this.paramsByName.set(p.name, p);
      for (const to of p.to) {
        let f = this.feeding.get(to);
        if (!f) this.feeding.set(to, (f = { weights: [], biases: [] }));
        (p.kind === 'weight' ? f.weights : f.biases).push(p);
        if (p.kind === 'weight' && p.from !== undefined) this.edges.set(edgeKey(p.from, to), p);
      }
    }
  }

  param(name: string): ParamInfo | undefined {
    return this.paramsByName.get(name);
  }

  params(): IterableIterator<ParamInfo> {
    return this.paramsByName.values();
  }

  neuron(name: string): NeuronPos | undefined {
    return this.neuronsByName.get(name);
  }

  isInput(name: string): boolean {
    return this.neuronsByName.get(name)?.layer === 0;
  }

  /** The weights, then the biases, added into `neuron`'s net input (as far as the trace lists them). */
  incoming(neuron: string): Feeding {
    return this.feeding.get(neuron) ?? NO_FEEDING;
  }

  /** The weight on the edge from → to. */
  edge(from: string, to: string): ParamInfo | undefined {
    return this.edges.get(edgeKey(from, to));
  }

  /** net and out of a neuron in one sample's forward record (an input's net is its value). */
  value(fw: SampleForward | undefined, name: string): { net: number; out: number } | undefined {
    const pos = this.neuronsByName.get(name);
    if (!pos || !fw) return undefined;
    if (pos.layer === 0) return pos.index < fw.input.length ? { net: fw.input[pos.index], out: fw.input[pos.index] } : undefined;
    const l = fw.layers[pos.layer];
    if (!l || pos.index >= l.out.length || pos.index >= l.net.length) return undefined;
    return { net: l.net[pos.index], out: l.out[pos.index] };
  }

  /** A neuron's backward values in one sample of an update. */
  neuronGrad(update: UpdateTrace | undefined, sample: number, neuron: string): NeuronGrad | undefined {
    if (!update) return undefined;
    let index = this.gradIndex.get(update);
    if (!index) {
      index = new Map();
      for (const g of update.neurons) index.set(`${g.sample}:${g.neuron}`, g);
      this.gradIndex.set(update, index);
    }
    return index.get(`${sample}:${neuron}`);
  }

  /** Parameter values by name: the network's, with `update`'s starting values over them. */
  paramValues(update?: UpdateTrace): Map<string, number> {
    const values = new Map(this.trace.network.params.map((p) => [p.name, p.value]));
    if (update) for (const r of update.updates) values.set(r.name, r.old);
    return values;
  }
}

/** The epoch's updates of a step trace, in order (sample mode has one per sample); else none. */
export function updatesOf(trace: Trace): UpdateTrace[] {
  return trace.kind === 'step' ? trace.updates : [];
}

/** The forward records a trace shows first: its own, or those of its first update. */
export function forwardOf(trace: Trace): SampleForward[] {
  if (trace.kind === 'forward' || trace.kind === 'train') return trace.forward;
  return updatesOf(trace)[0]?.forward ?? [];
}

function edgeKey(from: string, to: string): string {
  return `${from}\u0000${to}`;
}
