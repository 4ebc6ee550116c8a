/**
 * `npm run bench`: the engine's fast path (with its WebAssembly SIMD kernels, and with its JavaScript
 * kernels alone) against a careful hand-written float64 trainer, brain.js and tfjs (cpu, wasm) on
 * the four workloads, in one process, on the same data and initial weights. Prints numbers, asserts
 * nothing about time. Options: --only=1,3 (workloads; `classification` for the classification section), --quick (fewer repeats).
 */
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, measure, table, type TimingPolicy } from './harness';
import { wasmSimdSupported } from '../src/engine/compute/wasm/kernels';
import { brainImplementation } from './impls/brain';
import { carefulImplementation } from './impls/careful';
import { engineModule, trainerImplementation } from './impls/engine';
import { tfjsImplementation, tfjsInfo } from './impls/tfjs';
import type { Implementation } from './impls/types';
import { referenceLoss, referenceTrain } from './reference';
import { benchClassification } from './classification';
import { nominalFlops, sampleCount, updateCount, weightCount, workloads, type Workload } from './workloads';

const ENGINE = 'engine';
const ENGINE_JS = 'engine, JS kernels';
const CAREFUL = 'careful JS';

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
      rows.push({ impl, note: `failed: ${message}` });
    }
  }
  const engine = rows.find((r) => r.impl.name === ENGINE && r.ms !== undefined);
  const careful = rows.find((r) => r.impl.name === CAREFUL && r.ms !== undefined);
  const samplesRun = sampleCount(w) * w.epochs;
  console.log(`\n(${w.id}) ${w.title}`);
  console.log(`    ${w.sizes.join('-')}, ${w.activations.join('/')}, loss ${w.loss}, rate ${w.rate}, ` +
    `${updateCount(w).toLocaleString('en')} weight updates, W = ${weightCount(w.sizes).toLocaleString('en')}, ` +
    `${fmt(nominalFlops(w) / 1e9)} GFLOP nominal; reference float64 final loss ${refLoss.toPrecision(10)}`);
  const body = rows.map((r) => r.ms === undefined
    ? [r.impl.name, r.impl.precision, r.note!]
    : [
      r.impl.name, r.impl.precision, fmt(r.ms), r.spread!, fmt(samplesRun / (r.ms / 1000)), fmt(r.gflops!),
      engine ? `${fmt(r.ms / engine.ms!)}×` : '—', careful ? `${fmt(r.ms / careful.ms!)}×` : '—',
      r.loss!.toPrecision(8), r.maxDiff!.toExponential(1), sameWork(r.impl, r, refLoss, updateCount(w)) ? 'yes' : 'NO',
    ]);
  console.log(table(
    ['implementation', 'precision', 'ms (median)', 'min–max (runs)', 'samples/s', 'GFLOP/s', 'time ÷ engine', 'time ÷ careful', 'final loss', 'max |Δw| vs ref', 'same work'],
    body, 2,
  ).replace(/^/gm, '    '));
  return rows;
}

/** One line per workload: the engine against the careful trainer, and against tfjs-wasm where it runs. */
function targets(results: Map<string, Row[]>): string[] {
  const out: string[] = [];
  const time = (rows: Row[], name: string) => rows.find((r) => r.impl.name === name && r.ms !== undefined);
  for (const [id, rows] of results) {
    const engine = time(rows, ENGINE);
    const js = time(rows, ENGINE_JS);
    const careful = time(rows, CAREFUL);
    if (!engine || !careful) { out.push(`(${id}) engine or careful trainer not measured`); continue; }
    const ratio = engine.ms! / careful.ms!;
    let line = `(${id}) engine ÷ careful JS (time) ${fmt(ratio)}: ≤ 1.0 ${ratio <= 1 ? 'MET' : 'MISSED'}` +
      (js ? `; JavaScript kernels alone ${fmt(js.ms! / careful.ms!)}` : '');
    const wasm = time(rows, 'tfjs-wasm');
    if (wasm) {
      line += `; engine ${fmt(engine.gflops!)} GFLOP/s float64 vs tfjs-wasm ${fmt(wasm.gflops!)} float32: ` +
        `faster ${engine.ms! < wasm.ms! ? 'MET' : 'MISSED'} (time ÷ tfjs-wasm ${fmt(engine.ms! / wasm.ms!)})`;
    }
    out.push(line);
  }
  return out;
}

async function main(): Promise<void> {
  const engine = await engineModule(root);
  const impls: Implementation[] = [
    await trainerImplementation(ENGINE, engine.url), await trainerImplementation(ENGINE_JS, engine.url, 'js'),
    carefulImplementation(), brainImplementation(), tfjsImplementation('cpu'), tfjsImplementation('wasm'),
  ];

  const cpus = os.cpus();
  console.log(`Backprop Notebook benchmark — Node ${process.version}, ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ` +
    `load ${os.loadavg()[0].toFixed(1)}`);
  const load = os.loadavg()[0];
  if (load > cpus.length * 0.5) {
    console.log(`NOTE: load average ${load.toFixed(1)} on ${cpus.length} cores — other processes share the CPU, so times are noisy;`);
    console.log('      compare ratios within one run, and rerun on an idle machine for absolute numbers.');
  }
  console.log(`engine: ${engine.note};`);
  console.log(`  ${wasmSimdSupported() ? 'WebAssembly SIMD (f64x2) kernels for weight matrices of 64 weights or more, JavaScript for the rest' : 'WebAssembly SIMD missing here: JavaScript kernels only'};`);
  console.log(`  "${ENGINE_JS}" runs the JavaScript kernels only (the fallback; bitwise the same results).`);
  console.log(`  A run is epoch() per epoch (what \`train N\` runs), without the final loss, which no peer computes.`);
  console.log(`careful JS: a hand-written float64 trainer (bench/impls/careful.ts), written independently of the engine.`);
  console.log(`tfjs-wasm: ${await tfjsInfo()}. brain.js and tfjs compute in float32, the engine and careful JS in float64.`);
  console.log('GFLOP/s = 6·W·samples·epochs / time, W = Σ nIn·nOut (2 FLOPs per multiply-add forward, twice that');
  console.log('backward; activations and updates not counted). samples/s counts sample passes (samples × epochs).');
  console.log(`Timing: a warm-up (a tenth of the epochs, at least one), then the median of ${quick ? '1 run or more (up to 0.3 s of them, --quick)' : '3 or more runs (up to 2.5 s of them)'}, each from the same initial weights.`);
  console.log('Same work: every implementation starts from the same weights and data and makes the same updates in the');
  console.log('same order; "same work" compares its final weights with an untimed plain float64 reference trainer');
  console.log('(float64: |Δ| ≤ 1e-9; float32: |Δw| ≤ 1e-3 and final loss within 0.1%), and for the peers also the');
  console.log('number of updates they were seen to make (tfjs: minimize calls; brain.js: epochs run × samples).');
  console.log('time ÷ engine > 1 means the engine is faster; time ÷ careful > 1 means slower than the careful trainer.');

  const results = new Map<string, Row[]>();
  for (const w of workloads()) {
    if (only && !only.has(w.id)) continue;
    results.set(w.id, await benchWorkload(w, impls));
  }
  console.log('\nTargets (issue 10):');
  for (const line of targets(results)) console.log(`    ${line}`);
  if (!only || only.has('classification')) {
    const mod = (await import(engine.url)) as { createTrainer: Parameters<typeof benchClassification>[0] };
    benchClassification(mod.createTrainer, policy);
  }
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
