// Builds every bundle the project ships: the extension (desktop and web), the command line, and the
// notebook renderer with KaTeX's CSS and fonts beside it. `npm install` runs this through `prepare`.
import * as esbuild from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyKatexAssets, rendererBuild } from '../renderer/build.mjs';
import { writeGrammar } from './grammar.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root };

const builds = [
  {
    entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'],
  },
  {
    // The web extension host runs in a web worker: no Node built-ins, no `process`.
    entryPoints: ['src/extension/extension.ts'], outfile: 'dist/web/extension.js',
    platform: 'browser', format: 'cjs', target: 'es2022', external: ['vscode'],
    mainFields: ['browser', 'module', 'main'],
  },
  {
    entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js',
    platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' },
  },
  // Notebook renderers are loaded as ES modules; KaTeX's fonts are found through import.meta.url.
  rendererBuild,
];

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
  await writeGrammar();
  copyKatexAssets(root);
  console.log('watching', builds.map((b) => b.outfile).join(', '));
} else {
  await Promise.all([...builds.map((b) => esbuild.build({ ...common, ...b })), writeGrammar()]);
  copyKatexAssets(root);
  chmodSync(join(root, 'dist/cli.js'), 0o755);
}
