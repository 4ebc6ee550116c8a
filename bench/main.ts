/**
 * `npm run bench`: the engine's fast path against brain.js and tfjs (cpu, wasm) on issue 2's four
 * workloads, in one process, on the same data and initial weights. Prints numbers, asserts nothing
 * about time. Options: --only=1,3 (workloads), --quick (fewer repeats), --scratch (also time the
 * prototype trainers in bench/scratch/).
 */
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fmt, measure, table, type TimingPolicy } from './harness';
import { brainImplementation } from './impls/brain';
import { trainerImplementation } from './impls/engine';
import { tfjsImplementation, tfjsInfo } from './impls/tfjs';
import type { Implementation } from './impls/types';
import { referenceLoss, referenceTrain } from './reference';
import { nominalFlops, sampleCount, updateCount, weightCount, workloads, type Workload } from './workloads';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
const quick = args.includes('--quick');
const policy: TimingPolicy = quick ? { budgetMs: 300, minRepeats: 1, maxRepeats: 31 } : { budgetMs: 2500, minRepeats: 3, maxRepeats: 31 };

interface Row {
  impl: Implementation;
  note?: string;
  ms?: number;
  spread?: string;
  gflops?: number;
  loss?: number;
  maxDiff?: number;
  updates?: number;
}

/** Float32 peers drift from float64 by rounding; anything beyond these bounds is different work. */
function sameWork(impl: Implementation, row: Row, refLoss: number, expectedUpdates: number): boolean {
  const lossTol = impl.precision === 'float64' ? 1e-9 : 1e-3;
  const diffTol = impl.precision === 'float64' ? 1e-9 : 1e-3;
  return Math.abs(row.loss! - refLoss) <= lossTol * Math.max(1e-12, Math.abs(refLoss)) + 1e-12 && row.maxDiff! <= diffTol &&
    (row.updates === undefined || row.updates === expectedUpdates);
}

async function benchWorkload(w: Workload, impls: Implementation[]): Promise<Row[]> {
  const ref = referenceTrain(w);
  const refLoss = referenceLoss(w, ref);
  const rows: Row[] = [];
  for (const impl of impls) {
    if (impl.missing) { rows.push({ impl, note: `not run: ${impl.missing}` }); continue; }
    const why = impl.unsupported(w);
    if (why) { rows.push({ impl, note: `n/a: ${why}` }); continue; }
    try {
      const prepared = await impl.prepare(w);
      try {
        const t = measure(prepared, w.epochs, policy);
        const params = prepared.params();
        let maxDiff = 0;
        for (let q = 0; q < params.length; q++) maxDiff = Math.max(maxDiff, Math.abs(params[q] - ref[q]));
        rows.push({
          impl, ms: t.medianMs, spread: `${fmt(t.minMs)}–${fmt(t.maxMs)} (${t.repeats})`,
          gflops: nominalFlops(w) / (t.medianMs * 1e6), loss: referenceLoss(w, params), maxDiff, updates: prepared.updates?.(),
        });
      } finally {
        prepared.dispose();
      }
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      rows.push({ impl, note: message.startsWith('prototype:') ? `n/a: ${message}` : `failed: ${message}` });
    }
  }
  const engine = rows.find((r) => r.impl.name === 'engine' && r.ms !== undefined);
  const samplesRun = sampleCount(w) * w.epochs;
  console.log(`\n(${w.id}) ${w.title}`);
  console.log(`    ${w.sizes.join('-')}, ${w.activations.join('/')}, loss ${w.loss}, rate ${w.rate}, ` +
    `${updateCount(w).toLocaleString('en')} weight updates, W = ${weightCount(w.sizes).toLocaleString('en')}, ` +
    `${fmt(nominalFlops(w) / 1e9)} GFLOP nominal; reference float64 final loss ${refLoss.toPrecision(10)}`);
  const body = rows.map((r) => r.ms === undefined
    ? [r.impl.name, r.impl.precision, r.note!]
    : [
      r.impl.name, r.impl.precision, fmt(r.ms), r.spread!, fmt(samplesRun / (r.ms / 1000)), fmt(r.gflops!),
      engine ? `${fmt(r.ms / engine.ms!)}×` : '—',
      r.loss!.toPrecision(8), r.maxDiff!.toExponential(1), sameWork(r.impl, r, refLoss, updateCount(w)) ? 'yes' : 'NO',
    ]);
  console.log(table(
    ['implementation', 'precision', 'ms (median)', 'min–max (runs)', 'samples/s', 'GFLOP/s', 'time ÷ engine', 'final loss', 'max |Δw| vs ref', 'same work'],
    body, 2,
  ).replace(/^/gm, '    '));
  return rows;
}

function targets(results: Map<string, Row[]>): string[] {
  const out: string[] = [];
  const time = (rows: Row[], name: string) => rows.find((r) => r.impl.name === name && r.ms !== undefined);
  for (const [id, rows] of results) {
    const engine = time(rows, 'engine');
    if (!engine) { out.push(`(${id}) engine not measured`); continue; }
    const peers = rows.filter((r) => r.ms !== undefined && r.impl.name !== 'engine' && !r.impl.name.startsWith('scratch'));
    if (id === '1' || id === '2') {
      const slower = peers.filter((p) => p.ms! <= engine.ms!);
      out.push(`(${id}) engine faster than every peer: ${slower.length === 0 ? 'MET' : `MISSED (not faster than ${slower.map((p) => p.impl.name).join(', ')})`}`);
    } else {
      const wasm = time(rows, 'tfjs-wasm');
      const simd = time(rows, 'scratch wasm SIMD');
      out.push(`(${id}) engine ${fmt(engine.gflops!)} GFLOP/s float64: ≥ 0.8 ${engine.gflops! >= 0.8 ? 'MET' : 'MISSED'}` +
        (wasm ? `; stretch (beat tfjs-wasm float32, ${fmt(wasm.gflops!)} GFLOP/s): ${engine.ms! < wasm.ms! ? 'MET' : 'missed'}` : '') +
        (wasm && simd ? ` (prototype wasm SIMD ${fmt(simd.gflops!)} GFLOP/s: ${simd.ms! < wasm.ms! ? 'would meet it' : 'would miss it too'})` : ''));
    }
  }
  return out;
}

async function main(): Promise<void> {
  const impls: Implementation[] = [
    await trainerImplementation('engine', pathToFileURL(join(root, 'src/engine/trainer.ts')).href),
  ];
  if (args.includes('--scratch')) {
    impls.push(await trainerImplementation('scratch wasm SIMD', pathToFileURL(join(root, 'bench/scratch/wasm-trainer.ts')).href));
  }
  impls.push(brainImplementation(), tfjsImplementation('cpu'), tfjsImplementation('wasm'));

  const cpus = os.cpus();
  console.log(`Backprop Notebook benchmark — Node ${process.version}, ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ` +
    `load ${os.loadavg()[0].toFixed(1)}`);
  const load = os.loadavg()[0];
  if (load > cpus.length * 0.5) {
    console.log(`NOTE: load average ${load.toFixed(1)} on ${cpus.length} cores — other processes share the CPU, so times are noisy;`);
    console.log('      compare ratios within one run, and rerun on an idle machine for absolute numbers.');
  }
  console.log(`tfjs-wasm: ${await tfjsInfo()}. brain.js and tfjs compute in float32, the engine in float64.`);
  console.log('GFLOP/s = 6·W·samples·epochs / time, W = Σ nIn·nOut (2 FLOPs per multiply-add forward, twice that');
  console.log('backward; activations and updates not counted). samples/s counts sample passes (samples × epochs).');
  console.log(`Timing: a warm-up (a tenth of the epochs, at least one), then the median of ${quick ? '1 run or more (up to 0.3 s of them, --quick)' : '3 or more runs (up to 2.5 s of them)'}, each from the same initial weights.`);
  console.log('Same work: every implementation starts from the same weights and data and makes the same updates in the');
  console.log('same order; "same work" compares its final weights with an untimed plain float64 reference trainer');
  console.log('(float64: |Δ| ≤ 1e-9; float32: |Δw| ≤ 1e-3 and final loss within 0.1%), and for the peers also the');
  console.log('number of updates they were seen to make (tfjs: minimize calls; brain.js: epochs run × samples).');
  console.log('time ÷ engine > 1 means the engine is faster.');

  const results = new Map<string, Row[]>();
  for (const w of workloads()) {
    if (only && !only.has(w.id)) continue;
    results.set(w.id, await benchWorkload(w, impls));
  }
  console.log('\nTargets (issue 2):');
  for (const line of targets(results)) console.log(`    ${line}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
