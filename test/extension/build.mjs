// Bundles the in-host test suite for both extension hosts: the web one (a web worker, CommonJS module
// loaded like an extension) and the desktop one (@vscode/test-electron, Node). Output under out/,
// inside the extension folder, because test-web serves the tests from the extension's own path.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const webSuite = join(root, 'out', 'test', 'extension', 'web', 'suite.js');
export const nodeSuite = join(root, 'out', 'test', 'extension', 'node', 'suite.js');

export async function buildSuites() {
  const common = {
    entryPoints: [join(root, 'test', 'extension', 'suite', 'index.ts')],
    bundle: true, sourcemap: 'inline', logLevel: 'warning', absWorkingDir: root,
    format: 'cjs', external: ['vscode'],
  };
  await Promise.all([
    esbuild.build({ ...common, outfile: webSuite, platform: 'browser', target: 'es2022', mainFields: ['browser', 'module', 'main'],
      define: { __NODE_HOST__: 'false' } }),
    esbuild.build({ ...common, outfile: nodeSuite, platform: 'node', target: 'node20',
      define: { __NODE_HOST__: 'true' }, external: ['vscode', 'mocha'] }),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildSuites();
