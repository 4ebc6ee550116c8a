// `npm run bench`: the training benchmarks (bench/main.ts, through tsx) and then, when present, the
// renderer's timings in Chromium (bench/renderer.mjs), each as its own child process so that one
// crashing does not hide the other's numbers. Arguments are passed to bench/main.ts
// (--only=1,3  --quick  --scratch). Exit status: non-zero when either part failed.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function run(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => { console.error(`could not start ${args.join(' ')}: ${e.message}`); resolve(1); });
    child.on('close', (code, signal) => resolve(signal ? 1 : code ?? 1));
  });
}

const started = Date.now();
let failed = 0;
if (await run(['--import', 'tsx', join(root, 'bench', 'main.ts'), ...process.argv.slice(2)]) !== 0) failed++;

const renderer = join(root, 'bench', 'renderer.mjs');
if (existsSync(renderer)) {
  console.log('\n=== renderer (bench/renderer.mjs)');
  if (await run([renderer]) !== 0) failed++;
} else {
  console.log('\nrenderer timings: bench/renderer.mjs not present yet');
}
console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
