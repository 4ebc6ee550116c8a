/**
 * KaTeX typesetting. TeX source is only ever assembled from numbers (see format.ts), fixed macros and
 * names passed through `texName` (shared with the Markdown/LaTeX formatters), which escapes anything
 * that is not a plain identifier; KaTeX runs with `trust: false` so even a macro that slipped through
 * could not make links or load anything.
 */
import katex from 'katex';
import { texName, texText } from '../src/engine/present/notation';

export { texName, texText };

const cache = new Map<string, HTMLElement>();
const CACHE_LIMIT = 4000;

/** A span with `tex` typeset inline; identical sources are typeset once and cloned. */
export function math(tex: string, display = false): HTMLElement {
  const key = (display ? 'D' : 'I') + tex;
  let proto = cache.get(key);
  if (!proto) {
    proto = document.createElement('span');
    proto.className = 'bp-math';
    katex.render(tex, proto, { displayMode: display, throwOnError: false, trust: false, strict: 'ignore', output: 'html', maxExpand: 100 });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, proto);
  }
  return proto.cloneNode(true) as HTMLElement;
}
