/**
 * A real browser for the renderer tests and the benchmark: builds dist/renderer, serves it with a
 * page that plays the notebook's output webview (theme variables on <html>, one element per output),
 * and drives Debian's Chromium through playwright-core.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import assert from 'node:assert/strict';
import { TRACE_MIME } from '../../src/engine/trace/schema';
import { buildRenderer } from '../../renderer/build.mjs';

// import.meta.url works both under mocha (tsx, CommonJS) and under tsImport (the benchmark).
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist', 'renderer');

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.woff2': 'font/woff2', '.map': 'application/json', '.html': 'text/html' };

export const THEMES = {
  light: { class: 'vscode-light', vars: { '--vscode-editor-foreground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editorHoverWidget-background': '#f8f8f8', '--vscode-editorHoverWidget-border': '#c8c8c8', '--vscode-focusBorder': '#005fb8', '--vscode-charts-red': '#e51400', '--vscode-charts-blue': '#1a85ff' } },
  dark: { class: 'vscode-dark', vars: { '--vscode-editor-foreground': '#cccccc', '--vscode-editor-background': '#1f1f1f', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editorHoverWidget-background': '#252526', '--vscode-editorHoverWidget-border': '#454545', '--vscode-focusBorder': '#0078d4', '--vscode-charts-red': '#f14c4c', '--vscode-charts-blue': '#3794ff', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editorWidget-border': '#454545' } },
  hc: { class: 'vscode-high-contrast', vars: { '--vscode-editor-foreground': '#ffffff', '--vscode-editor-background': '#000000', '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-contrastBorder': '#6fc3df', '--vscode-contrastActiveBorder': '#f38518', '--vscode-focusBorder': '#f38518', '--vscode-editorHoverWidget-background': '#0c141f', '--vscode-editorHoverWidget-border': '#6fc3df' } },
} as const;

function page(theme: keyof typeof THEMES): string {
  const t = THEMES[theme];
  const vars = Object.entries(t.vars).map(([k, v]) => `${k}: ${v};`).join(' ');
  return `<!doctype html><html style="${vars}"><head><meta charset="utf-8"><title>renderer test</title>
<style>body { margin: 0; padding: 10px; background: var(--vscode-editor-background); color: var(--vscode-editor-foreground); } .output { width: 860px; margin-bottom: 24px; }</style></head>
<body class="${t.class}"><div id="outputs"></div>
<script type="module">
import { activate } from '/renderer/index.js';
const renderer = activate({ workspace: { isTrusted: true } });
window.__render = (id, text) => {
  const element = document.createElement('div');
  element.className = 'output';
  element.id = 'out-' + id;
  document.getElementById('outputs').append(element);
  const t0 = performance.now();
  renderer.renderOutputItem({ id, mime: ${JSON.stringify(TRACE_MIME)}, json: () => JSON.parse(text), text: () => text, data: () => new TextEncoder().encode(text) }, element);
  return performance.now() - t0;
};
window.__dispose = (id) => { renderer.disposeOutputItem(id); document.getElementById('out-' + id)?.remove(); };
window.__ready = true;
</script></body></html>`;
}

export interface Harness {
  browser: Browser;
  server: Server;
  base: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  // The handler never rejects (every path ends in a response), so its promise is not awaited.
  const server = createServer((req, res) => void serve(req, res));
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      const theme = url.pathname === '/' ? 'light' : url.pathname.slice(1);
      if (theme in THEMES) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(theme as keyof typeof THEMES));
        return;
      }
      if (url.pathname.startsWith('/renderer/')) {
        const file = normalize(join(DIST, url.pathname.slice('/renderer/'.length)));
        if (!file.startsWith(DIST)) throw new Error('outside');
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(body);
        return;
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404).end();
    } catch {
      res.writeHead(404).end();
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    browser, server, base,
    async close() {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface TestPage {
  page: Page;
  /** Console errors, page errors and failed requests seen so far. */
  errors: string[];
  render(id: string, trace: unknown): Promise<number>;
}

export async function openPage(h: Harness, theme: keyof typeof THEMES = 'light'): Promise<TestPage> {
  const page = await h.browser.newPage({ viewport: { width: 900, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`); });
  await page.goto(`${h.base}/${theme === 'light' ? '' : theme}`);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
  return {
    page, errors,
    render: (id, trace) => page.evaluate(([i, t]) => (window as unknown as { __render(i: string, t: string): number }).__render(i, t), [id, JSON.stringify(trace)] as const),
  };
}

/**
 * Scrolls through an output until every formula in it is typeset: outputs typeset what comes into
 * view (renderer/lazy.ts), so a test that reads formulas far down first brings them into view.
 */
export async function typesetAll(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const pending = await page.$(`${selector} .bp-pending`);
    if (!pending) return;
    await pending.scrollIntoViewIfNeeded();
    await page.waitForFunction((e) => !e.classList.contains('bp-pending'), pending, { timeout: 5000 });
  }
  throw new Error(`formulas in ${selector} stay untypeset`);
}

/**
 * The computed font size of every glyph of the formulas that `selector` picks inside `root` (text
 * nodes of KaTeX's output), and the body size of the output: issue 12's rule is no formula text
 * under ~70 % of the body.
 */
export async function glyphSizes(root: Locator, selector: string): Promise<{ body: number; min: number; count: number }> {
  return root.evaluate((r, sel) => {
    const body = parseFloat(getComputedStyle(r.closest('.bp-root') ?? r.querySelector('.bp-root')!).fontSize);
    const px: number[] = [];
    for (const t of r.querySelectorAll(sel)) {
      const walker = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent && n.textContent.trim().replace(/\u200b/g, '')) px.push(parseFloat(getComputedStyle(n.parentElement!).fontSize));
      }
    }
    return { body, min: Math.min(...px), count: px.length };
  }, selector);
}

/**
 * A mocha suite's browser: the renderer built, Chromium started and one page opened before its
 * tests, closed after them, and no console error, page error or failed request after each test.
 */
export function usePage(): { readonly h: Harness; readonly tp: TestPage } {
  const s = {} as { h: Harness; tp: TestPage };
  before(async function () {
    await buildRenderer(ROOT);
    s.h = await startHarness();
    s.tp = await openPage(s.h);
  });
  after(async function () {
    await s.h?.close();
  });
  afterEach(function () {
    assert.deepEqual(s.tp.errors, [], 'no console errors, page errors or failed requests');
  });
  return s;
}
