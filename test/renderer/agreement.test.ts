/**
 * The notebook's renderer and the text/Markdown/LaTeX printers write the same formula for the same
 * trace quantity. Every formula the renderer shows (each `.bp-chain`, typeset piece by piece in a
 * real Chromium) is compared, glyph for glyph, with the formulas of the printed worked solution
 * (`traceBlocks`, typeset whole by KaTeX in Node).
 */
import assert from 'node:assert/strict';
import katex from 'katex';
import { isMath, type Block, type Inline } from '../../src/engine/present/doc';
import { traceBlocks } from '../../src/engine/present/document';
import { eq, type M } from '../../src/engine/present/formula';
import { mathTex, mathText } from '../../src/engine/present/notation';
import type { Trace } from '../../src/engine/trace/schema';
import { BATCH, NET_222, last } from './cells';
import { RELU_CHAIN_CELL } from '../engine/fixtures';
import { typesetAll, usePage } from './harness';

/** Twelve inputs into two tanh outputs: every net input is a sum longer than either output writes out. */
const WIDE = `input x[12]
layer y[2] tanh
init xavier seed 1
data
  ${Array.from({ length: 12 }, (_, i) => `x${i + 1}`).join(' ')} -> y1 y2
  ${Array.from({ length: 12 }, (_, i) => ((i % 5) / 10).toFixed(1)).join(' ')} -> 0.5 -0.5
`;

/** What a formula reads as once typeset: its glyphs, without the spacing between them. */
const glyphs = (s: string) => s.replace(/[\s\u200b]/g, '');

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'" };

function typeset(m: M): string {
  const html = katex.renderToString(mathTex(m), { throwOnError: true, trust: false, output: 'html', strict: 'ignore' });
  return glyphs(html.replace(/<[^>]*>/g, '').replace(/&[#\w]+;/g, (e) => ENTITIES[e] ?? e));
}

/** Every formula of the printed solution: table cells, chains, formulas inside sentences. */
function printed(blocks: Block[]): M[] {
  const all: M[] = [];
  const add = (parts: Inline) => { for (const p of parts) if (isMath(p)) all.push(p); };
  for (const b of blocks) {
    if (b.k === 'table') b.rows.forEach((r) => r.forEach(add));
    else if (b.k === 'chains') all.push(...b.items.map((c) => eq(...c)));
    else if (b.k === 'list') b.items.forEach(add);
    else add(b.text);
  }
  return all;
}

describe('the renderer and the printers agree', function () {
  const ui = usePage();

  /** The renderer's formulas for `trace`, as glyphs, with the printers' formulas by their text. */
  async function both(id: string, trace: Trace): Promise<{ shown: string[]; printed: Map<string, string> }> {
    await ui.tp.render(id, trace);
    await typesetAll(ui.tp.page, `#out-${id}`);
    const shown = (await ui.tp.page.locator(`#out-${id} .bp-chain`).allTextContents()).map(glyphs);
    const byGlyphs = new Map(printed(traceBlocks(trace)).map((m) => [typeset(m), mathText(m)]));
    return { shown, printed: byGlyphs };
  }

  for (const [name, cell, command] of [
    ['the 2-2-2 step (sigmoid, half-sse)', NET_222, 'step'],
    ['the data table step (relu into linear, sse over 3 samples)', BATCH, 'step'],
    ['the ReLU chain step (half-mse)', RELU_CHAIN_CELL, 'step'],
    ['a mean-squared-error batch (1/N and 2/N factors)', BATCH.replace('loss sse', 'loss mse'), 'step'],
    ['a layer of 12 inputs (sums cut at the same term)', WIDE, 'step'],
  ] as const) {
    it(`every formula of ${name} is one the printed solution has`, async function () {
      const { shown, printed: known } = await both(name.replace(/\W+/g, '-'), last(cell, command));
      assert.ok(shown.length >= 12, `${shown.length} formulas shown`);
      for (const s of shown) assert.ok(known.has(s), `the renderer shows ${s}, which no printer writes; they write:\n${[...known.values()].join('\n')}`);
    });
  }

  it('the quantities the issue names read the textbook way in both', async function () {
    const { shown, printed: known } = await both('textbook', last(NET_222, 'step'));
    const text = new Map([...known].map(([g, t]) => [t, g]));
    // ∂E/∂out of an output under half-sse is out − t (not 2 · 0.5 · (out − t)).
    for (const t of [
      '∂E/∂out_o1 = out_o1 − t_o1 = 0.751365 − 0.01 = 0.741365',
      '∂out_o1/∂net_o1 = out_o1 · (1 − out_o1) = 0.751365 · (1 − 0.751365) = 0.186816',
      '∂E/∂out_h1 = δ_o1 · w5 + δ_o2 · w7 = 0.138499 × 0.4 + (-0.0380982 × 0.5) = 0.0363503',
      'δ_o1 = ∂E/∂net_o1 = 0.741365 × 0.186816 = 0.138499',
      // A hidden weight's chain refers to ∂E/∂out_h1 (derived once, above) instead of expanding it again.
      '∂E/∂w1 = ∂E/∂out_h1 · ∂out_h1/∂net_h1 · ∂net_h1/∂w1 = 0.0363503 × 0.241301 × 0.05 = 0.000438568',
      'out_h1 = σ(net_h1) = 1/(1 + e^(−0.3775)) = 0.59327',
      '∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5 = 0.741365 × 0.186816 × 0.59327 = 0.082167',
    ]) {
      assert.ok(text.has(t), `the printers write ${t}`);
      assert.ok(shown.includes(text.get(t)!), `the renderer shows ${t}`);
    }
  });
});
