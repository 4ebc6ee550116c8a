/** The reference in docs/ must keep up with the language and the command line it documents. */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATIONS, KEYWORDS, LOSSES } from '../../src/engine/language';
import { USAGE } from '../../src/cli/main';
import { TRACE_MIME, TRACE_VERSION } from '../../src/engine/trace';

const docs = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');

describe('docs', () => {
  it('language.md documents every keyword, activation and loss', () => {
    const text = docs('language.md');
    const code = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => ` ${m[1]} `);
    for (const w of [...KEYWORDS, ...ACTIVATIONS, ...LOSSES]) {
      assert.ok(code.some((c) => c.includes(` ${w.word} `)), `'${w.word}' is not documented`);
    }
  });

  it('language.md shows the command line as bpnb --help does', () => {
    assert.ok(docs('language.md').includes(USAGE.split('\n')[0].replace('Usage: ', '')));
  });

  it('trace.md names the current MIME type and version', () => {
    const text = docs('trace.md');
    assert.ok(text.includes(`\`${TRACE_MIME}\``));
    assert.ok(text.includes(`| Version | \`${TRACE_VERSION}\``));
  });
});
