/**
 * The renderer in a real headless Chromium: engine-produced traces of the issue's examples go through
 * `activate(ctx).renderOutputItem`, and the page is inspected as a person would see and use it.
 * Expected numbers are the published 2-2-2 worked example (Mazur; the students' notes in the seeds),
 * not the engine's output.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import type { StepTrace, Trace } from '../../src/engine/trace/schema';
import { buildRenderer } from '../../renderer/build.mjs';
import { Session } from '../../src/engine/session';
import { BATCH, NET_222, bigNet, last, run } from './cells';
import { RELU_CHAIN_CELL } from '../engine/fixtures';
import { ROOT, glyphSizes, openPage, startHarness, typesetAll, type Harness, type TestPage } from './harness';

const SHOTS = join(ROOT, 'test-results');

/** Every number in a piece of rendered text (KaTeX writes minus as U+2212). */
function numbers(text: string): number[] {
  return [...text.replace(/\u2212/g, '-').matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0]));
}

/** Asserts `text` shows `expected` to 6 significant digits. */
function shows(text: string, expected: number, what: string): void {
  const tol = Math.abs(expected) * 6e-6 + 1e-12;
  assert.ok(numbers(text).some((n) => Math.abs(n - expected) <= tol), `${what}: expected ${expected} in ${JSON.stringify(text.slice(0, 600))}`);
}

/** The text as laid out (cells and lines apart, unlike textContent). */
async function text(l: Locator): Promise<string> {
  return l.evaluate((e) => (e instanceof HTMLElement ? e.innerText : (e.textContent ?? '')));
}

/** A typeset tooltip's glyphs in order, KaTeX's zero-width spaces and line breaks left out. */
async function tipText(l: Locator): Promise<string> {
  return (await l.textContent() ?? '').replace(/\u200b/g, '').replace(/\s+/g, ' ');
}

/** Replaces every string equal to a key of `map` anywhere in a trace (names, messages, notes). */
function rename<T>(value: T, map: Record<string, string>): T {
  if (typeof value === 'string') return (map[value] ?? value) as T;
  if (Array.isArray(value)) return value.map((v) => rename(v, map)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v, map)])) as T;
  return value;
}

describe('renderer in Chromium', function () {
  let h: Harness;
  let tp: TestPage;
  let step222: StepTrace;

  before(async function () {
    mkdirSync(SHOTS, { recursive: true });
    await buildRenderer(ROOT);
    h = await startHarness();
    tp = await openPage(h);
    step222 = last(NET_222, 'step') as StepTrace;
    assert.equal(step222.kind, 'step');
    await tp.render('step', step222);
    await typesetAll(tp.page, '#out-step');
  });

  after(async function () {
    await h?.close();
  });

  afterEach(function () {
    assert.deepEqual(tp.errors, [], 'no console errors, page errors or failed requests');
  });

  describe('2-2-2 step (the published worked example)', function () {
    const out = () => tp.page.locator('#out-step');

    it('forward table: net and out of h1, o1 written out', async function () {
      const t = out().locator('table[aria-label="forward pass"]');
      const h1 = await text(t.locator('tr[data-bp="n:h1"]'));
      shows(h1, 0.3775, 'net(h1)');
      shows(h1, 0.593269992, 'out(h1)');
      for (const x of [0.15, 0.05, 0.2, 0.1, 0.35]) shows(h1, x, 'net(h1) terms');
      const o1 = await text(t.locator('tr[data-bp="n:o1"]'));
      shows(o1, 1.10590597, 'net(o1)');
      shows(o1, 0.75136507, 'out(o1)');
    });

    it('loss table: each term and E', async function () {
      const loss = await text(out().locator('table[aria-label="loss"]'));
      shows(loss, 0.274811083, 'E(o1)');
      shows(loss, 0.023560026, 'E(o2)');
      const total = await text(out().locator('.bp-total'));
      shows(total, 0.298371109, 'E');
    });

    it('backward table: ∂E/∂w5 = 0.741365 × 0.186816 × 0.593270 = 0.082167', async function () {
      const row = out().locator('table[aria-label="backward pass: gradients"] tr[data-bp="p:w5"]');
      const t = await text(row);
      shows(t, 0.74136507, '∂E/∂out(o1)');
      shows(t, 0.186815602, '∂out(o1)/∂net(o1)');
      shows(t, 0.593269992, '∂net(o1)/∂w5');
      shows(t, 0.082167041, '∂E/∂w5');
      assert.equal(await row.locator('.katex').count() > 4, true, 'the formula is typeset');
    });

    it('backward table: a hidden neuron\'s ∂E/∂out is derived once, from the δ of the outputs, and w1\'s row refers to it', async function () {
      const h1 = await text(out().locator('table[aria-label="backward pass through the neurons"] tr[data-bp="n:h1"]'));
      shows(h1, 0.036350306, '∂E/∂out(h1)');
      shows(h1, 0.138498562, 'δ_o1, the first term of ∂E/∂out(h1)');
      shows(h1, 0.4, 'w5 in the sum');
      shows(h1, -0.038098, 'δ_o2, the second term');
      shows(h1, 0.5, 'w7 in the sum');
      const t = await text(out().locator('table[aria-label="backward pass: gradients"] tr[data-bp="p:w1"]'));
      shows(t, 0.036350306, '∂E/∂out(h1)');
      shows(t, 0.241300709, '∂out(h1)/∂net(h1)');
      shows(t, 0.05, 'i1');
      shows(t, 0.000438568, '∂E/∂w1');
      assert.ok(!numbers(t).some((n) => Math.abs(n - 0.74136507) < 1e-6), `w1's row does not derive ∂E/∂out(h1) again: ${t}`);
      // The δ in the sum is hoverable: it stands for o1, whose row derives it.
      assert.ok(await out().locator('table[aria-label="backward pass through the neurons"] tr[data-bp="n:h1"] span.bp-math[data-bp="n:o1"]').count() >= 1);
    });

    it('formulas at reading size: display fractions, no glyph of the backward tables under 70 % of the body text', async function () {
      const sizes = await glyphSizes(out(), 'table[aria-label^="backward pass"] .katex');
      assert.ok(sizes.count > 200, `${sizes.count} glyphs measured`);
      assert.ok(sizes.min >= 0.7 * sizes.body, `smallest glyph ${sizes.min.toFixed(2)} px for a body of ${sizes.body} px`);
      console.log(`      (smallest glyph in the backward tables: ${sizes.min.toFixed(2)} px, ${Math.round((100 * sizes.min) / sizes.body)} % of the body's ${sizes.body} px)`);
      assert.ok(await out().locator('table[aria-label="backward pass: gradients"] .katex .mfrac').count() >= 30, 'the chain rule is set as fractions');
    });

    it('update table: old, gradient, η·gradient, new; frozen biases stay', async function () {
      const t = out().locator('table[aria-label="update"]');
      const w5 = await text(t.locator('tr[data-bp="p:w5"]'));
      shows(w5, 0.4, 'old w5');
      shows(w5, 0.041083521, 'η·∂E/∂w5');
      shows(w5, 0.35891648, 'new w5');
      shows(await text(t.locator('tr[data-bp="p:w1"]')), 0.149780716, 'new w1');
      assert.match(await text(t.locator('tr[data-bp="p:b1"]')), /frozen/);
    });

    it('KaTeX is rendered with its own fonts', async function () {
      const fonts = await tp.page.evaluate(async () => {
        await document.fonts.ready;
        const family = getComputedStyle(document.querySelector('#out-step .katex')!).fontFamily;
        const loaded = [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, ''));
        return { family, loaded, link: !!document.head.querySelector('link[rel="stylesheet"][href$="katex.min.css"]') };
      });
      assert.match(fonts.family, /KaTeX_Main/);
      assert.ok(fonts.loaded.includes('KaTeX_Main'), `loaded: ${fonts.loaded.join(', ')}`);
      assert.ok(fonts.loaded.includes('KaTeX_Math'), `loaded: ${fonts.loaded.join(', ')}`);
      assert.ok(fonts.link, 'katex.min.css is linked in document.head');
    });

    it('diagram: every neuron and edge, edges coloured by the gradient', async function () {
      const svg = out().locator('svg.bp-diagram');
      for (const n of ['i1', 'i2', 'h1', 'h2', 'o1', 'o2']) assert.equal(await svg.locator(`g[data-bp="n:${n}"]`).count(), 1, n);
      for (const w of ['w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7', 'w8']) assert.equal(await svg.locator(`g[data-bp="p:${w}"]`).count(), 1, w);
      shows(await text(svg.locator('g[data-bp="n:h1"]')), 0.593269992, 'out(h1) in the diagram');
      assert.equal(await svg.locator('text[data-bp="p:w5"]').textContent(), 'w₅ 0.4', 'w5 with a subscript 5');
      // ∂E/∂w5 > 0 and ∂E/∂w7 < 0 in the published example: opposite colours, w5's edge the wider.
      const edge = (w: string) => svg.locator(`g[data-bp="p:${w}"] line.bp-edge`);
      const [s5, s7] = [await edge('w5').getAttribute('stroke'), await edge('w7').getAttribute('stroke')];
      assert.notEqual(s5, s7);
      assert.ok(Number(await edge('w5').getAttribute('stroke-width')) > Number(await edge('w1').getAttribute('stroke-width')));
    });

    it('diagram: weight labels sit clear of the neurons and of each other, even with long names', async function () {
      // The θ-notation example's names (notes 001) and init's generated names are much longer than w5.
      const theta = rename(step222, { w1: 'theta1_11', w2: 'theta1_12', w3: 'theta1_21', w4: 'theta1_22', w5: 'theta2_11', w6: 'theta2_12', w7: 'theta2_21', w8: 'theta2_22' });
      await tp.render('theta-labels', theta);
      await tp.render('batch-labels', last(BATCH, 'step'));
      await tp.page.locator('#out-theta-labels .bp-figure').first().screenshot({ path: join(SHOTS, 'renderer-diagram-long-names.png') });
      await tp.page.locator('#out-batch-labels .bp-figure').first().screenshot({ path: join(SHOTS, 'renderer-diagram-generated-names.png') });
      for (const id of ['step', 'theta-labels', 'batch-labels']) {
        // (No named functions inside evaluate: the test runner's transform would wrap them in a helper
        // that does not exist in the page.)
        const boxes = await tp.page.locator(`#out-${id} svg.bp-diagram`).first().evaluate((svgEl) => ({
          labels: [...svgEl.querySelectorAll('text.bp-wlabel')].map((e) => ({ box: e.getBoundingClientRect().toJSON() as DOMRect, what: e.textContent ?? '' })),
          nodes: [...svgEl.querySelectorAll('g.bp-node rect')].map((e) => ({ box: e.getBoundingClientRect().toJSON() as DOMRect, what: e.parentElement!.textContent ?? '' })),
        }));
        assert.ok(boxes.labels.length >= 6, `${id}: labels drawn`);
        const meet = (x: { box: DOMRect }, y: { box: DOMRect }) => {
          const [a, b] = [x.box, y.box];
          return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        };
        for (const label of boxes.labels) {
          for (const node of boxes.nodes) assert.ok(!meet(label, node), `${id}: label "${label.what}" runs into neuron ${node.what.split(' ')[0]}`);
          for (const other of boxes.labels) if (other !== label) assert.ok(!meet(label, other), `${id}: labels "${label.what}" and "${other.what}" overlap`);
        }
      }
    });

    it('hovering an edge shows ∂E/∂w5, its factors and old → new inside the output, and highlights w5 everywhere', async function () {
      // Near the edge's end: its label sits on it nearer the source.
      const hit = out().locator('svg.bp-diagram g[data-bp="p:w5"] polygon.bp-edge-hit');
      const hb = (await hit.boundingBox())!;
      await hit.hover({ position: { x: hb.width * 0.9, y: hb.height / 2 } });
      const tip = out().locator('.bp-tip');
      await tip.waitFor({ state: 'visible' });
      const t = await tipText(tip);
      assert.match(t, /^w5 — weight h1 → o1/);
      for (const v of [0.082167, 0.741365, 0.186816, 0.59327]) shows(t, v, 'the chain rule in the tooltip');
      assert.match(t, /w5: 0\.4 → 0\.358916/);
      assert.ok(await tip.locator('.katex .mfrac').count() >= 4, 'the tooltip is typeset like the tables');
      const lit = await tp.page.evaluate(() => [...document.querySelectorAll('#out-step [data-bp="p:w5"]')].map((e) => e.classList.contains('bp-hl')));
      assert.ok(lit.length >= 5, `w5 appears in the diagram, its label, the tables and formulas (${lit.length})`);
      assert.ok(lit.every(Boolean), 'every w5 is highlighted');
      assert.equal(await tp.page.locator('#out-step .bp-hl:not([data-bp="p:w5"])').count(), 0, 'nothing else is');
      const [tb, ob] = [await tip.boundingBox(), await out().boundingBox()];
      assert.ok(tb && ob && tb.x >= ob.x && tb.y >= ob.y && tb.x + tb.width <= ob.x + ob.width && tb.y + tb.height <= ob.y + ob.height, 'the tooltip lies inside the output');
      await tp.page.screenshot({ path: join(SHOTS, 'renderer-hover-edge.png') });
      await tp.page.mouse.move(1, 1);
      await tip.waitFor({ state: 'hidden' });
      assert.equal(await tp.page.locator('#out-step .bp-hl').count(), 0);
    });

    it('hovering a table row shows that weight', async function () {
      const row = out().locator('table[aria-label="update"] tr[data-bp="p:w1"]');
      await row.hover();
      const tip = out().locator('.bp-tip');
      await tip.waitFor({ state: 'visible' });
      const t = await tipText(tip);
      assert.match(t, /^w1 — weight i1 → h1/);
      shows(t, 0.000438568, '∂E/∂w1');
      assert.match(t, /w1: 0\.15 → 0\.149781/);
      assert.ok(await out().locator('svg.bp-diagram g[data-bp="p:w1"]').evaluate((e) => e.classList.contains('bp-hl')));
      await tp.page.mouse.move(1, 1);
    });

    it('hovering a name in a formula and a neuron works too', async function () {
      await out().locator('table[aria-label="forward pass"] tr[data-bp="n:o1"] span.bp-math[data-bp="p:w6"]').hover();
      assert.match(await tipText(out().locator('.bp-tip')), /^w6 — weight h2 → o1/);
      const node = out().locator('svg.bp-diagram g[data-bp="n:h1"]');
      await node.hover();
      const t = await tipText(out().locator('.bp-tip'));
      assert.match(t, /^h1 — hidden neuron, sigmoid/);
      for (const v of [0.3775, 0.59327, 0.0363503, 0.241301]) shows(t, v, 'h1 in the tooltip');
      assert.match(t.replace(/\s/g, ''), /δo1⋅w5\+δo2⋅w7/);
      // Beside the neuron, not over it.
      const [tb, nb] = [(await out().locator('.bp-tip').boundingBox())!, (await node.locator('rect').boundingBox())!];
      const over = tb.x < nb.x + nb.width && nb.x < tb.x + tb.width && tb.y < nb.y + nb.height && nb.y < tb.y + tb.height;
      assert.ok(!over, `the tooltip (${JSON.stringify(tb)}) covers the neuron (${JSON.stringify(nb)})`);
      await tp.page.mouse.move(1, 1);
    });

    it('keyboard: Tab reaches the weights, focus shows the tooltip, Escape hides it', async function () {
      await tp.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      let found = false;
      for (let i = 0; i < 80 && !found; i++) {
        await tp.page.keyboard.press('Tab');
        found = await tp.page.evaluate(() => document.activeElement?.getAttribute('data-bp') === 'p:w5');
      }
      assert.ok(found, 'w5 can be reached with Tab');
      const tip = out().locator('.bp-tip');
      await tip.waitFor({ state: 'visible' });
      shows(await tipText(tip), 0.082167, '∂E/∂w5');
      assert.ok(await out().locator('table[aria-label="update"] tr[data-bp="p:w5"]').evaluate((e) => e.classList.contains('bp-hl')));
      await tp.page.keyboard.press('Escape');
      await tip.waitFor({ state: 'hidden' });
      await tp.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    });

    it('reads well: screenshots in light, dark and high-contrast themes', async function () {
      await out().screenshot({ path: join(SHOTS, 'renderer-step-222.png') });
      const dark = await openPage(h, 'dark');
      try {
        await dark.render('step', step222);
        await typesetAll(dark.page, '#out-step');
        const bg = await dark.page.locator('#out-step .bp-tip').evaluate((e) => getComputedStyle(e).backgroundColor);
        assert.equal(bg, 'rgb(37, 37, 38)', 'the tooltip takes the theme\'s hover colour');
        await dark.page.locator('#out-step').screenshot({ path: join(SHOTS, 'renderer-step-222-dark.png') });
        assert.deepEqual(dark.errors, []);
      } finally {
        await dark.page.close();
      }
      const hc = await openPage(h, 'hc');
      try {
        await hc.render('step', step222);
        await typesetAll(hc.page, '#out-step');
        const border = await hc.page.locator('#out-step table[aria-label="update"] td').first().evaluate((e) => getComputedStyle(e).borderTopColor);
        assert.equal(border, 'rgb(111, 195, 223)', 'high contrast: table borders take contrastBorder');
        await hc.page.locator('#out-step').screenshot({ path: join(SHOTS, 'renderer-step-222-hc.png') });
        assert.deepEqual(hc.errors, []);
      } finally {
        await hc.page.close();
      }
    });
  });

  describe('other commands', function () {
    it('batch data table: one sample at a time, with a switcher, and the sums over the batch', async function () {
      const trace = last(BATCH, 'step') as StepTrace;
      await tp.render('batch', trace);
      const out = tp.page.locator('#out-batch');
      const picker = out.locator('select[aria-label="sample shown in the diagram and the tables"]');
      assert.deepEqual(await picker.locator('option').allTextContents(), ['sample 1', 'sample 2', 'sample 3']);
      const name = trace.updates[0].grads.find((g) => g.name && g.grad !== 0)!.name;
      const contributions: number[] = [];
      for (const [k, target] of [[1, 10], [2, 25], [3, 36]]) {
        await picker.selectOption({ label: `sample ${k}` });
        await typesetAll(tp.page, '#out-batch');
        // The diagram, the forward pass and the loss terms all show the sample picked.
        const net = trace.updates[0].forward[k - 1].layers[1].net[0];
        shows(await text(out.locator('svg.bp-diagram g[data-bp="n:h1"]')), net, `net(h1) of sample ${k} in the diagram`);
        shows(await text(out.locator(`table[aria-label="forward pass"] tr[data-bp="n:h1"][data-sample="${k}"]`)), net, `net(h1) of sample ${k}`);
        assert.equal(await out.locator('table[aria-label="forward pass"] tr[data-bp="n:h1"]').count(), 1, 'one sample at a time');
        shows(await text(out.locator('table[aria-label="loss"]')), target, `target of sample ${k}`);
        const row = out.locator(`table[aria-label="backward pass: gradients"] tr[data-bp="p:${name}"]`);
        const mine = row.locator(`[data-sample="${k}"]`);
        assert.equal(await mine.count(), 1, `sample ${k}'s contribution to ∂E/∂${name}`);
        contributions.push(numbers(await text(mine)).at(-1)!);
      }
      // The sum line adds the three contributions.
      const row = out.locator(`table[aria-label="backward pass: gradients"] tr[data-bp="p:${name}"]`);
      const total = numbers(await text(row.locator('td > .bp-chain .bp-formula').last())).at(-1)!;
      const sum = contributions.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - total) <= 1e-5 * Math.max(1, Math.abs(total)), `${contributions.join(' + ')} = ${total}`);
      shows(await text(out.locator('.bp-total')), trace.updates[0].loss.total, 'E over the batch');
    });

    it('network, forward and message outputs; `digits` changes the digits shown', async function () {
      const [[network], [forward], [reset]] = run(NET_222, 'forward', 'reset');
      await tp.render('net', network);
      await tp.render('fwd', forward);
      await tp.render('reset', reset);
      assert.equal(network.kind, 'network');
      assert.equal(await tp.page.locator('#out-net svg.bp-diagram g[data-bp^="p:w"]').count(), 8);
      shows(await text(tp.page.locator('#out-fwd .bp-total')), 0.298371109, 'E');
      assert.match(await text(tp.page.locator('#out-reset')), /reset/);
      const four = last(NET_222, 'digits 4\nforward');
      await tp.render('fwd4', four);
      const o1 = await text(tp.page.locator('#out-fwd4 table[aria-label="forward pass"] tr[data-bp="n:o1"]'));
      assert.ok(numbers(o1).includes(0.7514), `out(o1) to 4 digits in ${o1}`);
    });

    it('one sample, one output: the loss reads ½(t − out)² and E once, not 1/(2·1) and E = x = x', async function () {
      const trace = last(RELU_CHAIN_CELL, 'forward');
      await tp.render('relu-loss', trace);
      const definition = await text(tp.page.locator('#out-relu-loss .bp-summary').filter({ has: tp.page.locator('.katex') }).first());
      assert.match(definition, /∑/, definition);
      assert.doesNotMatch(definition.replace(/\s/g, ''), /2⋅1/, `no 2·N factor for N = 1 in ${definition}`);
      // Hand arithmetic (seed 002): ŷ = 0.8 · relu(0.5 · 3) = 1.2, J = ½ (2 − 1.2)² = 0.32.
      assert.deepEqual(numbers(await text(tp.page.locator('#out-relu-loss .bp-total'))), [0.32]);
    });

    it('sample mode: one section per update, the later ones built when opened', async function () {
      const trace = last(BATCH, 'mode sample\nstep') as StepTrace;
      assert.equal(trace.updates.length, 3);
      await tp.render('sgd', trace);
      const sections = tp.page.locator('#out-sgd > .bp-root > .bp-body > details');
      assert.equal(await sections.count(), 3);
      assert.equal(await sections.nth(0).locator('table[aria-label="update"]').count(), 1, 'the first update is shown');
      assert.equal(await sections.nth(2).locator('table').count(), 0, 'the last is not built yet');
      await sections.nth(2).locator(':scope > summary').click();
      const update = await text(sections.nth(2).locator('table[aria-label="update"]'));
      const u3 = trace.updates[2].updates[0];
      assert.match(await text(sections.nth(2).locator(':scope > summary')), /sample 3/);
      assert.ok(update.length > 0 && await sections.nth(2).locator(`table[aria-label="update"] tr[data-bp="p:${u3.name}"]`).count() === 1, 'update 3 lists the parameters');
      // A neuron's tooltip follows the update it is hovered in.
      await sections.nth(2).locator('table[aria-label="backward pass through the neurons"] tr[data-bp="n:h1"]').hover();
      const tip = await text(tp.page.locator('#out-sgd .bp-tip'));
      assert.match(tip, /sample 3:/);
      shows(tip, trace.updates[2].forward[0].layers[1].net[0], 'net(h1) of sample 3');
      await tp.page.mouse.move(1, 1);
    });

    it('train: a loss curve with hover, a log option and the final weights', async function () {
      const trace = last(NET_222, 'train 200');
      assert.equal(trace.kind, 'train');
      await tp.render('train', trace);
      const out = tp.page.locator('#out-train');
      const points = (await out.locator('svg.bp-curve polyline').getAttribute('points'))!.trim().split(/\s+/);
      assert.equal(points.length, trace.kind === 'train' ? trace.lossCurve.length : -1);
      await out.locator('svg.bp-curve').scrollIntoViewIfNeeded();
      const box = (await out.locator('svg.bp-curve').boundingBox())!;
      await tp.page.mouse.move(box.x + 70, box.y + box.height / 2);
      const tip = out.locator('.bp-tip');
      await tip.waitFor({ state: 'visible' });
      const t = await text(tip);
      assert.match(t, /epoch \d+/);
      assert.match(t, /loss = /);
      await tp.page.mouse.move(box.x + 64.5, box.y + box.height / 2);
      shows(await text(tip), 0.298371109, 'loss before the first epoch');
      await out.locator('input[type="checkbox"]').check();
      assert.match(await text(out.locator('svg.bp-curve')), /log scale/);
      shows(await text(out.locator('table[aria-label="final parameters"] tr[data-bp="p:w5"]')), 0.4, 'w5 before training');
      await out.screenshot({ path: join(SHOTS, 'renderer-train.png') });
      await tp.page.mouse.move(1, 1);
    });

    it('train: a loss that falls by a few percent still fills the plot, with distinct round tick labels', async function () {
      // η = 0.01 on the 2-2-2 net: 20 epochs lower E from 0.298371 by well under 10 % — plotted from
      // zero, the curve would be a flat line along the top of the plot.
      const trace = last(NET_222.replace('rate 0.5', 'rate 0.01'), 'train 20');
      assert.ok(trace.kind === 'train' && trace.lossCurve[20] > 0.9 * trace.lossCurve[0], 'a small relative change');
      await tp.render('train-flat', trace);
      const curve = tp.page.locator('#out-train-flat svg.bp-curve');
      assert.equal(await curve.locator('xpath=..').locator('..').locator('input[type="checkbox"]').isChecked(), false, 'linear scale');
      const ys = (await curve.locator('polyline').getAttribute('points'))!.trim().split(/\s+/).map((p) => Number(p.split(',')[1]));
      const axis = curve.locator('line.bp-axis').first();
      const [top, bottom] = [Number(await axis.getAttribute('y1')), Number(await axis.getAttribute('y2'))];
      const drawn = Math.max(...ys) - Math.min(...ys);
      assert.ok(drawn > 0.6 * (bottom - top), `the curve spans ${drawn.toFixed(1)} of ${bottom - top} px`);
      const labels = await curve.locator('text.bp-ytick').allTextContents();
      assert.ok(labels.length >= 3, `tick labels: ${labels.join(', ')}`);
      assert.equal(new Set(labels).size, labels.length, `distinct tick labels: ${labels.join(', ')}`);
      const values = labels.map(Number).sort((a, b) => a - b);
      const steps = values.slice(1).map((v, i) => v - values[i]);
      for (const st of steps) assert.ok(Math.abs(st - steps[0]) <= 1e-9, `evenly spaced ticks: ${labels.join(', ')}`);
      const mantissa = steps[0] / 10 ** Math.floor(Math.log10(steps[0]));
      assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `a 1, 2 or 5 step: ${steps[0]}`);
    });

    it('train: a loss falling by orders of magnitude is drawn on a log axis labelled in powers of ten', async function () {
      // The notes' data table from a seed whose ReLUs are alive: E falls from thousands to single digits.
      const trace = last(BATCH.replace('seed 3', 'seed 2'), 'train 100');
      assert.ok(trace.kind === 'train' && trace.lossCurve[0] > 100 * trace.lossCurve[100], 'a fall of over 100×');
      await tp.render('train-log', trace);
      const box = tp.page.locator('#out-train-log .bp-curve-box');
      assert.equal(await box.locator('input[type="checkbox"]').isChecked(), true, 'log scale chosen');
      const labels = await box.locator('svg.bp-curve text.bp-ytick').allTextContents();
      assert.ok(labels.length >= 2, `tick labels: ${labels.join(', ')}`);
      for (const l of labels) assert.match(l, /^(10*|0\.0*1|1e-?\d+)$/, `a power of ten: ${labels.join(', ')}`);
    });

    it('a diverged train says why, and its curve skips the overflowed point', async function () {
      const s = new Session();
      const r = s.runSync('input x\nlayer y linear\nw x -> y = 1\nrate 100\nsample x=3 -> y=2\ntrain 80');
      const trace = r.traces[r.traces.length - 1];
      assert.ok(trace.kind === 'train' && trace.stopped?.reason === 'diverged');
      // A loss that overflowed is written by JSON as null: the curve leaves that point out.
      await tp.render('diverged', { ...trace, lossCurve: [...trace.lossCurve.slice(0, -1), null] });
      const out = tp.page.locator('#out-diverged');
      assert.match(await text(out.locator('[role="alert"]')), /learning rate/);
      const points = (await out.locator('svg.bp-curve polyline').getAttribute('points'))!.trim().split(/\s+/);
      assert.equal(points.length, trace.lossCurve.length - 1);
      assert.equal(await out.locator('.bp-error').filter({ hasText: 'could not be drawn' }).count(), 0);
    });

    it('check: ✓/✗ per line, a wrong gradient with its suspect factor highlighted', async function () {
      const trace = last(NET_222, 'check\n  E = 0.298371109\n  dout(o1)/dnet(o1) = 0.124\n  dE/dw5 = 0.0545\n  w5\' = 0.35891648\n');
      assert.equal(trace.kind, 'check');
      await tp.render('check', trace);
      const out = tp.page.locator('#out-check');
      const lines = out.locator('.bp-check-line');
      assert.equal(await lines.count(), 4);
      assert.equal(await out.locator('.bp-check-line[data-ok="true"]').count(), 2);
      const wrong = await text(out.locator('.bp-check-line[data-ok="false"]').last());
      assert.match(wrong, /✗/);
      shows(wrong, 0.082167041, 'exact ∂E/∂w5');
      const suspect = out.locator('.bp-suspect');
      assert.equal(await suspect.count(), 1, 'one factor is blamed');
      shows(await text(suspect), 0.186815602, 'the blamed factor is ∂out(o1)/∂net(o1)');
      assert.notEqual(await suspect.evaluate((e) => getComputedStyle(e).outlineStyle), 'none');
      await out.screenshot({ path: join(SHOTS, 'renderer-check.png') });
      // In a narrow output the factors wrap as whole boxes: an outline split over two lines reads as
      // two factors.
      await out.evaluate((e) => { (e as HTMLElement).style.width = '330px'; });
      const pieces = await out.locator('.bp-factor').evaluateAll((es) => es.map((e) => e.getClientRects().length));
      await out.evaluate((e) => { (e as HTMLElement).style.width = ''; });
      assert.ok(pieces.length >= 3 && pieces.every((n) => n === 1), `each factor is one box: ${pieces.join(', ')}`);
    });

    it('check notes: the student\'s symbol typeset beside the quantity, their arithmetic, and the lines not checked', async function () {
      // z_1 = 0.05·0.15 + 0.10·0.25 + 0.35 = 0.3825 (w3's 0.25 for w2 = 0.20; net(h1) is 0.3775); a_2 = 0.597
      // is out(h2) = 0.596884378 but has no notation.
      const trace = last(NET_222, 'notation z_1 = net(h1)\ncheck notes\n  Forward Pass:\n  $$z_1 = x_1 * w_1 + x_2 * w_2 + b_1 = 0.05 * 0.15 + 0.10 * 0.25 + 0.35 = 0.3825$$\n  $$a_2 = 0.597$$\n');
      assert.equal(trace.kind, 'check');
      await tp.render('notes', trace);
      const out = tp.page.locator('#out-notes');
      const line = out.locator('.bp-check-line');
      assert.equal(await line.locator('.bp-symbol .katex').count(), 1, 'z_1 is typeset');
      assert.match(await text(line), /\(net\(h1\)\)/);
      shows(await text(line), 0.3775, 'the exact net(h1)');
      const step = await text(out.locator('.bp-step'));
      shows(step, 0.3825, 'the arithmetic as written');
      assert.match(step, /0\.25 is used where w2 = 0\.2 belongs/);
      const list = out.locator('details.bp-notchecked');
      assert.equal(await list.getAttribute('open'), '', 'open: a line has a suggestion');
      assert.match(await text(list.locator('summary')), /2 lines not checked/);
      assert.match(await text(list.locator('.bp-suggestion')), /looks like out\(h2\) = 0\.596884: add notation a_2 = out\(h2\)/);
      await out.screenshot({ path: join(SHOTS, 'renderer-check-notes.png') });
    });

    it('check: a blank of an exercise is not answered yet, and its exact value is not shown', async function () {
      const trace = last(NET_222, 'check\n  E = 0.298371109\n  dE/dw5 = ?\n');
      await tp.render('blank', trace);
      const out = tp.page.locator('#out-blank');
      assert.equal(await out.locator('.bp-check-line[data-blank="true"]').count(), 1);
      const all = await text(out);
      assert.match(all, /✓ all 1 checks passed · 1 not answered yet/);
      assert.match(all, /dE\/dw5 = \?\s+\(line 3\) not answered yet/);
      assert.doesNotMatch(all, /0\.0821/);
    });

    it('gradcheck: analytic against numeric for every parameter', async function () {
      const trace = last(NET_222, 'gradcheck');
      assert.equal(trace.kind, 'gradcheck');
      await tp.render('gc', trace);
      const rows = tp.page.locator('#out-gc table[aria-label="gradient check"] tbody tr');
      assert.equal(await rows.count(), 10);
      const w5 = await text(rows.filter({ hasText: 'w5' }));
      assert.equal(numbers(w5).filter((n) => Math.abs(n - 0.082167041) < 1e-6).length, 2, 'analytic and numeric both show 0.082167');
      assert.match(w5, /✓/);
    });
  });

  describe('hostile and large traces', function () {
    it('a hostile trace stays text and nothing executes', async function () {
      const evil = {
        img: '<img src=x onerror=window.__pwned=1>',
        script: '</script><script>window.__pwned=2</script>',
        href: '\\href{javascript:window.__pwned=3}{x}',
      };
      const trace = rename(step222, { h1: evil.img, w5: evil.script, o2: evil.href, b1: '\\url{javascript:alert(1)}' }) as Trace;
      (trace.limits as { notes: string[] }).notes = [evil.img, evil.href];
      const message = { ...step222, kind: 'message', text: `${evil.img} ${evil.script} ${evil.href}` };
      let dialogs = 0;
      tp.page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
      const names = { h1: evil.img, w5: evil.script, o2: evil.href };
      const others = [last(NET_222, 'check\n  dE/dw5 = 0.05\n  out(h1) = 0.5\n'), last(NET_222, 'train 3 every 1'), last(NET_222, 'gradcheck')].map((t) => rename(t, names));
      const check = others[0] as Extract<Trace, { kind: 'check' }>;
      assert.equal(check.kind, 'check');
      check.lines[0] = { ...check.lines[0], quantity: `dE/d${evil.script}`, writtenText: evil.img, diagnosis: evil.href };
      check.lines[0].symbol = evil.href;
      check.lines[0].steps = [{ line: 1, expression: `${evil.img} \\url{javascript:alert(2)}`, value: 1, writtenText: evil.script, ok: false, finding: evil.img }];
      check.notChecked = [{ line: 2, text: evil.img, code: evil.script, reason: evil.href, suggestion: { quantity: evil.script, exact: 1, notation: evil.img } }];
      for (const f of check.lines[0].factors ?? []) f.label = evil.script;
      await tp.render('evil', trace);
      await tp.render('evil-msg', message);
      for (const [i, t] of others.entries()) await tp.render(`evil-${i}`, t);
      await tp.page.locator('#out-evil g[data-bp^="p:"]').first().hover();
      await tp.page.waitForTimeout(200);
      const r = await tp.page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        tags: document.querySelectorAll('#outputs img, #outputs script, #outputs a, #outputs iframe, #outputs object, #outputs embed').length,
        text: document.querySelector('#out-evil')!.textContent! + document.querySelector('#out-evil-msg')!.textContent!,
      }));
      assert.equal(r.pwned, undefined);
      assert.equal(dialogs, 0);
      assert.equal(r.tags, 0);
      for (const s of [evil.img, evil.script, evil.href]) assert.ok(r.text.includes(s), `shown as text: ${s}`);
      for (const i of [0, 1, 2]) assert.ok((await text(tp.page.locator(`#out-evil-${i}`))).includes(evil.script), `output ${i} shows the hostile name as text`);
      assert.equal(await tp.page.locator('#out-evil .katex-error').count(), 0, 'escaped names typeset without KaTeX errors');
      await tp.page.mouse.move(1, 1);
    });

    it('a 32-32-32-10 network: the diagram summarises, tables collapse by layer and page', async function () {
      const trace = last(bigNet(), 'step') as StepTrace;
      await tp.render('big', trace);
      const out = tp.page.locator('#out-big');
      assert.deepEqual(await out.locator('svg.bp-diagram .bp-more').allTextContents(), ['+26 more', '+26 more', '+26 more', '+4 more']);
      const details = out.locator('details');
      assert.ok((await details.count()) >= 6, 'tables are split into collapsible groups');
      const closed = await details.evaluateAll((ds) => ds.filter((d) => !(d as HTMLDetailsElement).open).length);
      assert.ok(closed >= 3, 'only the first group of each table is open');
      // Open the first hidden layer's gradients and page through them.
      const group = out.locator('.bp-groups[aria-label="backward pass: gradients"] details').filter({ hasText: 'hidden layer 1' });
      await group.locator('summary').click();
      const pager = group.locator('.bp-pager');
      assert.match(await text(pager), /rows 1–25 of/);
      await pager.locator('button', { hasText: 'next' }).click();
      assert.match(await text(pager), /rows 26–50 of/);
      const row = group.locator('tbody tr[data-bp]').first();
      await row.hover();
      assert.match(await text(out.locator('.bp-tip')), /∂E\/∂/);
      // Nothing of this network is left out of the trace, so the output says nothing is.
      assert.equal(trace.limits.truncated, false);
      assert.equal(await out.locator('.bp-notes').count(), 0, 'no "left out" note');
      await out.scrollIntoViewIfNeeded();
      await tp.page.evaluate(() => document.getElementById('out-big')!.scrollIntoView());
      await tp.page.screenshot({ path: join(SHOTS, 'renderer-large.png') });
      await tp.page.mouse.move(1, 1);
    });
  });
});
