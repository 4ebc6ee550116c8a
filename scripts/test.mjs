// The whole test suite, as CI runs it: type check, build, engine and command-line unit tests in
// Node, renderer tests in headless Chromium, extension tests inside a real VS Code for the web.
// Each group runs as its own process; their mocha counts are summed into one closing line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const only = process.argv.slice(2);

const groups = [
  { name: 'typecheck', cmd: [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'] },
  { name: 'build', cmd: [join(root, 'scripts', 'build.mjs')] },
  { name: 'unit', cmd: [mocha, '--config', '.mocharc.json', 'test/engine/**/*.test.ts', 'test/cli/**/*.test.ts', 'test/bench/**/*.test.ts'] },
  { name: 'renderer', cmd: [mocha, '--config', '.mocharc.json', '--timeout', '60000', 'test/renderer/**/*.test.ts'], needs: 'test/renderer' },
  { name: 'extension', cmd: [join(root, 'test', 'extension', 'run.mjs')], needs: 'test/extension/run.mjs' },
];

function run(group) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, group.cmd, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    const take = (stream, sink) => stream.on('data', (d) => { sink.write(d); text += d; });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, text }));
  });
}

let passed = 0;
let failed = 0;
let broken = [];
for (const group of groups) {
  if (only.length && !only.includes(group.name)) continue;
  if (group.needs && !existsSync(join(root, group.needs))) {
    console.log(`\n=== ${group.name}: not present yet`);
    continue;
  }
  console.log(`\n=== ${group.name}`);
  const { code, text } = await run(group);
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  const p = [...plain.matchAll(/^\s*(\d+) passing/gm)].reduce((s, m) => s + Number(m[1]), 0);
  const f = [...plain.matchAll(/^\s*(\d+) failing/gm)].reduce((s, m) => s + Number(m[1]), 0);
  passed += p;
  failed += f;
  if (code !== 0) {
    broken.push(`${group.name} (exit ${code})`);
    if (f === 0) failed += 1; // a group that died without a mocha count still fails the run
  }
}
console.log('');
if (broken.length) console.log(`failed groups: ${broken.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(broken.length ? 1 : 0);
