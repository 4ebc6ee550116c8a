/**
 * CONTRACT (written by the coordinator; the engine helper implements it): the fast path. A dense
 * feed-forward network compiled to flat Float64Arrays, trained without building any trace. The
 * Session uses it for `train`, and the benchmarks drive it directly.
 */
import type { Activation, LossName, Mode } from './trace';

export interface DenseSpec {
  /** Neurons per layer, input layer first, e.g. [2, 2, 2]. */
  sizes: number[];
  /** One activation per non-input layer. */
  activations: Activation[];
  loss: LossName;
  rate: number;
  mode: Mode;
  /** Row-major: sample s, input i at s * sizes[0] + i. */
  inputs: Float64Array;
  /** Row-major: sample s, output k at s * sizes[last] + k. */
  targets: Float64Array;
  /** Parameter values; when absent they are drawn by `init`. Layout: see `Trainer.params`. */
  params?: Float64Array;
  init?: { kind: 'xavier' } | { kind: 'uniform'; low: number; high: number };
  seed?: number;
  /** Per layer (1..L), per neuron: whether it has a bias. Default: every neuron has its own bias. */
  hasBias?: boolean[][];
}

export interface Trainer {
  /**
   * All parameters, layer by layer: for layer l, its weights row by row (target neuron j, then
   * source i: offset + j * sizes[l-1] + i), then its biases. Live: writing changes the network.
   */
  readonly params: Float64Array;
  /** Run `epochs` epochs; returns the loss over all samples at the weights after the last one. */
  trainEpochs(epochs: number): number;
  /** Loss over all samples at the current weights. */
  loss(): number;
}

export declare function createTrainer(spec: DenseSpec): Trainer;
