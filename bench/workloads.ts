/**
 * The four benchmark workloads of issue 2, as plain data every implementation starts from: the same
 * sizes, samples and initial parameters (engine layout, see `Trainer.params`), so that each peer can
 * be checked to end at the same weights as the others.
 */
import type { Activation, LossName, Mode } from '../src/engine/trace/schema';

export interface Workload {
  id: string;
  title: string;
  sizes: number[];
  activations: Activation[];
  loss: LossName;
  rate: number;
  mode: Mode;
  epochs: number;
  /** Row-major, sample by sample. */
  inputs: Float64Array;
  targets: Float64Array;
  /** Initial parameters in the engine's layout: per layer, weights [j * nIn + i], then one bias per neuron. */
  params: Float64Array;
}

export function sampleCount(w: Workload): number {
  return w.inputs.length / w.sizes[0];
}

/** Σ over layers of nIn · nOut: the multiply-adds of one forward pass of one sample. */
export function weightCount(sizes: number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1] * sizes[l];
  return n;
}

export function paramCount(sizes: number[]): number {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l - 1] * sizes[l] + sizes[l];
  return n;
}

/**
 * Nominal FLOPs of a run: per sample and epoch 2W forward (a multiply-add is 2 FLOPs) and 4W backward
 * (2W for the deltas sent to the layer below, 2W for the weight gradients), W = `weightCount`.
 * Activations, the loss and the updates are not counted: they are O(neurons), not O(weights), except
 * per-sample updates (another 2W), which are left out so that the modes compare on the same count.
 */
export function nominalFlops(w: Workload): number {
  return 6 * weightCount(w.sizes) * sampleCount(w) * w.epochs;
}

/** Weight updates per run: what every implementation must perform for it to count as the same work. */
export function updateCount(w: Workload): number {
  const n = sampleCount(w);
  const perEpoch = w.mode.kind === 'batch' ? 1 : w.mode.kind === 'sample' ? n : Math.ceil(n / w.mode.size);
  return perEpoch * w.epochs;
}

/** mulberry32: a tiny seeded generator, so every run and every peer sees the same numbers. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(n: number, random: () => number, low = 0, high = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = low + (high - low) * random();
  return out;
}

/** Glorot-uniform weights and zero biases: keeps sigmoid and relu layers out of saturation. */
function xavierParams(sizes: number[], random: () => number): Float64Array {
  const params = new Float64Array(paramCount(sizes));
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nIn = sizes[l - 1];
    const nOut = sizes[l];
    const a = Math.sqrt(6 / (nIn + nOut));
    for (let k = 0; k < nIn * nOut; k++) params[o++] = -a + 2 * a * random();
    o += nOut;
  }
  return params;
}

function oneHot(n: number, classes: number, random: () => number): Float64Array {
  const out = new Float64Array(n * classes);
  for (let s = 0; s < n; s++) out[s * classes + Math.floor(random() * classes)] = 1;
  return out;
}

/**
 * Mazur's 2-2-2 network. The notebook shares one frozen bias per layer; here every neuron has its own
 * trained bias (0.35 / 0.60), because that is what brain.js and a tfjs dense layer can express.
 */
function mazur(): Workload {
  return {
    id: '1', title: '2-2-2 sigmoid (Mazur), 1 sample, 10,000 epochs',
    sizes: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], loss: 'half-sse', rate: 0.5,
    mode: { kind: 'sample' }, epochs: 10_000,
    inputs: Float64Array.of(0.05, 0.1), targets: Float64Array.of(0.01, 0.99),
    params: Float64Array.of(0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.6),
  };
}

function deepSigmoid(mode: Mode, epochs: number, rate: number): Workload {
  const random = rng(64_128);
  const sizes = [64, 128, 64, 10];
  const n = 2000;
  return {
    id: mode.kind === 'sample' ? '2' : '3',
    title: `64-128-64-10 sigmoid, ${n} samples, ${mode.kind === 'sample' ? 'per-sample SGD, 1 epoch' : `full batch, ${epochs} epochs`}`,
    sizes, activations: ['sigmoid', 'sigmoid', 'sigmoid'], loss: 'half-mse', rate, mode, epochs,
    inputs: uniform(n * 64, random), targets: uniform(n * 10, random), params: xavierParams(sizes, random),
  };
}

function mnistLike(): Workload {
  const random = rng(784);
  const sizes = [784, 128, 10];
  const n = 1000;
  return {
    id: '4', title: `784-128-10 relu/linear, ${n} samples, minibatch 32, 1 epoch`,
    sizes, activations: ['relu', 'linear'], loss: 'half-mse', rate: 0.01, mode: { kind: 'minibatch', size: 32 },
    epochs: 1, inputs: uniform(n * 784, random), targets: oneHot(n, 10, random), params: xavierParams(sizes, random),
  };
}

export function workloads(): Workload[] {
  return [mazur(), deepSigmoid({ kind: 'sample' }, 1, 0.1), deepSigmoid({ kind: 'batch' }, 10, 0.5), mnistLike()];
}
