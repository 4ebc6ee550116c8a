/**
 * The engine's fast path (`createTrainer(spec)` from src/engine/compute/trainer.ts), loaded lazily so
 * that a broken engine still lets the bench run the peers and say so. A run is `epoch()` once per
 * epoch, what `train N` runs; the loss after the last epoch (which `trainEpochs` adds) is left out,
 * as no peer computes one.
 */
import type { DenseSpec, KernelChoice, Trainer } from '../../src/engine/compute/trainer';
import type { Workload } from '../workloads';
import type { Implementation } from './types';

type Engine = Trainer & { epoch?(): number };
type CreateTrainer = (spec: DenseSpec) => Engine;

export async function trainerImplementation(name: string, modulePath: string, kernels: KernelChoice = 'auto'): Promise<Implementation> {
  let create: CreateTrainer | undefined;
  let missing: string | undefined;
  try {
    const mod = (await import(modulePath)) as { createTrainer?: CreateTrainer };
    create = typeof mod.createTrainer === 'function' ? mod.createTrainer : undefined;
    if (!create) missing = `${modulePath} does not export createTrainer`;
  } catch (e) {
    missing = `cannot load ${modulePath}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  return {
    name,
    precision: 'float64',
    missing,
    unsupported: () => null,
    async prepare(w: Workload) {
      const trainer = create!({
        sizes: w.sizes, activations: w.activations, loss: w.loss, rate: w.rate, mode: w.mode,
        inputs: w.inputs, targets: w.targets, params: Float64Array.from(w.params), kernels,
      });
      const run = trainer.epoch
        ? (epochs: number) => { for (let e = 0; e < epochs; e++) trainer.epoch!(); }
        : (epochs: number) => { trainer.trainEpochs(epochs); };
      return {
        reset: () => trainer.params.set(w.params),
        run,
        params: () => Float64Array.from(trainer.params),
        dispose: () => {},
      };
    },
  };
}
