/**
 * Never a hang, never a crash, never a blank output (issue 9, rows 5, 6 and 8), in a real Chromium:
 * huge names and messages, loss curves whose values differ only in the last bit, malformed traces,
 * and traces whose names do not match up. Every test is bounded by the suite's timeout only, so a
 * hang fails it rather than blocking the run; none measures time.
 */
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { buildRenderer } from '../../renderer/build.mjs';
import type { StepTrace, TrainTrace } from '../../src/engine/trace/schema';
import { NET_222, last } from './cells';
import { ROOT, openPage, startHarness, type Harness, type TestPage } from './harness';

/** Labels per axis the loss curve promises at most (renderer/ticks.ts; that module runs only in the page). */
const MAX_TICKS = 6;

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** `trace` with every occurrence of each name of `map` replaced (names are whole JSON strings). */
function renamed<T>(trace: T, map: Record<string, string>): T {
  let text = JSON.stringify(trace);
  for (const [from, to] of Object.entries(map)) text = text.replaceAll(JSON.stringify(from), JSON.stringify(to));
  return JSON.parse(text) as T;
}

interface Box { left: number; right: number; top: number; bottom: number; text: string }

/** The tick labels of one axis of a loss curve, with their boxes on the page. */
async function labels(curve: Locator, cls: 'bp-ytick' | 'bp-xtick'): Promise<Box[]> {
  return curve.locator(`text.${cls}`).evaluateAll((es) => es.map((e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, text: e.textContent ?? '' };
  }));
}

function assertReadableAxis(boxes: Box[], what: string): void {
  const texts = boxes.map((b) => b.text);
  assert.ok(boxes.length >= 1 && boxes.length <= MAX_TICKS, `${what}: ${boxes.length} labels (${texts.join(', ')})`);
  assert.equal(new Set(texts).size, texts.length, `${what}: distinct labels ${texts.join(', ')}`);
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      assert.ok(!overlap, `${what}: labels ${a.text} and ${b.text} overlap`);
    }
  }
}

describe('renderer robustness in Chromium', function () {
  let h: Harness;
  let tp: TestPage;
  let step: StepTrace;
  let train: TrainTrace;

  before(async function () {
    await buildRenderer(ROOT);
    h = await startHarness();
    tp = await openPage(h);
    step = json(last(NET_222, 'step')) as StepTrace;
    train = json(last(NET_222, 'train 4')) as TrainTrace;
  });

  after(async function () {
    await h?.close();
  });

  afterEach(function () {
    assert.deepEqual(tp.errors, [], 'no console errors, page errors or failed requests');
  });

  /** Hovers and focuses every element of an output that has a tooltip. */
  async function hoverAll(id: string): Promise<void> {
    await tp.page.locator(`#out-${id}`).evaluate((root) => {
      for (const e of root.querySelectorAll('[data-bp], .bp-error, td, svg')) {
        e.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        e.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
        e.dispatchEvent(new MouseEvent('mouseout', { bubbles: true }));
      }
    });
  }

  describe('long names and messages (row 5)', function () {
    it('a parameter name of 1,000,000 letters and a neuron name of 100,000 are elided before typesetting', async function () {
      const w = `w${'x'.repeat(999_999)}`;
      const n = `h${'y'.repeat(99_999)}`;
      await tp.render('long-name', renamed(step, { w5: w, h1: n }));
      const out = tp.page.locator('#out-long-name');
      assert.equal(await out.locator('table[aria-label="update"]').count(), 1, 'the output is drawn');
      const all = await out.evaluate((e) => e.textContent ?? '');
      assert.ok(!all.includes('x'.repeat(100)) && !all.includes('y'.repeat(100)), 'no name is shown whole');
      assert.match(all, /wxxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxx#[0-9a-f]{6}/);
      assert.equal(await out.locator('.katex-error').count(), 0, 'the elided names typeset');
      // Still the same parameter everywhere: hovering its edge lights up its rows and formulas.
      await out.locator('svg.bp-diagram text.bp-wlabel[data-bp^="p:wxxx"]').hover();
      // (The tooltip is typeset: read its glyphs, without KaTeX's zero-width spaces.)
      const tip = (await out.locator('.bp-tip').textContent() ?? '').replace(/\u200b/g, '');
      assert.match(tip, /^wx+…x+#[0-9a-f]{6} — weight hy+…y+#[0-9a-f]{6} → o1/);
      assert.match(tip, /0\.082167/);
      assert.ok(await out.locator('.bp-hl').count() >= 5, 'the name is highlighted wherever it appears');
      await tp.page.mouse.move(1, 1);
    });

    it('a message of 1,000,000 characters is cut, saying how much is left out', async function () {
      await tp.render('long-message', { ...step, kind: 'message', text: `${'m'.repeat(999_990)}THE END` });
      const t = await tp.page.locator('#out-long-message .bp-message').innerText();
      assert.ok(t.length < 3000, `${t.length} characters shown`);
      assert.match(t, /… \(997,997 more characters\)$/);
    });
  });

  describe('loss curve ticks (row 6)', function () {
    const curves: [string, number[], number[]?][] = [
      ['values one bit apart', [0.30000000000000004, 0.3, 0.3]],
      ['1 and the next double', [1, 1.0000000000000002]],
      ['a constant curve', [0.5, 0.5, 0.5, 0.5]],
      ['a curve of zeros', [0, 0, 0]],
      ['a fall over twenty decades in 10^8 epochs', Array.from({ length: 101 }, (_, i) => 10 ** (-6 - i / 5)), Array.from({ length: 101 }, (_, i) => i * 1_000_000)],
      ['values near the largest double', [1.7e308, 1e308, 1e300]],
      ['denormals', [5e-324, 1e-323, 1.5e-323]],
    ];
    for (const [what, lossCurve, lossEpochs] of curves) {
      it(`${what}: at most ${MAX_TICKS} distinct labels per axis, none overlapping, on either scale`, async function () {
        const id = what.replace(/\W+/g, '-');
        const epochs = lossEpochs ?? lossCurve.map((_, i) => i);
        await tp.render(id, { ...train, lossCurve, lossEpochs: epochs, epochsRun: epochs[epochs.length - 1], epochsRequested: epochs[epochs.length - 1] });
        const box = tp.page.locator(`#out-${id} .bp-curve-box`);
        const toggle = box.locator('input[type="checkbox"]');
        for (const scale of ['first', 'second']) {
          const curve = box.locator('svg.bp-curve');
          const points = (await curve.locator('polyline').getAttribute('points'))!.trim().split(/\s+/);
          assert.equal(points.length, lossCurve.length, `${scale} scale: every point drawn`);
          assert.ok(points.every((p) => /^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/.test(p)), `${scale} scale: finite points ${points.join(' ')}`);
          assertReadableAxis(await labels(curve, 'bp-ytick'), `${what}, y axis (${scale} scale)`);
          assertReadableAxis(await labels(curve, 'bp-xtick'), `${what}, x axis (${scale} scale)`);
          if (await toggle.isDisabled()) break;
          await toggle.click();
        }
      });
    }

    it('a fall over twenty decades is labelled in powers of ten', async function () {
      const ys = await labels(tp.page.locator('#out-a-fall-over-twenty-decades-in-10-8-epochs svg.bp-curve'), 'bp-ytick');
      assert.ok(ys.length >= 2);
      for (const y of ys) assert.match(y.text, /^1e-\d+$/, ys.map((b) => b.text).join(', '));
    });
  });

  describe('malformed traces (row 8)', function () {
    const cases: [string, () => unknown, string][] = [
      ['numbers as strings', () => ({ ...json(last(NET_222, 'check\n  E = 0.3')), passed: '59' }), 'field `passed` must be a number'],
      ['a null count', () => ({ ...step, epoch: null }), 'field `epoch` must be a number'],
      ['a message trace without text', () => ({ ...step, kind: 'message' }), 'field `text` is missing'],
      ['a missing field', () => ({ ...json(last(NET_222, 'forward')), loss: undefined }), 'field `loss` is missing'],
      ['a wrong field deep inside', () => { const t = json(step); (t.updates[0].forward[0] as unknown as { layers: unknown }).layers = 'none'; return t; }, 'field `updates[0].forward[0].layers` must be a list'],
      ['a train without a loss curve', () => ({ ...train, lossCurve: undefined }), 'field `lossCurve` is missing'],
    ];
    for (const [what, make, field] of cases) {
      it(`${what}: one clear message, and hovering it raises nothing`, async function () {
        const id = `bad-${what.replace(/\W+/g, '-')}`;
        await tp.render(id, make());
        const out = tp.page.locator(`#out-${id}`);
        assert.deepEqual(await out.locator('.bp-error').allInnerTexts(), [`This output is not a valid Backprop trace: ${field}.`]);
        assert.equal(await out.locator('.bp-body').count(), 0, 'nothing half-drawn');
        await hoverAll(id);
      });
    }

    it('a trace whose names do not match up still draws, and no tooltip raises an error', async function () {
      const t = json(step);
      const u = t.updates[0];
      u.grads[0].name = 'nowhere';
      u.neurons[0].neuron = 'nobody';
      u.neurons.find((g) => g.downstream)!.downstream![0].weight = 'nothing';
      u.forward[0].layers[1].out = [];
      t.network.params[0].from = 'ghost';
      await tp.render('mismatched', t);
      const out = tp.page.locator('#out-mismatched');
      assert.equal(await out.locator('table[aria-label="update"]').count(), 1);
      assert.equal(await out.locator('.bp-error').count(), 0);
      await hoverAll('mismatched');
    });
  });
});
