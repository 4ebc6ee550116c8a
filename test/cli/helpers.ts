/** Shared steps of the command-line tests: run `main` in-process, write notebooks to a scratch folder. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';

export async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => { out += s; }, err: (s) => { err += s; } });
  return { code, out, err };
}

/** A temporary folder for the current `describe`, removed after it; returns a writer of files there. */
export function scratchFiles(prefix: string): { dir(): string; file(name: string, text: string | Uint8Array): string } {
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), prefix)); });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    file(name, text) {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
  };
}
