/**
 * The renderer in Chromium on the classification chapter: a softmax step (the normalisation, the
 * Jacobian, ∂E/∂net by both routes), an Adam update table with decay, and a trace the reader refuses.
 * Expected numbers are worked out by hand (see test/engine/commands/classification.test.ts), not
 * taken from the engine's output.
 */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { buildRenderer } from '../../renderer/build.mjs';
import type { StepTrace } from '../../src/engine/trace/schema';
import { NET_222, last } from './cells';
import { SOFTMAX_CELL } from '../engine/fixtures';
import { ROOT, glyphSizes, openPage, startHarness, typesetAll, type Harness, type TestPage } from './harness';

const numbers = (s: string) => [...s.replace(/\u2212/g, '-').matchAll(/-?\d+(?:\.\d+)?(?:e-?\d+)?/g)].map((m) => Number(m[0]));
const shows = (s: string, x: number, what: string) => assert.ok(numbers(s).some((n) => Math.abs(n - x) <= Math.abs(x) * 6e-6 + 1e-12), `${what}: ${x} in ${JSON.stringify(s.slice(0, 500))}`);
const text = (l: Locator) => l.evaluate((e) => (e instanceof HTMLElement ? e.innerText : (e.textContent ?? '')));

/** How the formulas of one table sit: the worst overrun of a formula past its cell's content box and of the table past the output, in px. */
async function fit(l: Locator): Promise<{ formulas: number; overrun: number; worst: string; tableOverrun: number }> {
  return l.evaluate((t) => {
    let overrun = -Infinity;
    let worst = '';
    let formulas = 0;
    for (const k of t.querySelectorAll('td .katex')) {
      const td = k.closest('td')!;
      const cell = td.getBoundingClientRect();
      const style = getComputedStyle(td);
      const box = k.getBoundingClientRect();
      const over = Math.max(box.right - (cell.right - parseFloat(style.paddingRight)), cell.left + parseFloat(style.paddingLeft) - box.left);
      formulas++;
      if (over > overrun) { overrun = over; worst = `${td.parentElement?.getAttribute('data-bp')}: ${k.textContent?.slice(0, 60)}`; }
    }
    // The table scrolls inside its box when it is wider than the output: its names then leave the view.
    const scroller = t.closest('.bp-scroll') ?? t.parentElement!;
    return { formulas, overrun, worst, tableOverrun: scroller.scrollWidth - scroller.clientWidth };
  });
}

describe('renderer in Chromium: classification and optimizers', function () {
  let h: Harness;
  let tp: TestPage;

  before(async function () {
    await buildRenderer(ROOT);
    h = await startHarness();
    tp = await openPage(h);
  });
  after(async () => { await h?.close(); });
  afterEach(() => assert.deepEqual(tp.errors, [], 'no console errors, page errors or failed requests'));

  it('softmax step: out with its normalisation, the Jacobian column, and ∂E/∂net = out − t beside the Jacobian sum', async function () {
    await tp.render('sm', last(SOFTMAX_CELL, 'step') as StepTrace);
    const out = tp.page.locator('#out-sm');
    const o2 = await text(out.locator('table[aria-label="forward pass"] tr[data-bp="n:o2"]'));
    shows(o2, 1.21413, 'e^net(o2)');
    shows(o2, 0.845952, 'e^net(o3) in the sum');
    shows(o2, 0.346429222, 'out(o2)');
    const backward = out.locator('table[aria-label="backward pass through the neurons"]');
    const o1 = await text(backward.locator('tr[data-bp="n:o1"]'));
    shows(o1, -0.142796069, '∂out(o2)/∂net(o1), a cross term');
    shows(o1, 0.242290118, '∂out(o1)/∂net(o1)');
    shows(o1, 0.412194065, '∂E/∂net(o1)');
    assert.match(o1, /softmax with cross-entropy/);
    assert.match(await text(out), /out_?k/, 'the Jacobian in general above the table');
    shows(await text(out.locator('table[aria-label="backward pass: gradients"] tr[data-bp="p:w7"]')), 0.241800284, '∂E/∂w7');
  });

  it('Adam with decay: the state columns and the formula used, the decay in E and in ∂E/∂w', async function () {
    await tp.render('adam', last(NET_222, 'optimizer adam\nrate 0.01\ndecay 0.01\nstep') as StepTrace);
    const out = tp.page.locator('#out-adam');
    const w5 = await text(out.locator('table[aria-label="update"] tr[data-bp="p:w5"]'));
    // By hand: g = 0.082167041 + 0.01·0.4, m = 0.1·g, v = 0.001·g², m̂ = g, v̂ = g², w5′ = 0.4 − 0.01·g/(|g| + 1e-8).
    const g = 0.082167041 + 0.004;
    shows(w5, 0.1 * g, 'm');
    // v = 7.42476 × 10⁻⁶: typeset with a power of ten, or as 7.42476e-6 before its formula comes into view.
    const v = 0.001 * g * g;
    shows(w5, numbers(w5).some((n) => Math.abs(n - v) <= v * 6e-6) ? v : v * 1e6, 'v');
    shows(w5, g * g, 'v̂');
    shows(w5, 0.4 - 0.01 * g / (g + 1e-8), 'w5′');
    assert.match(await text(out), /β\s*1/, "β₁ in the rule");
    shows(await text(out.locator('.bp-decay')), 0.00565, '(λ/2)·Σ w² = 0.005·1.13');
    shows(await text(out.locator('table[aria-label="backward pass: gradients"] tr[data-bp="p:w5"]')), g, '∂E/∂w5 with λ·w5');
  });

  it('softmax 2-3-3: the Jacobian sums break one term a row, and no formula of the neurons table leaves its cell', async function () {
    await tp.render('sm-fit', last(SOFTMAX_CELL, 'step') as StepTrace);
    await typesetAll(tp.page, '#out-sm-fit');
    const table = tp.page.locator('#out-sm-fit table[aria-label="backward pass through the neurons"]');
    const f = await fit(table);
    assert.ok(f.formulas > 100, `${f.formulas} formulas measured`);
    assert.ok(f.overrun <= 0.5, `a formula runs ${f.overrun.toFixed(1)} px past its cell (${f.worst})`);
    assert.ok(f.tableOverrun <= 0, `the neurons table is ${f.tableOverrun} px wider than the output`);
    // ∂E/∂net_o1 = Σ_k ∂E/∂out_k · ∂out_k/∂net_o1 over the three outputs: the terms after the first on rows of their own, in symbols and in numbers.
    const o1 = table.locator('tr[data-bp="n:o1"] .bp-formula.bp-more');
    assert.equal(await o1.count(), 4, 'two more terms in symbols, two in numbers');
    assert.match(await text(o1.nth(0)), /^\s*\+/, 'a row after the first starts with its sign');
  });

  it('Adam: the update table stays inside the output, its fractions at no less than 70 % of the body text', async function () {
    await tp.render('adam-fit', last(NET_222, 'optimizer adam\nrate 0.01\ndecay 0.01\nstep') as StepTrace);
    await typesetAll(tp.page, '#out-adam-fit');
    const table = tp.page.locator('#out-adam-fit table[aria-label="update"]');
    const f = await fit(table);
    assert.ok(f.formulas >= 40, `${f.formulas} formulas measured`);
    assert.ok(f.overrun <= 0.5, `a formula runs ${f.overrun.toFixed(1)} px past its cell (${f.worst})`);
    assert.ok(f.tableOverrun <= 0, `the update table is ${f.tableOverrun} px wider than the output`);
    const sizes = await glyphSizes(table, '.katex .mfrac');
    // m̂ = m'/(1 − β₁^t), v̂ = v'/(1 − β₂^t) and m̂/(√v̂ + ε) of every parameter, in symbols and numbers.
    assert.ok(sizes.count > 200, `${sizes.count} glyphs of fractions measured`);
    assert.ok(sizes.min >= 0.7 * sizes.body, `smallest glyph of a fraction ${sizes.min.toFixed(2)} px for a body of ${sizes.body} px`);
  });

  it('a trace with an optimizer the reader does not know is refused, by the field', async function () {
    const t = last(NET_222, 'step') as StepTrace;
    await tp.render('bad', { ...t, network: { ...t.network, optimizer: { name: 'lion' } } } as unknown as StepTrace);
    assert.match(await text(tp.page.locator('#out-bad')), /network\.optimizer\.name/);
  });
});
