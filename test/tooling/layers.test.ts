// The layer boundaries are compiler settings (each layer's tsconfig.json): these tests prove that
// each layer's real compiler options reject what that layer must not use, and still accept what it
// needs, by compiling small in-memory files placed inside the layer's folder.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Probe { code: string; rejects?: number[] }

/** Compiles every probe as its own file in `layer` with that layer's tsconfig; returns, per probe,
 *  the codes of the diagnostics reported in that probe's own file. */
function compile(layer: string, probes: Probe[]): number[][] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(root, layer, 'tsconfig.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  });
  assert.ok(parsed, `${layer}/tsconfig.json parses`);
  assert.deepEqual(parsed.errors, [], `${layer}/tsconfig.json has no errors`);
  const files = new Map(probes.map((p, i) => [join(root, layer, `__layer_probe_${i}.ts`), p.code]));
  const host = ts.createCompilerHost(parsed.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = files.get(f);
    return text === undefined ? getSourceFile.call(host, f, lang, ...rest) : ts.createSourceFile(f, text, lang);
  };
  // The layer's own .d.ts files (the engine's host.d.ts) are part of what the layer may use.
  const ambient = parsed.fileNames.filter((f) => f.endsWith('.d.ts'));
  const program = ts.createProgram({ rootNames: [...files.keys(), ...ambient], options: parsed.options, host });
  const all = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...ts.getPreEmitDiagnostics(program)];
  return [...files.keys()].map((name) => all.filter((d) => d.file?.fileName === name).map((d) => d.code));
}

function check(layer: string, probes: Probe[]) {
  const codes = compile(layer, probes);
  probes.forEach((p, i) => {
    if (!p.rejects) assert.deepEqual(codes[i], [], `${layer} accepts: ${p.code}`);
    else assert.ok(codes[i].some((c) => p.rejects!.includes(c)), `${layer} rejects: ${p.code} (got ${codes[i].join(', ') || 'no error'})`);
  });
}

const NOT_A_MODULE = 2306; // mapped to not-allowed-in-this-layer.d.ts
const NO_SUCH_MODULE = 2307;
const NO_SUCH_NAME = [2304, 2580, 2584, 2591]; // "cannot find name", with or without a hint about lib/@types
const OUTSIDE_ROOT_DIR = 6059;

describe('layer boundaries (tsconfig per layer)', function () {
  this.timeout(60000);

  it('the engine sees ECMAScript and its declared host APIs only', () => {
    check('src/engine', [
      { code: 'export const t = setTimeout(() => {}, 0); export const n = performance?.now() ?? Date.now();' },
      { code: 'export const s = new TextDecoder("utf-8", { fatal: true }).decode(new TextEncoder().encode("é"));' },
      { code: 'export { TRACE_MIME } from "./trace/schema";' },
      { code: 'import * as vscode from "vscode"; export const w = vscode;', rejects: [NOT_A_MODULE] },
      { code: 'import type { OutputItem } from "vscode-notebook-renderer"; export type O = OutputItem;', rejects: [NOT_A_MODULE] },
      { code: 'export const t = document.title;', rejects: NO_SUCH_NAME },
      { code: 'export const w = window;', rejects: NO_SUCH_NAME },
      { code: 'export const s = self;', rejects: NO_SUCH_NAME },
      { code: 'export const f = fetch;', rejects: NO_SUCH_NAME },
      { code: 'export const e = process.env;', rejects: NO_SUCH_NAME },
      { code: 'export const b = Buffer.from("x");', rejects: NO_SUCH_NAME },
      { code: 'import { readFileSync } from "node:fs"; export const r = readFileSync;', rejects: [NO_SUCH_MODULE] },
      { code: 'export { NotebookStates } from "../extension/state";', rejects: [OUTSIDE_ROOT_DIR] },
    ]);
  });

  it('the renderer sees the DOM and the renderer API, not vscode or Node', () => {
    check('renderer', [
      { code: 'import type { ActivationFunction } from "vscode-notebook-renderer"; export const f: ActivationFunction = () => ({ renderOutputItem: (_i, el) => { el.append(document.createElement("div")); } });' },
      { code: 'import * as vscode from "vscode"; export const w = vscode;', rejects: [NOT_A_MODULE] },
      { code: 'export const e = process.env;', rejects: NO_SUCH_NAME },
      { code: 'import { readFileSync } from "node:fs"; export const r = readFileSync;', rejects: [NO_SUCH_MODULE] },
    ]);
  });

  it('the extension sees vscode and what both extension hosts provide, not Node or the DOM', () => {
    check('src/extension', [
      { code: 'import * as vscode from "vscode"; export const b = new TextEncoder().encode(vscode.version); clearTimeout(setTimeout(() => {}, 1));' },
      { code: 'export const e = process.env;', rejects: NO_SUCH_NAME },
      { code: 'export const b = Buffer.from("x");', rejects: NO_SUCH_NAME },
      { code: 'export const t = document.title;', rejects: NO_SUCH_NAME },
      { code: 'import { readFileSync } from "node:fs"; export const r = readFileSync;', rejects: [NO_SUCH_MODULE] },
    ]);
  });

  it('the command line sees Node, not vscode or the DOM', () => {
    check('src/cli', [
      { code: 'import { readFileSync } from "node:fs"; export const r = readFileSync; export const a = process.argv;' },
      { code: 'import * as vscode from "vscode"; export const w = vscode;', rejects: [NOT_A_MODULE] },
      { code: 'export const t = document.title;', rejects: NO_SUCH_NAME },
    ]);
  });
});
