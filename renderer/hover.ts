/**
 * Hover and keyboard focus on anything that stands for a parameter or a neuron. Elements carry
 * `data-bp="p:w5"` / `data-bp="n:h1"`; one set of delegated listeners on the output's root shows a
 * tooltip INSIDE the output (clamped to its box, so the notebook never clips it) and highlights every
 * element with the same key. Delegation keeps large outputs cheap: no listener per element.
 */
import type { Inline } from '../src/engine/present/doc';
import { inlineText } from '../src/engine/present/notation';
import { el } from './dom';

/** A tooltip: text mixed with formulas, typeset as the tables are. */
export interface TipContent {
  title: Inline | string;
  rows: (Inline | string)[];
}

/** Typesets a line of text and formulas (renderer/tex.ts; passed in, as tex.ts marks its pieces with `keyed`). */
export type Typeset = (parts: Inline) => Node[];

/** Tooltip content for a key; `node` is the element hovered (its position can narrow the context). */
export type Describe = (key: string, node: Element) => TipContent | undefined;

export const KEY_ATTR = 'data-bp';
export const paramKey = (name: string) => `p:${name}`;
export const neuronKey = (name: string) => `n:${name}`;

/** Marks `node` as standing for `key`; `focusable` adds it to the tab order. */
export function keyed<T extends Element>(node: T, key: string, focusable = true): T {
  node.setAttribute(KEY_ATTR, key);
  if (focusable) node.setAttribute('tabindex', '0');
  return node;
}

export class Hover {
  readonly tip: HTMLDivElement;
  private index: Map<string, Element[]> | undefined;
  private current: string | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly root: HTMLElement, private readonly describe: Describe, private readonly typeset: Typeset = (parts) => [document.createTextNode(inlineText(parts))]) {
    this.tip = el('div', { class: 'bp-tip', role: 'tooltip', hidden: true });
    this.tip.id = `bp-tip-${Math.random().toString(36).slice(2)}`;
    root.appendChild(this.tip);
    const on = (type: string, handle: (e: Event) => void) => root.addEventListener(type, (e) => this.guard(() => handle(e)), { signal: this.abort.signal });
    on('mouseover', (e) => this.enter(e.target, e as MouseEvent));
    on('mouseout', (e) => this.leave(e.target, (e as MouseEvent).relatedTarget));
    on('focusin', (e) => this.enter(e.target));
    on('focusout', (e) => this.leave(e.target, (e as FocusEvent).relatedTarget));
    on('keydown', (e) => { if ((e as KeyboardEvent).key === 'Escape') this.hide(); });
  }

  /**
   * Runs an event handler so that nothing it meets escapes into the notebook's webview: the trace
   * was read before drawing, but a tooltip that cannot be made is then only not shown.
   */
  private guard(handle: () => void): void {
    try {
      handle();
    } catch {
      this.hide();
    }
  }

  /** Content was added (a page turned, a section opened): rebuild the key index on next use. */
  changed(): void {
    this.index = undefined;
  }

  dispose(): void {
    this.abort.abort();
    this.hide();
    this.tip.remove();
  }

  private keyOf(target: EventTarget | null): [Element, string] | undefined {
    if (!(target instanceof Element)) return undefined;
    const node = target.closest(`[${KEY_ATTR}]`);
    if (!node || !this.root.contains(node)) return undefined;
    return [node, node.getAttribute(KEY_ATTR)!];
  }

  private enter(target: EventTarget | null, mouse?: MouseEvent): void {
    const hit = this.keyOf(target);
    if (!hit) return;
    const [node, key] = hit;
    if (key === this.current && mouse) return;
    const content = this.describe(key, node);
    if (!content) return;
    this.highlight(key);
    this.fill(content);
    node.setAttribute('aria-describedby', this.tip.id);
    // Beside what it describes, not over it: an edge is a long thin box, so beside the pointer there.
    const r = mouse && node.closest('.bp-edge-g') ? new DOMRect(mouse.clientX - 6, mouse.clientY - 6, 12, 12) : node.getBoundingClientRect();
    this.placeBeside(r);
  }

  private leave(target: EventTarget | null, related: EventTarget | null): void {
    const from = this.keyOf(target);
    const to = this.keyOf(related);
    if (from && to && from[1] === to[1]) return;
    if (to) return; // the enter event of the new element takes over
    this.hide();
  }

  hide(): void {
    this.tip.hidden = true;
    this.highlight(undefined);
  }

  /** Shows arbitrary content near a viewport point (the loss curve uses this). */
  showAt(content: TipContent, clientX: number, clientY: number): void {
    this.fill(content);
    this.place(clientX + 12, clientY + 14, clientY - 10);
  }

  private fill(content: TipContent): void {
    const line = (parts: Inline | string) => (typeof parts === 'string' ? [parts] : this.typeset(parts));
    this.tip.replaceChildren(el('div', { class: 'bp-tip-title' }, ...line(content.title)), ...content.rows.map((r) => el('div', { class: 'bp-tip-row' }, ...line(r))));
    this.tip.hidden = false;
  }

  /** The first of right of, left of, below and above `r` where the tooltip fits inside the root. */
  private placeBeside(r: DOMRect): void {
    const box = this.root.getBoundingClientRect();
    const w = this.tip.offsetWidth;
    const h = this.tip.offsetHeight;
    const [maxW, maxH] = [this.root.clientWidth, Math.max(this.root.clientHeight, h)];
    const gap = 8;
    const x = (v: number) => v - box.left;
    const y = (v: number) => v - box.top;
    const top = Math.max(2, Math.min(y(r.top), maxH - h - 2));
    const left = Math.max(2, Math.min(x(r.left), maxW - w - 2));
    const candidates: [number, number][] = [
      [x(r.right) + gap, top],
      [x(r.left) - gap - w, top],
      [left, y(r.bottom) + gap],
      [left, y(r.top) - gap - h],
    ];
    const fits = ([l, t]: [number, number]) => l >= 2 && t >= 2 && l + w <= maxW - 2 && t + h <= maxH - 2;
    const [l, t] = candidates.find(fits) ?? candidates[2];
    this.tip.style.left = `${Math.round(Math.max(2, Math.min(l, maxW - w - 2)))}px`;
    this.tip.style.top = `${Math.round(Math.max(2, t))}px`;
  }

  /** Below the point when it fits inside the root, else above it; always inside the root's box. */
  private place(clientX: number, below: number, above: number): void {
    const box = this.root.getBoundingClientRect();
    const w = this.tip.offsetWidth;
    const h = this.tip.offsetHeight;
    const maxW = this.root.clientWidth;
    const maxH = Math.max(this.root.clientHeight, h);
    let left = clientX - box.left;
    left = Math.max(2, Math.min(left, maxW - w - 2));
    let top = below - box.top;
    if (top + h > maxH - 2) top = above - box.top - h;
    top = Math.max(2, Math.min(top, maxH - h - 2));
    this.tip.style.left = `${Math.round(left)}px`;
    this.tip.style.top = `${Math.round(top)}px`;
  }

  private highlight(key: string | undefined): void {
    if (this.current !== undefined) for (const n of this.nodes(this.current)) n.classList.remove('bp-hl');
    this.current = key;
    if (key !== undefined) for (const n of this.nodes(key)) n.classList.add('bp-hl');
  }

  private nodes(key: string): Element[] {
    if (!this.index) {
      this.index = new Map();
      for (const n of this.root.querySelectorAll(`[${KEY_ATTR}]`)) {
        const k = n.getAttribute(KEY_ATTR)!;
        let list = this.index.get(k);
        if (!list) this.index.set(k, (list = []));
        list.push(n);
      }
    }
    return this.index.get(key) ?? [];
  }
}
