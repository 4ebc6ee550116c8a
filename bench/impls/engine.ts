/**
 * The engine's fast path (`createTrainer(spec)` from src/engine/compute/trainer.ts), loaded lazily so
 * that a broken engine still lets the bench run the peers and say so. A run is `epoch()` once per
 * epoch, what `train N` runs; the loss after the last epoch (which `trainEpochs` adds) is left out,
 * as no peer computes one.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * The trainer as the extension ships it: one esbuild bundle for a neutral platform (so the build
 * also fails if the engine reached for a Node built-in). Run from source, tsx would turn every call
 * between the engine's modules into a getter call, which the shipped bundle does not have. Falls
 * back to the source when esbuild is not there.
 */
export async function engineModule(root: string): Promise<{ url: string; note: string }> {
  const entry = join(root, 'src/engine/compute/trainer.ts');
  try {
    const esbuild = await import('esbuild');
    const out = await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false, logLevel: 'silent' });
    const file = join(tmpdir(), `bpnb-bench-engine-${process.pid}.mjs`);
    writeFileSync(file, out.outputFiles[0].contents);
    process.on('exit', () => rmSync(file, { force: true }));
    return { url: pathToFileURL(file).href, note: 'src/engine/compute/trainer.ts bundled by esbuild, as shipped' };
  } catch (e) {
    return { url: pathToFileURL(entry).href, note: `src/engine/compute/trainer.ts from source through tsx (no esbuild bundle: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})` };
  }
}
