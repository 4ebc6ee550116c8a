/**
 * A deliberately plain float64 trainer for the DenseSpec semantics (every neuron biased), written
 * independently of the engine. The bench runs it once per workload, untimed, as the yardstick that
 * tells whether the engine and each peer did the same work: same updates in the same order end at
 * the same weights (to float32 rounding for the float32 peers).
 */
import type { Activation, LossName } from '../src/engine/trace/schema';
import { sampleCount, type Workload } from './workloads';

function act(f: Activation, x: number): number {
  switch (f) {
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'tanh': return Math.tanh(x);
    case 'relu': return x > 0 ? x : 0;
    case 'leaky-relu': return x > 0 ? x : 0.01 * x;
    case 'linear': return x;
    default: throw new Error(`the benchmark's reference has no ${f} (its workloads are elementwise)`);
  }
}

function actSlope(f: Activation, net: number, out: number): number {
  switch (f) {
    case 'sigmoid': return out * (1 - out);
    case 'tanh': return 1 - out * out;
    case 'relu': return net > 0 ? 1 : 0;
    case 'leaky-relu': return net > 0 ? 1 : 0.01;
    case 'linear': return 1;
    default: throw new Error(`the benchmark's reference has no ${f} (its workloads are elementwise)`);
  }
}

/** dLoss/dOut per unit (o − t) for a batch of n samples, and the loss scale per (t − o)². */
export function lossScale(loss: LossName, n: number): { grad: number; value: number } {
  switch (loss) {
    case 'half-sse': return { grad: 1, value: 0.5 };
    case 'sse': return { grad: 2, value: 1 };
    case 'half-mse': return { grad: 1 / n, value: 0.5 / n };
    case 'mse': return { grad: 2 / n, value: 1 / n };
    default: throw new Error(`the benchmark's reference has no ${loss} (its workloads use squared errors)`);
  }
}

interface Layout { w: number[]; b: number[] }

function layout(sizes: number[]): Layout {
  const w: number[] = [0];
  const b: number[] = [0];
  let o = 0;
  for (let l = 1; l < sizes.length; l++) {
    w[l] = o;
    b[l] = o + sizes[l - 1] * sizes[l];
    o = b[l] + sizes[l];
  }
  return { w, b };
}

function forward(wl: Workload, at: Layout, p: Float64Array, s: number): { nets: number[][]; outs: number[][] } {
  const { sizes, activations } = wl;
  const outs: number[][] = [Array.from(wl.inputs.subarray(s * sizes[0], (s + 1) * sizes[0]))];
  const nets: number[][] = [[]];
  for (let l = 1; l < sizes.length; l++) {
    nets[l] = [];
    outs[l] = [];
    for (let j = 0; j < sizes[l]; j++) {
      let z = p[at.b[l] + j];
      for (let i = 0; i < sizes[l - 1]; i++) z += p[at.w[l] + j * sizes[l - 1] + i] * outs[l - 1][i];
      nets[l][j] = z;
      outs[l][j] = act(activations[l - 1], z);
    }
  }
  return { nets, outs };
}

/** The loss over all samples at parameters `p`, in the workload's convention with N = all samples. */
export function referenceLoss(wl: Workload, p: Float64Array): number {
  const at = layout(wl.sizes);
  const n = sampleCount(wl);
  const K = wl.sizes[wl.sizes.length - 1];
  let sum = 0;
  for (let s = 0; s < n; s++) {
    const out = forward(wl, at, p, s).outs[wl.sizes.length - 1];
    for (let k = 0; k < K; k++) sum += (wl.targets[s * K + k] - out[k]) ** 2;
  }
  return lossScale(wl.loss, n).value * sum;
}

/** Trains a copy of the workload's initial parameters and returns it. */
export function referenceTrain(wl: Workload): Float64Array {
  const { sizes, activations } = wl;
  const L = sizes.length - 1;
  const at = layout(sizes);
  const p = Float64Array.from(wl.params);
  const grad = new Float64Array(p.length);
  const n = sampleCount(wl);
  const batch = wl.mode.kind === 'batch' ? n : wl.mode.kind === 'sample' ? 1 : wl.mode.size;
  for (let e = 0; e < wl.epochs; e++) {
    for (let start = 0; start < n; start += batch) {
      const end = Math.min(n, start + batch);
      const scale = lossScale(wl.loss, end - start).grad;
      grad.fill(0);
      for (let s = start; s < end; s++) {
        const { nets, outs } = forward(wl, at, p, s);
        let delta = outs[L].map((o, k) =>
          scale * (o - wl.targets[s * sizes[L] + k]) * actSlope(activations[L - 1], nets[L][k], o));
        for (let l = L; l >= 1; l--) {
          const below = new Array<number>(sizes[l - 1]).fill(0);
          for (let j = 0; j < sizes[l]; j++) {
            grad[at.b[l] + j] += delta[j];
            for (let i = 0; i < sizes[l - 1]; i++) {
              grad[at.w[l] + j * sizes[l - 1] + i] += delta[j] * outs[l - 1][i];
              below[i] += delta[j] * p[at.w[l] + j * sizes[l - 1] + i];
            }
          }
          if (l > 1) delta = below.map((d, i) => d * actSlope(activations[l - 2], nets[l - 1][i], outs[l - 1][i]));
        }
      }
      for (let q = 0; q < p.length; q++) p[q] -= wl.rate * grad[q];
    }
  }
  return p;
}
