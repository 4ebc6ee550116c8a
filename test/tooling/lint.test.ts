// ESLint's layer rules (eslint.config.mjs): the imports the compiler cannot see or explains badly.
// Files are linted as text at a path inside the layer, without type information (they exist only
// in memory, so no tsconfig holds them; the layer rules need no types).
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root, overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

/** The lines of `code` that break no-restricted-imports when it is the file `path`. */
async function restricted(path: string, code: string): Promise<number[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  assert.deepEqual(result.messages.filter((m) => m.fatal), [], 'the file parses');
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.line);
}

describe('layer boundaries (ESLint no-restricted-imports)', function () {
  this.timeout(60000);

  it('the engine imports nothing of VS Code, Node, KaTeX or our other folders', async () => {
    const lines = await restricted('src/engine/present/__probe.ts', [
      "import { TRACE_MIME } from '../trace/schema';", // 1: the engine's own modules are fine
      "import 'vscode';", // 2: a side-effect import, which the compiler lets through
      "import type { OutputItem } from 'vscode-notebook-renderer';",
      "import { readFileSync } from 'node:fs';",
      "import katex from 'katex';",
      "import { join } from 'path';", // a built-in without its node: prefix
      "import { activate } from '../../extension/extension';",
      "import { main } from '../../cli/main';",
      "import { render } from '../../../renderer/index';",
      'export const all = [TRACE_MIME, readFileSync, katex, join, activate, main, render];',
      'export type O = OutputItem;',
    ].join('\n'));
    assert.deepEqual(lines, [2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('the renderer imports the engine, never vscode, Node, the extension or the CLI', async () => {
    const lines = await restricted('renderer/__probe.ts', [
      "import { TRACE_MIME } from '../src/engine/trace/schema';",
      "import type { OutputItem } from 'vscode-notebook-renderer';",
      "import 'vscode';",
      "import { readFileSync } from 'node:fs';",
      "import { activate } from '../src/extension/extension';",
      "import { main } from '../src/cli/main';",
      'export const all = [TRACE_MIME, readFileSync, activate, main];',
      'export type O = OutputItem;',
    ].join('\n'));
    assert.deepEqual(lines, [3, 4, 5, 6]);
  });

  it('the extension imports vscode and the engine, never Node, the CLI or the renderer', async () => {
    const lines = await restricted('src/extension/__probe.ts', [
      "import * as vscode from 'vscode';",
      "import { TRACE_MIME } from '../engine/trace/schema';",
      "import { readFileSync } from 'node:fs';",
      "import { main } from '../cli/main';",
      "import { render } from '../../renderer/index';",
      "import { EventEmitter } from 'events';",
      "import { deepEqual } from 'assert/strict';",
      'export const all = [vscode, TRACE_MIME, readFileSync, main, render, EventEmitter, deepEqual];',
    ].join('\n'));
    assert.deepEqual(lines, [3, 4, 5, 6, 7]);
  });
});
