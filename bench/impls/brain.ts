/**
 * brain.js 1.6.1 `NeuralNetwork`: float32 weights, one update per sample (it has no batch mode), loss
 * gradient (o − t) per sample, i.e. half-sse = half-mse with N = 1. Its option checks reject a
 * momentum or error threshold of 0, so both are set to the smallest positive double: the momentum
 * term then multiplies to exactly 0 and the threshold is never reached, so every epoch runs.
 */
import { createRequire } from 'node:module';
import { sampleCount, type Workload } from '../workloads';
import type { Implementation } from './types';

const require = createRequire(import.meta.url);

/** The fields of brain.js's NeuralNetwork that its typings leave out but the bench must set. */
interface BrainInternals {
  sizes: number[];
  weights: Float32Array[][];
  biases: Float32Array[];
  changes: Float32Array[][];
  initialize(): void;
  train(data: { input: number[]; output: number[] }[], options: Record<string, unknown>): { iterations: number };
}

const ACTIVATIONS = new Set(['sigmoid', 'relu', 'leaky-relu', 'tanh']);

export function brainImplementation(): Implementation {
  return {
    name: 'brain.js',
    precision: 'float32',
    unsupported(w: Workload) {
      if (w.mode.kind !== 'sample' && sampleCount(w) > 1) return 'brain.js NeuralNetwork trains per sample only (no batch/minibatch)';
      if (new Set(w.activations).size !== 1 || !ACTIVATIONS.has(w.activations[0])) return 'brain.js uses one activation for all layers';
      if (w.loss !== 'half-sse' && w.loss !== 'half-mse') return 'brain.js only has the half-sse gradient';
      if (!(w.rate > 0 && w.rate < 1)) return 'brain.js rejects learning rates outside (0, 1)';
      return null;
    },
    async prepare(w: Workload) {
      const { NeuralNetwork } = require('brain.js') as typeof import('brain.js');
      const net = new NeuralNetwork({ activation: w.activations[0] as 'sigmoid' }) as unknown as BrainInternals;
      net.sizes = w.sizes.slice();
      net.initialize();
      const n = sampleCount(w);
      const nIn = w.sizes[0];
      const K = w.sizes[w.sizes.length - 1];
      const data = Array.from({ length: n }, (_, s) => ({
        input: Array.from(w.inputs.subarray(s * nIn, (s + 1) * nIn)),
        output: Array.from(w.targets.subarray(s * K, (s + 1) * K)),
      }));
      const options = {
        iterations: w.epochs, learningRate: w.rate, momentum: Number.MIN_VALUE, errorThresh: Number.MIN_VALUE,
        log: false, timeout: Infinity,
      };
      const reset = () => {
        let o = 0;
        for (let l = 1; l < w.sizes.length; l++) {
          for (let j = 0; j < w.sizes[l]; j++) {
            net.weights[l][j].set(w.params.subarray(o, o + w.sizes[l - 1]));
            net.changes[l][j].fill(0);
            o += w.sizes[l - 1];
          }
          net.biases[l].set(w.params.subarray(o, o + w.sizes[l]));
          o += w.sizes[l];
        }
      };
      let updates = 0;
      return {
        reset,
        run: (epochs) => {
          // Each brain.js iteration trains every sample once, one update each (trainPattern).
          updates = net.train(data, { ...options, iterations: epochs }).iterations * n;
        },
        updates: () => updates,
        params: () => {
          const out = new Float64Array(w.params.length);
          let o = 0;
          for (let l = 1; l < w.sizes.length; l++) {
            for (let j = 0; j < w.sizes[l]; j++) { out.set(net.weights[l][j], o); o += w.sizes[l - 1]; }
            out.set(net.biases[l], o);
            o += w.sizes[l];
          }
          return out;
        },
        dispose: () => {},
      };
    },
  };
}
