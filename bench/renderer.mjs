// Renderer timings in a real Chromium (Debian's /usr/bin/chromium through playwright-core), for the
// 2-2-2 step trace, the 3-sample data-table batch and a 32-32-32-10 one: renderOutputItem (JSON parse
// + DOM + typesetting what is in view), the layout that follows, the first frame, the latency of a
// hover tooltip, and the DOM nodes at the first frame (formulas below the view are typeset as they
// are scrolled to). Goals (issue 10): a 2-2-2 step under 50 ms to first frame and 4,000 nodes,
// 32-32-32-10 under 150 ms. The 2-2-2 step with w5 renamed to a
// name of 1,000,000 letters is timed against the plain one (the renderer elides long names before
// typesetting: the ratio should stay near 1). Run by `npm run bench`, or alone:
// `node bench/renderer.mjs [--runs N]`. Traces come from the engine, through tsx.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { buildRenderer } from '../renderer/build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;

const { NET_222, BATCH, bigNet, last } = await tsImport('../test/renderer/cells.ts', import.meta.url);
const { startHarness, openPage } = await tsImport('../test/renderer/harness.ts', import.meta.url);

await buildRenderer(root);
const step222 = last(NET_222, 'step');
const longName = JSON.parse(JSON.stringify(step222).replaceAll('"w5"', JSON.stringify(`w${'x'.repeat(999_999)}`)));
const workloads = [
  { name: '2-2-2 step', trace: step222, runs: RUNS },
  { name: '2-2-2 step, a 1e6-letter name', trace: longName, runs: RUNS, peer: '2-2-2 step' },
  { name: 'data table step (3 samples)', trace: last(BATCH, 'step'), runs: RUNS },
  { name: '32-32-32-10 step (4 samples)', trace: last(bigNet(4), 'step'), runs: Math.max(3, Math.ceil(RUNS / 3)) },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const h = await startHarness();
let failed = false;
try {
  const tp = await openPage(h);
  console.log(`Chromium ${h.browser.version()}, ${RUNS} runs (fewer for the large trace); median (min) in ms`);
  console.log(['trace'.padEnd(30), 'JSON KB', 'render', 'layout', 'first frame', 'hover', 'DOM nodes'].join('  '));
  const firstFrames = new Map();
  for (const w of workloads) {
    const text = JSON.stringify(w.trace);
    const samples = [];
    for (let i = 0; i < w.runs + 2; i++) {
      const s = await tp.page.evaluate(async ([id, t]) => {
        const t0 = performance.now();
        window.__render(id, t);
        const t1 = performance.now();
        const el = document.getElementById('out-' + id);
        void el.getBoundingClientRect().height;
        const t2 = performance.now();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const t3 = performance.now();
        // Hover latency: the delegated listener builds the tooltip and highlights every match.
        const target = el.querySelector('svg.bp-diagram [data-bp^="p:"]');
        const h0 = performance.now();
        target?.dispatchEvent(new MouseEvent('mouseover', { bubbles: true, clientX: 100, clientY: 100 }));
        void el.querySelector('.bp-tip').getBoundingClientRect();
        const h1 = performance.now();
        const nodes = el.querySelectorAll('*').length;
        window.__dispose(id);
        return { render: t1 - t0, layout: t2 - t1, frame: t3 - t0, hover: h1 - h0, nodes };
      }, [`b${i}`, text]);
      if (i >= 2) samples.push(s); // the first two warm up the JIT and KaTeX's caches
    }
    const col = (k) => `${median(samples.map((s) => s[k])).toFixed(1)} (${Math.min(...samples.map((s) => s[k])).toFixed(1)})`;
    const frame = median(samples.map((s) => s.frame));
    firstFrames.set(w.name, frame);
    const ratio = w.peer ? `  (first frame ${(frame / firstFrames.get(w.peer)).toFixed(2)}× the ${w.peer})` : '';
    console.log([w.name.padEnd(30), String(Math.round(text.length / 1024)).padStart(7), col('render'), col('layout'), col('frame'), col('hover'), String(samples[0].nodes)].join('  ') + ratio);
  }
  if (tp.errors.length) {
    failed = true;
    console.error('page errors:', tp.errors.join('\n'));
  }
} catch (e) {
  failed = true;
  console.error(e instanceof Error ? e.message : String(e));
} finally {
  await h.close();
}
process.exit(failed ? 1 : 0);
