/**
 * Typesetting as parts of an output come into view. A KaTeX formula is dozens of elements: a `step`
 * typeset whole is thousands, most of them screens below what is read first. A deferred part shows
 * its formula as plain text (the same numbers, what a screen reader reads anyway) until it comes
 * near the viewport; `flush` typesets what is already in view before the first frame, so the
 * reader never sees the plain text where they are looking.
 */

/** How far outside the viewport a part is typeset ahead of being scrolled to. */
const MARGIN_PX = 250;

export class Lazy {
  private readonly pending = new Map<Element, () => void>();
  private readonly io: IntersectionObserver | undefined;

  /** `built` runs after parts were filled in (the hover index must see their new elements). */
  constructor(private readonly built: () => void) {
    this.io = typeof IntersectionObserver === 'function'
      ? new IntersectionObserver((entries) => this.fill(entries.filter((e) => e.isIntersecting).map((e) => e.target)), { rootMargin: `${MARGIN_PX}px 0px` })
      : undefined;
  }

  /** `node` keeps what it shows now until it comes near the view; then `build` fills it. */
  defer(node: Element, build: () => void): void {
    if (!this.io) {
      build();
      return;
    }
    this.pending.set(node, build);
    this.io.observe(node);
  }

  /** Fills, now, every deferred part whose box lies within the viewport (the observer fills those
   *  near it next, after the first frame). */
  flush(): void {
    if (!this.pending.size) return;
    const bottom = globalThis.innerHeight || 0;
    const near: Element[] = [];
    for (const node of this.pending.keys()) {
      if (!node.isConnected) continue;
      const r = node.getBoundingClientRect();
      if (r.bottom >= 0 && r.top <= bottom) near.push(node);
    }
    this.fill(near);
  }

  /** Fills every deferred part inside `container` (the step-through shows a row, a screenshot all). */
  fillWithin(container: Element): void {
    this.fill([...this.pending.keys()].filter((n) => container.contains(n)));
  }

  dispose(): void {
    this.io?.disconnect();
    this.pending.clear();
  }

  private fill(nodes: Element[]): void {
    let any = false;
    for (const node of nodes) {
      const build = this.pending.get(node);
      if (!build) continue;
      this.pending.delete(node);
      this.io?.unobserve(node);
      build();
      any = true;
    }
    if (any) this.built();
  }
}
