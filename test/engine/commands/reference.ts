/**
 * A reference network for the `check` tests, written independently of the engine: a plain forward
 * pass over named weights, the four losses as textbooks define them, and every derivative by
 * central finite differences of E — perturbing a parameter, or a neuron's net or out (in one sample,
 * or in every sample for a sum over the batch). The tests compute what each slip gives from these
 * values by the slip's own formula, never from the engine's output.
 */

export type Act = 'sigmoid' | 'tanh' | 'relu';
export type Loss = 'half-sse' | 'sse' | 'half-mse' | 'mse';

export interface RefNet {
  layers: string[][];
  act: Act;
  /** Weight name → [from, to, value]. */
  weights: Record<string, [string, string, number]>;
  /** Bias name → [neurons, value]. */
  biases: Record<string, [string[], number]>;
  loss: Loss;
  rate: number;
  samples: { x: number[]; t: number[] }[];
}

export const activation: Record<Act, (z: number) => number> = {
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: (z) => Math.tanh(z),
  relu: (z) => Math.max(0, z),
};

/** The factor c of E = c · Σ (t − o)² for a batch of n. */
export const lossScale: Record<Loss, (n: number) => number> = {
  'half-sse': () => 0.5, sse: () => 1, 'half-mse': (n) => 1 / (2 * n), mse: (n) => 1 / n,
};

/** A change of the forward pass: `delta` added to a neuron's net or out in the samples listed (all when absent). */
export interface Nudge { neuron: string; at: 'net' | 'out'; delta: number; samples?: number[] }

export interface Values { net: Record<string, number>; out: Record<string, number> }

export function forward(n: RefNet, s: number, nudge?: Nudge): Values {
  const v: Values = { net: {}, out: {} };
  const hit = (neuron: string, at: 'net' | 'out') => (nudge && nudge.neuron === neuron && nudge.at === at && (!nudge.samples || nudge.samples.includes(s)) ? nudge.delta : 0);
  n.layers[0].forEach((name, i) => { v.net[name] = n.samples[s].x[i]; v.out[name] = n.samples[s].x[i] + hit(name, 'out'); });
  for (let l = 1; l < n.layers.length; l++) {
    for (const name of n.layers[l]) {
      let z = 0;
      for (const [from, to, w] of Object.values(n.weights)) if (to === name) z += w * v.out[from];
      for (const [to, b] of Object.values(n.biases)) if (to.includes(name)) z += b;
      v.net[name] = z + hit(name, 'net');
      v.out[name] = activation[n.act](v.net[name]) + hit(name, 'out');
    }
  }
  return v;
}

/** E over the samples listed (all by default), with the scale of the whole batch. */
export function loss(n: RefNet, nudge?: Nudge, only?: number[], outputs?: string[]): number {
  const c = lossScale[n.loss](n.samples.length);
  const L = n.layers.at(-1)!;
  let e = 0;
  n.samples.forEach((sample, s) => {
    if (only && !only.includes(s)) return;
    const v = forward(n, s, nudge);
    L.forEach((name, i) => { if (!outputs || outputs.includes(name)) e += c * (sample.t[i] - v.out[name]) ** 2; });
  });
  return e;
}

const H = 1e-6;

/** ∂E/∂net or ∂E/∂out of a neuron: in sample s, or (s undefined) moved in every sample. */
export function dE(n: RefNet, neuron: string, at: 'net' | 'out', s?: number): number {
  const samples = s === undefined ? undefined : [s];
  return (loss(n, { neuron, at, delta: H, samples }) - loss(n, { neuron, at, delta: -H, samples })) / (2 * H);
}

/** ∂E/∂p of the batch, or of sample s's share. */
export function dEdp(n: RefNet, p: string, s?: number): number {
  const only = s === undefined ? undefined : [s];
  const at = (d: number) => loss(withParam(n, p, value(n, p) + d), undefined, only);
  return (at(H) - at(-H)) / (2 * H);
}

export function value(n: RefNet, p: string): number {
  return p in n.weights ? n.weights[p][2] : n.biases[p][1];
}

export function withParam(n: RefNet, p: string, v: number): RefNet {
  if (p in n.weights) return { ...n, weights: { ...n.weights, [p]: [n.weights[p][0], n.weights[p][1], v] } };
  return { ...n, biases: { ...n.biases, [p]: [n.biases[p][0], v] } };
}

/** ∂out/∂net of a neuron in sample s, by finite differences of the activation. */
export function dOutdNet(n: RefNet, neuron: string, s: number): number {
  const z = forward(n, s).net[neuron];
  return (activation[n.act](z + H) - activation[n.act](z - H)) / (2 * H);
}

/** The weight on the edge from → to. */
export function edge(n: RefNet, from: string, to: string): { name: string; value: number } {
  const [name, [, , v]] = Object.entries(n.weights).find(([, [f, t]]) => f === from && t === to)!;
  return { name, value: v };
}

/** The network as the cell language declares it, with its samples. */
export function cellOf(n: RefNet): string {
  const lines = [`input ${n.layers[0].join(' ')}`, ...n.layers.slice(1).map((l) => `layer ${l.join(' ')} ${n.act}`)];
  for (const [name, [from, to, v]] of Object.entries(n.weights)) lines.push(`${name} ${from} -> ${to} = ${v}`);
  for (const [name, [to, v]] of Object.entries(n.biases)) lines.push(`bias ${name} -> ${to.join(' ')} = ${v}`);
  lines.push(`loss ${n.loss}`, `rate ${n.rate}`);
  for (const s of n.samples) {
    lines.push(`sample ${n.layers[0].map((x, i) => `${x}=${s.x[i]}`).join(' ')} -> ${n.layers.at(-1)!.map((o, i) => `${o}=${s.t[i]}`).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** A value as a student writes it: `digits` significant digits, no exponent. */
export function written(v: number, digits = 4): string {
  if (v === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(v))));
  return v.toFixed(Math.min(decimals, 20));
}
