// The renderer bundle's build, shared by scripts/build.mjs (the whole project) and by the renderer's
// tests and benchmark, which build only this bundle so they do not depend on the other bundles.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** esbuild options for dist/renderer/index.js: an ES module, as VS Code loads notebook renderers. */
export const rendererBuild = {
  entryPoints: ['renderer/index.ts'], outfile: 'dist/renderer/index.js',
  platform: 'browser', format: 'esm', target: 'es2022',
  loader: { '.css': 'text' },
};

/** KaTeX's stylesheet and its woff2 fonts beside the bundle (index.js finds them via import.meta.url). */
export function copyKatexAssets(root) {
  const katexDist = join(dirname(require.resolve('katex/package.json')), 'dist');
  const out = join(root, 'dist', 'renderer');
  mkdirSync(join(out, 'fonts'), { recursive: true });
  cpSync(join(katexDist, 'katex.min.css'), join(out, 'katex.min.css'));
  for (const f of readdirSync(join(katexDist, 'fonts'))) {
    if (f.endsWith('.woff2')) cpSync(join(katexDist, 'fonts', f), join(out, 'fonts', f));
  }
}

/** Builds only the renderer (tests, benchmark). */
export async function buildRenderer(root, { production = false } = {}) {
  await esbuild.build({ bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', absWorkingDir: root, ...rendererBuild });
  copyKatexAssets(root);
}
