/** The reference in docs/ must keep up with the language and the command line it documents. */
import * as assert from 'assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVATIONS, DEFAULT_LOSS, DEFAULT_RATE, KEYWORDS, LOSSES, OPTIMIZERS } from '../../src/engine/language/vocabulary';
import { LIMITS, TRACE_LIMITS } from '../../src/engine/semantics/limits';
import { USAGE } from '../../src/cli/main';
import { MAX_LISTED_ERRORS } from '../../src/cli/report';
import { TRACE_MIME, TRACE_VERSION } from '../../src/engine/trace/schema';

const docs = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');

describe('docs', () => {
  it('language.md documents every keyword, activation, loss and optimizer', () => {
    const text = docs('language.md');
    const code = [...text.matchAll(/`([^`\n]+)`/g)].map((m) => ` ${m[1]} `);
    for (const w of [...KEYWORDS, ...ACTIVATIONS, ...LOSSES, ...OPTIMIZERS]) {
      assert.ok(code.some((c) => c.includes(` ${w.word} `)), `'${w.word}' is not documented`);
    }
  });

  it('language.md shows the command line as bpnb --help does', () => {
    assert.ok(docs('language.md').includes(USAGE.split('\n')[0].replace('Usage: ', '')));
  });

  it('language.md states the command line\'s cap on errors per file', () => {
    assert.ok(docs('language.md').replace(/\s+/g, ' ').includes(`At most ${MAX_LISTED_ERRORS} errors are printed for a file`));
  });

  it('trace.md names the current MIME type and version', () => {
    const text = docs('trace.md');
    assert.ok(text.includes(`\`${TRACE_MIME}\``));
    assert.ok(text.includes(`| Version | \`${TRACE_VERSION}\``));
  });

  it('language.md states the limits and defaults the engine has', () => {
    const text = docs('language.md').replace(/\s+/g, ' ');
    const n = (v: number) => v.toLocaleString('en-US');
    for (const phrase of [
      `up to ${n(LIMITS.maxParams)} parameters and ${n(LIMITS.maxNeurons)} neurons`,
      `up to ${n(LIMITS.maxSamples)} samples (${n(LIMITS.maxSampleValues)} numbers in the sample set)`,
      `up to ${n(LIMITS.maxEpochs)} epochs`,
      `epochs × (3 · samples · parameters + ${LIMITS.epochOverhead})`,
      `at most ${n(TRACE_LIMITS.samples)} samples, ${n(TRACE_LIMITS.updates)} updates of an epoch, ${n(TRACE_LIMITS.params)} parameters and ${n(TRACE_LIMITS.neuronsPerLayer)} neurons per layer`,
      `at most ${n(TRACE_LIMITS.curvePoints)} points`,
      `at most ${n(TRACE_LIMITS.snapshots)} snapshots`,
      `(default ${DEFAULT_RATE})`,
      `\`loss ${DEFAULT_LOSS}\` | E = ½ Σₛ Σₖ (tₖ − oₖ)² (the default)`,
    ]) assert.ok(text.includes(phrase), `language.md does not say: ${phrase}`);
    const [mantissa, exponent] = LIMITS.maxWork.toExponential().split('e+');
    const superscript = [...exponent].map((d) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(d)]).join('');
    assert.ok(text.includes(`at most ${mantissa}·10${superscript} multiply-adds`), 'the work limit');
  });
});

