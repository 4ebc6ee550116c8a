// `npm run bench`: installs the benchmark's peers (brain.js, TensorFlow.js: bench/package.json, kept
// out of the project's own install) into bench/node_modules when they are missing or older than
// bench/package-lock.json, type-checks bench/, then runs the training benchmarks (bench/main.ts,
// through tsx), number reading (bench/parse.ts) and the renderer's timings in Chromium
// (bench/renderer.mjs), each as its own child process so that one crashing does not hide the others'
// numbers. Arguments are passed to bench/main.ts (--only=1,3  --quick). Exit status: non-zero when
// any part failed.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bench = join(root, 'bench');

function run(command, args, cwd = root) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (e) => { console.error(`could not start ${command} ${args.join(' ')}: ${e.message}`); resolve(1); });
    child.on('close', (code, signal) => resolve(signal ? 1 : code ?? 1));
  });
}

const mtime = (path) => { try { return statSync(path).mtimeMs; } catch { return -1; } };

/** npm writes node_modules/.package-lock.json on every install: older than the lock means stale. */
function installed() {
  return mtime(join(bench, 'node_modules', '.package-lock.json')) >= mtime(join(bench, 'package-lock.json'));
}

/** The npm that runs this script (`npm run bench`), or the one on PATH. */
function npm(args) {
  const cli = process.env.npm_execpath;
  return cli && cli.endsWith('.js') ? run(process.execPath, [cli, ...args], bench) : run('npm', args, bench);
}

const started = Date.now();
let failed = 0;
if (!installed()) {
  console.log('=== installing the benchmark peers into bench/node_modules (npm ci, about 290 MB)');
  if (await npm(['ci', '--no-audit', '--no-fund']) !== 0) {
    console.error('\nnpm ci in bench/ failed: the benchmark needs brain.js and TensorFlow.js.');
    process.exit(1);
  }
}

console.log('=== type check (bench/tsconfig.json)');
if (await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'bench']) !== 0) failed++;

console.log('\n=== training (bench/main.ts)');
if (await run(process.execPath, ['--import', 'tsx', join(bench, 'main.ts'), ...process.argv.slice(2)]) !== 0) failed++;

console.log('\n=== number reading (bench/parse.ts)');
if (await run(process.execPath, ['--import', 'tsx', join(bench, 'parse.ts')]) !== 0) failed++;

console.log('\n=== renderer (bench/renderer.mjs)');
if (await run(process.execPath, [join(bench, 'renderer.mjs')]) !== 0) failed++;

console.log(`\nbench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
