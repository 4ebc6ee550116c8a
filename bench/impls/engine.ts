/**
 * The engine's fast path (`createTrainer(spec).trainEpochs(n)`), and any other module with the same
 * contract (the prototype kernels in bench/scratch/). Loaded lazily: while the engine's fast path is
 * not written yet the bench still runs the peers and says so.
 */
import type { DenseSpec, Trainer } from '../../src/engine/compute/trainer';
import type { Workload } from '../workloads';
import type { Implementation } from './types';

type CreateTrainer = (spec: DenseSpec) => Trainer;

export async function trainerImplementation(name: string, modulePath: string): Promise<Implementation> {
  let create: CreateTrainer | undefined;
  let missing: string | undefined;
  try {
    const mod = (await import(modulePath)) as { createTrainer?: CreateTrainer };
    create = typeof mod.createTrainer === 'function' ? mod.createTrainer : undefined;
    if (!create) missing = `${modulePath} does not export createTrainer yet`;
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
        inputs: w.inputs, targets: w.targets, params: Float64Array.from(w.params),
      });
      return {
        reset: () => trainer.params.set(w.params),
        run: (epochs) => { trainer.trainEpochs(epochs); },
        params: () => Float64Array.from(trainer.params),
        dispose: () => {},
      };
    },
  };
}
