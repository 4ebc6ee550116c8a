/**
 * Tables that stay readable at any size: a small table shows every row; a large one is split into
 * collapsible groups (by layer or sample) that are built only when opened, and each group is paged.
 */
import { el, type Child } from './dom';
import { type Hover } from './hover';

export const PAGE_SIZE = 25;
/** Up to this many rows a table is shown whole, with its groups as header rows. */
export const SMALL_ROWS = 30;

export interface Group {
  title: string;
  rows: number;
  /** Builds rows [start, end) of the group. */
  build(start: number, end: number): HTMLTableRowElement[];
  open?: boolean;
}

export function table(headers: Child[], caption?: string): { table: HTMLTableElement; body: HTMLTableSectionElement } {
  const body = el('tbody');
  const t = el('table', { class: 'bp-table' }, caption ? el('caption', { class: 'bp-muted' }, caption) : null, el('thead', null, el('tr', null, ...headers.map((h) => el('th', { scope: 'col' }, h)))), body);
  return { table: t, body };
}

export function groupedTable(headers: Child[], groups: Group[], hover: Hover, label: string): HTMLElement {
  const total = groups.reduce((s, g) => s + g.rows, 0);
  if (total <= SMALL_ROWS) {
    const { table: t, body } = table(headers);
    t.setAttribute('aria-label', label);
    for (const g of groups) {
      if (groups.length > 1 && g.title) body.append(el('tr', { class: 'bp-group' }, el('th', { colspan: headers.length, scope: 'rowgroup' }, g.title)));
      body.append(...g.build(0, g.rows));
    }
    return el('div', { class: 'bp-scroll' }, t);
  }
  const wrap = el('div', { class: 'bp-groups', 'aria-label': label });
  for (const g of groups) {
    const details = el('details', null, el('summary', null, `${g.title} (${g.rows} row${g.rows === 1 ? '' : 's'})`));
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      details.append(paged(headers, g, hover));
      hover.changed();
    };
    details.addEventListener('toggle', () => details.open && build());
    if (g.open) {
      details.open = true;
      build();
    }
    wrap.append(details);
  }
  return wrap;
}

function paged(headers: Child[], g: Group, hover: Hover): HTMLElement {
  const { table: t, body } = table(headers);
  const pages = Math.max(1, Math.ceil(g.rows / PAGE_SIZE));
  let page = 0;
  const info = el('span', { class: 'bp-muted' });
  const prev = el('button', { type: 'button' }, '◀ previous');
  const next = el('button', { type: 'button' }, 'next ▶');
  const show = () => {
    const start = page * PAGE_SIZE;
    const end = Math.min(g.rows, start + PAGE_SIZE);
    body.replaceChildren(...g.build(start, end));
    info.textContent = `rows ${start + 1}–${end} of ${g.rows}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    hover.changed();
  };
  prev.addEventListener('click', () => { if (page > 0) { page--; show(); } });
  next.addEventListener('click', () => { if (page < pages - 1) { page++; show(); } });
  show();
  return el('div', null, el('div', { class: 'bp-scroll' }, t), pages > 1 ? el('div', { class: 'bp-pager' }, prev, next, info) : null);
}

const builders = new WeakMap<HTMLDetailsElement, () => void>();

/** A `<details>` whose content is built the first time it is opened. */
export function lazySection(title: Child, build: () => Node, hover: Hover, open = false): HTMLDetailsElement {
  const details = el('details', null, el('summary', null, title));
  let built = false;
  const go = () => {
    if (built) return;
    built = true;
    details.append(build());
    hover.changed();
  };
  builders.set(details, go);
  details.addEventListener('toggle', () => details.open && go());
  if (open) {
    details.open = true;
    go();
  }
  return details;
}

/** Opens a section made by `lazySection`, its content built now (the `toggle` event comes later). */
export function openSection(details: HTMLDetailsElement): void {
  builders.get(details)?.();
  details.open = true;
}
