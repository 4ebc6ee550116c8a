#!/usr/bin/env node
// The same in-host suite in desktop VS Code through @vscode/test-electron, for machines that can
// download (or already have) a desktop VS Code: `node test/extension/electron.mjs`. Set
// VSCODE_EXECUTABLE to use an installed one. Not part of `npm test` here (no download possible).
import { runTests } from '@vscode/test-electron';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSuites, nodeSuite, root } from './build.mjs';
import { build } from '../../scripts/start.mjs';

if (!build()) process.exit(1);
await buildSuites();
// The tests write files beside the examples (save/reopen, exports): give them a copy.
const workspace = mkdtempSync(join(tmpdir(), 'bpnb-examples-'));
cpSync(join(root, 'examples'), workspace, { recursive: true });
let code = 0;
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: nodeSuite,
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error(`extension tests failed: ${err?.message ?? err}`);
  code = 1;
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(code);
