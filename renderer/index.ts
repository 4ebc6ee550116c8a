/**
 * The notebook renderer for TRACE_MIME outputs (`vscode-notebook-renderer` API). KaTeX's stylesheet and
 * fonts sit beside this bundle (copied by scripts/build.mjs) and are found through import.meta.url;
 * the stylesheet goes into document.head because fonts declared only inside a shadow root never load
 * (the same approach as VS Code's markdown-math extension).
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { isTrace } from '../src/engine/trace/schema';
import { el } from './dom';
import { readTrace, TraceError } from './read';
import { CSS } from './styles';
import { renderTrace, type Rendered, type Shown } from './views';

const KATEX_CSS = new URL('./katex.min.css', import.meta.url).href;

function ensureStyles(doc: Document, target: Node): void {
  if (!doc.head.querySelector('link[data-bpnb-katex]')) {
    doc.head.append(el('link', { rel: 'stylesheet', href: KATEX_CSS, 'data-bpnb-katex': '' }));
  }
  if (!doc.head.querySelector('style[data-bpnb]')) {
    const style = el('style', { 'data-bpnb': '' });
    style.textContent = CSS;
    doc.head.append(style);
  }
  // Inside a shadow root the document's styles do not apply: repeat them there as well.
  const root = target.getRootNode();
  if (root instanceof ShadowRoot && !root.querySelector('style[data-bpnb]')) {
    const style = el('style', { 'data-bpnb': '' });
    style.textContent = CSS;
    root.append(el('link', { rel: 'stylesheet', href: KATEX_CSS }), style);
  }
}

/** A line in place of the output, saying why it cannot be drawn. */
function refuse(root: HTMLElement, message: string): void {
  root.className = 'bp-root';
  root.replaceChildren(el('p', { class: 'bp-error', role: 'alert' }, message));
}

export const activate: ActivationFunction = () => {
  const live = new Map<string, { rendered?: Rendered; element: HTMLElement }>();
  // The forward passes drawn by the outputs still shown, by output: a later step collapses its own.
  const forwards = new Map<string, Set<string>>();
  const shownBy = (id: string): Shown => ({
    has: (f) => [...forwards].some(([other, set]) => other !== id && set.has(f)),
    add: (f) => { forwards.set(id, (forwards.get(id) ?? new Set()).add(f)); },
  });
  return {
    renderOutputItem(item: OutputItem, element: HTMLElement) {
      live.get(item.id)?.rendered?.dispose();
      forwards.delete(item.id);
      live.set(item.id, { element });
      ensureStyles(element.ownerDocument, element);
      const root = el('div');
      element.replaceChildren(root);
      let json: unknown;
      try {
        json = item.json();
      } catch {
        refuse(root, 'This output is not valid JSON and cannot be shown.');
        return;
      }
      if (!isTrace(json)) {
        refuse(root, 'This output was written by another version of Backprop Notebook; run the cell again to show it.');
        return;
      }
      try {
        live.set(item.id, { element, rendered: renderTrace(readTrace(json), root, shownBy(item.id)) });
      } catch (e) {
        // A malformed trace must not take the notebook down: say so inside the output instead.
        if (e instanceof TraceError) refuse(root, `This output is not a valid Backprop trace: ${e.message}.`);
        else refuse(root, `This output could not be drawn: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    disposeOutputItem(id?: string) {
      const ids = id === undefined ? [...live.keys()] : [id];
      for (const k of ids) {
        live.get(k)?.rendered?.dispose();
        live.delete(k);
        forwards.delete(k);
      }
    },
  };
};
