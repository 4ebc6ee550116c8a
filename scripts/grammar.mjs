// Writes dist/syntaxes/bpnb.tmLanguage.json: the template in syntaxes/ with its @WORD lists filled
// from the engine's vocabulary and concept records, so the highlighting can never lag behind what the
// parser accepts (adding an activation record is enough for it to be highlighted).
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const grammarFile = join(root, 'dist', 'syntaxes', 'bpnb.tmLanguage.json');

async function vocabulary() {
  const out = await esbuild.build({
    entryPoints: [join(root, 'src/engine/language/vocabulary.ts')], bundle: true, write: false,
    format: 'esm', platform: 'neutral', logLevel: 'warning',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** Longest first, so that `leaky-relu` is tried before `relu` at the same place. */
const alternatives = (words) => [...new Set(words)].sort((a, b) => b.length - a.length || a.localeCompare(b))
  .map((w) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');

export async function writeGrammar() {
  const v = await vocabulary();
  const words = v.KEYWORDS.map((k) => k.word);
  const lists = {
    STATEMENTS: words.filter((w) => !v.OPTION_WORDS.includes(w)),
    DECLARATIONS: words.filter((w) => !v.OPTION_WORDS.includes(w) && !v.COMMAND_WORDS.includes(w)),
    COMMANDS: v.COMMAND_WORDS,
    OPTIONS: [...v.OPTION_WORDS, ...words.filter((w) => v.OPTION_WORDS.includes(w))],
    ACTIVATIONS: v.ACTIVATIONS.map((a) => a.word),
    LOSSES: v.LOSSES.map((l) => l.word),
  };
  let text = readFileSync(join(root, 'syntaxes', 'bpnb.tmLanguage.template.json'), 'utf8');
  // In the JSON text a regex backslash is written twice.
  for (const [name, list] of Object.entries(lists)) text = text.replaceAll(`@${name}`, alternatives(list).replaceAll('\\', '\\\\'));
  const left = /@(?!NAME\b)[A-Z]+/.exec(text);
  if (left) throw new Error(`grammar template: no word list for ${left[0]}`);
  JSON.parse(text);
  mkdirSync(dirname(grammarFile), { recursive: true });
  writeFileSync(grammarFile, text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await writeGrammar();
