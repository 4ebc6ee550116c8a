/**
 * `node --import tsx bench/scratch/compare.ts [--only=2,3]`: the prototype trainers against the
 * engine on the bench workloads — bitwise equality of the final weights, and the time of each
 * (median of 3 after a warm-up), run alternately so that machine load hits them alike — then on
 * random networks (every activation, loss and mode the prototype supports).
 */
import { performance } from 'node:perf_hooks';
import { createTrainer as engineTrainer, type DenseSpec, type Trainer } from '../../src/engine/compute/trainer';
import { nominalFlops, rng, workloads } from '../workloads';
import { createTrainer as wasmTrainer } from './wasm-trainer';

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
const prototypes: [string, (spec: DenseSpec) => Trainer][] = [['wasm SIMD', wasmTrainer]];

function tryMake(create: (spec: DenseSpec) => Trainer, spec: DenseSpec): Trainer | string {
  try {
    return create(spec);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const median = (x: number[]) => x.sort((p, q) => p - q)[x.length >> 1];

for (const w of workloads()) {
  if (only && !only.has(w.id)) continue;
  const spec = (): DenseSpec => ({
    sizes: w.sizes, activations: w.activations, loss: w.loss, rate: w.rate, mode: w.mode,
    inputs: w.inputs, targets: w.targets, params: Float64Array.from(w.params),
  });
  const runners: [string, Trainer | string][] = [['engine', engineTrainer(spec())], ...prototypes.map(([n, c]): [string, Trainer | string] => [n, tryMake(c, spec())])];
  const times = new Map<string, number[]>();
  for (let rep = 0; rep < 4; rep++) {
    for (const [name, t] of runners) {
      if (typeof t === 'string') continue;
      t.params.set(w.params);
      const t0 = performance.now();
      t.trainEpochs(w.epochs);
      if (rep > 0) times.set(name, [...(times.get(name) ?? []), performance.now() - t0]);
    }
  }
  const engine = runners[0][1] as Trainer;
  const te = median(times.get('engine')!);
  const parts = runners.map(([name, t]) => {
    if (typeof t === 'string') return `${name} n/a (${t})`;
    const ms = median(times.get(name)!);
    const gf = (nominalFlops(w) / ms / 1e6).toFixed(2);
    if (name === 'engine') return `engine ${ms.toFixed(1)} ms (${gf} GFLOP/s)`;
    return `${name} ${ms.toFixed(1)} ms (${gf} GFLOP/s, ×${(te / ms).toFixed(2)}, ${sameBits(engine.params, t.params) ? 'bitwise identical' : 'WEIGHTS DIFFER'})`;
  });
  console.log(`(${w.id}) ${parts.join('; ')}`);
}

// Beyond the bench workloads: every activation, loss and mode, on the even sizes and chunks of 4k
// samples that the wasm kernels take.
{
  const acts = ['sigmoid', 'tanh', 'relu', 'leaky-relu', 'linear'] as const;
  const losses = ['half-sse', 'sse', 'half-mse', 'mse'] as const;
  const modes = [{ kind: 'batch' }, { kind: 'sample' }, { kind: 'minibatch', size: 8 }] as const;
  const random = rng(99);
  const tally = new Map<string, [number, number]>();
  for (const [name, create] of prototypes) {
    for (const act of acts) for (const loss of losses) for (const mode of modes) {
      const even = name === 'wasm SIMD';
      if (even && mode.kind === 'sample') continue;
      const pick = (lo: number, span: number) => (even ? 2 : 1) * (lo + Math.floor(random() * span));
      const sizes = [pick(3, 4), pick(2, 6), pick(1, 4), pick(1, 3)];
      const n = even ? 8 * (1 + Math.floor(random() * 5)) : 1 + Math.floor(random() * 40);
      let P = 0;
      for (let l = 1; l < sizes.length; l++) P += sizes[l - 1] * sizes[l] + sizes[l];
      const params = Float64Array.from({ length: P }, () => random() - 0.5);
      const spec = {
        sizes, activations: [act, act, 'sigmoid' as const], loss, rate: 0.05, mode,
        inputs: Float64Array.from({ length: n * sizes[0] }, () => random() * 2 - 1),
        targets: Float64Array.from({ length: n * sizes[3] }, () => random()),
      };
      const a = engineTrainer({ ...spec, params: Float64Array.from(params) });
      const b = create({ ...spec, params: Float64Array.from(params) });
      const la = a.trainEpochs(3);
      const lb = b.trainEpochs(3);
      const ok = Object.is(la, lb) && sameBits(a.params, b.params);
      if (!ok) console.log(`${name} DIFFERS: ${act} ${loss} ${mode.kind} sizes ${sizes.join('-')} n ${n}`);
      const [good, all] = tally.get(name) ?? [0, 0];
      tally.set(name, [good + (ok ? 1 : 0), all + 1]);
    }
  }
  for (const [name, [good, all]] of tally) console.log(`random networks, ${name}: ${good} of ${all} bitwise identical to the engine (weights and returned loss)`);
}
