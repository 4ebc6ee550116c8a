/**
 * `bpnb run --format markdown|latex` and "Export Worked Solution" write the same document for the same
 * notebook. The export (src/extension/export.ts) runs the cells as the editor holds them — kind and
 * text, no file lines — through runNotebook, solutionCells and solutionDocument; here the same is done
 * with the cells read from each file, and compared with what the command line prints for that file.
 * (The in-VS-Code suite checks that the export command writes exactly this document.)
 */
import * as assert from 'assert';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { main } from '../../src/cli/main';
import { scratchFiles } from './helpers';
import { readBpnb } from '../../src/engine/file/bpnb';
import { Session } from '../../src/engine/session';
import { runNotebook, solutionCells, solutionDocument, type NotebookCell, type SolutionFormat } from '../../src/engine/notebook';

const root = join(__dirname, '..', '..');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.bpnb')).map((f) => join(root, 'examples', f));
const fixtures = readdirSync(join(__dirname, 'fixtures')).filter((f) => f.endsWith('.bpnb')).map((f) => join(__dirname, 'fixtures', f));

async function cliDocument(file: string, format: SolutionFormat): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(['run', file, '--format', format], { out: (s) => { out += s; }, err: () => {} });
  return { code, out };
}

async function exportDocument(file: string, format: SolutionFormat): Promise<string> {
  const cells: NotebookCell[] = readBpnb(readFileSync(file)).cells.map((c) => ({ kind: c.kind, source: c.source }));
  const runs = await runNotebook(cells, new Session());
  return solutionDocument(format, basename(file), solutionCells(cells, runs));
}

describe('the command line and the export write the same worked solution', function () {
  this.timeout(120000);
  const scratch = scratchFiles('bpnb-export-');

  it('there are examples to compare', () => {
    assert.ok(examples.length >= 4, examples.join(', '));
  });

  for (const file of [...examples, ...fixtures]) {
    for (const format of ['markdown', 'latex'] as const) {
      it(`${basename(file)} as ${format}`, async () => {
        const cli = await cliDocument(file, format);
        assert.ok(cli.code === 0 || cli.code === 1, `exit ${cli.code}`);
        assert.ok(cli.out.length > 1000, 'a whole document');
        assert.strictEqual(cli.out, await exportDocument(file, format));
      });
    }
  }

  it('a notebook with a blank cell, an error and cells after it', async () => {
    // The runners used to differ exactly here: blank cells, errors by file or cell line, the rest.
    const text = readFileSync(examples.find((f) => f.endsWith('mazur-2-2-2.bpnb'))!, 'utf8')
      + '\n%%\n   \n\n%%\nforward\nrate fast\n\n%% markdown\nafter the error\n\n%%\nstep\n';
    const file = scratch.file('broken.bpnb', text);
    for (const format of ['markdown', 'latex'] as const) {
      const cli = await cliDocument(file, format);
      assert.strictEqual(cli.code, 2);
      assert.strictEqual(cli.out, await exportDocument(file, format));
    }
    const md = (await cliDocument(file, 'markdown')).out;
    // The error names the line of its cell, printed right above it; the blank cell is left out.
    assert.match(md, /```bpnb\nforward\nrate fast\n```\n\n> \*\*Error:\*\* line 2, column 6: /);
    assert.doesNotMatch(md, /```bpnb\n\s*\n```/);
    assert.match(md, /after the error\n\n```bpnb\nstep\n```\n\n> \*\*Error:\*\* Not run/);
  });
});
