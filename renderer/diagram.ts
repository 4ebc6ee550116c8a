/**
 * The network diagram: layers left to right, each neuron a box with its net and out, each edge
 * labelled with its weight. After a backward pass an edge's colour says the sign of ∂E/∂w and its
 * width the size. Layers wider than MAX_DRAWN are summarised by a "+N more" box.
 */
import { nameForm } from '../src/engine/present/notation';
import type { ParamInfo, SampleForward, UpdateTrace } from '../src/engine/trace/schema';
import { el, svg } from './dom';
import { keyed, neuronKey, paramKey } from './hover';
import { type Model } from './model';

export const MAX_DRAWN = 8;
const SHOWN_WHEN_CUT = 6;
const NODE_W = 116;
const NODE_H = 52;
const ROW = 82;
const MAX_LABELLED_EDGES = 16;
/** Where along an edge (from its source) its label may sit, best first: near the source, where the
 *  edges of one neuron fan apart, and clear of the crossings in the middle. */
const LABEL_TS = [0.27, 0.2, 0.34, 0.41, 0.14, 0.48];
/** Advance of one character of a 12 px monospace label (a script character is 0.75 of it), slightly
 *  generous: widths are estimated because the diagram is laid out before it is in the document. */
const LABEL_CHAR_W = 7.4;
const LABEL_H = 15;
const MAX_COL_GAP = 360;

interface Box {
  name: string | null;
  x: number;
  y: number;
  more?: number;
}

export function diagram(model: Model, fw: SampleForward | undefined, update: UpdateTrace | undefined, values?: Map<string, number>): HTMLElement {
  const val = (p: ParamInfo) => values?.get(p.name) ?? p.value;
  const layers = model.trace.network.layers;
  if (layers.length === 0) return el('div', { class: 'bp-muted' }, 'no layers to draw');
  const biasesByLayer = new Map<number, ParamInfo[]>();
  for (const p of model.look.params()) if (p.kind === 'bias') biasesByLayer.set(p.layer, [...(biasesByLayer.get(p.layer) ?? []), p]);
  const drawBiases = [...biasesByLayer.values()].every((b) => b.length <= 3);
  const top = drawBiases && biasesByLayer.size ? 56 : 14;
  const label = (p: ParamInfo) => ({ name: p.name, value: model.f(val(p)) });
  const labelWidth = (p: ParamInfo) => (nameWidth(p.name) + 1 + label(p).value.length) * LABEL_CHAR_W + 4;

  const columns: Box[][] = layers.map((layer) => {
    const cut = layer.size > MAX_DRAWN;
    const names = layer.neurons.slice(0, cut ? SHOWN_WHEN_CUT : layer.size);
    const boxes: Box[] = names.map((name) => ({ name, x: 0, y: 0 }));
    if (cut || names.length < layer.size) boxes.push({ name: null, x: 0, y: 0, more: layer.size - names.length });
    boxes.forEach((b, i) => { b.y = i; });
    return boxes;
  });
  // The edges between each pair of layers, and whether there are few enough to label.
  const edges = columns.slice(1).map((col, i) => {
    const pairs: [Box, Box, ParamInfo][] = [];
    let bundled = false;
    for (const dst of col) {
      for (const src of columns[i]) {
        if (dst.name === null || src.name === null) {
          bundled = true;
          continue;
        }
        const p = model.look.edge(src.name, dst.name);
        if (p) pairs.push([src, dst, p]);
      }
    }
    return { pairs, bundled, labelled: pairs.length <= MAX_LABELLED_EDGES };
  });
  // Wide enough that the longest label, centred LABEL_T along its edge, stays clear of the source
  // neuron: θ-style or generated names (`theta2_11`, `w_x1_h1`) are three times as long as `w5`.
  let longest = 0;
  for (const e of edges) if (e.labelled) for (const [, , p] of e.pairs) longest = Math.max(longest, labelWidth(p));
  const span = (longest / 2 + 6) / LABEL_TS[0];
  const colGap = Math.min(MAX_COL_GAP, Math.max(layers.length > 5 ? 170 : 215, Math.ceil(NODE_W + span)));
  columns.forEach((col, l) => { for (const b of col) b.x = 12 + l * colGap; });
  const tallest = Math.max(...columns.map((c) => c.length));
  for (const col of columns) {
    const offset = ((tallest - col.length) * ROW) / 2;
    for (const b of col) b.y = top + offset + b.y * ROW;
  }
  const width = 12 * 2 + (layers.length - 1) * colGap + NODE_W;
  const height = top + tallest * ROW - (ROW - NODE_H) + 10;

  const grads = new Map<string, number>();
  if (update) for (const g of update.grads) grads.set(g.name, g.grad);
  let maxGrad = 0;
  for (const [name, g] of grads) if (model.look.param(name)?.kind === 'weight') maxGrad = Math.max(maxGrad, Math.abs(g));

  const root = svg('svg', { class: 'bp-diagram', viewBox: `0 0 ${width} ${height}`, width, height, role: 'group', 'aria-label': 'network diagram' });
  const edgeLayer = svg('g');
  const labelLayer = svg('g');
  const nodeLayer = svg('g');
  root.append(edgeLayer, labelLayer, nodeLayer);

  const segments = edges.flatMap((e) => e.pairs.map(([src, dst, p]) => ({ p, ...ends(src, dst) })));
  const boxes: Rect[] = columns.flat().map((b) => ({ x: b.x, y: b.y, w: NODE_W, h: NODE_H }));
  const placed: Rect[] = [];
  for (let l = 1; l < layers.length; l++) {
    const { pairs, bundled, labelled } = edges[l - 1];
    for (const [src, dst, p] of pairs) {
      const { x1, y1, x2, y2 } = ends(src, dst);
      const g = grads.get(p.name);
      let stroke = 'var(--bp-muted)';
      let widthPx = 1.2;
      if (g !== undefined && maxGrad > 0) {
        stroke = g > 0 ? 'var(--bp-pos)' : g < 0 ? 'var(--bp-neg)' : 'var(--bp-muted)';
        widthPx = 0.8 + 4.2 * Math.sqrt(Math.abs(g) / maxGrad);
      }
      const title = `${p.name} = ${model.f(val(p))}${g !== undefined ? `, ∂E/∂${p.name} = ${model.f(g)}` : ''}`;
      const group = keyed(svg('g', { class: 'bp-edge-g', 'aria-label': title }), paramKey(p.name));
      group.append(
        svg('line', { class: 'bp-edge', x1, y1, x2, y2, stroke, 'stroke-width': widthPx.toFixed(2), 'stroke-dasharray': p.frozen ? '4 3' : undefined }),
        svg('polygon', { class: 'bp-edge-hit', points: hitArea(x1, y1, x2, y2) }),
      );
      edgeLayer.append(group);
      if (labelled) {
        // On its edge where no other edge crosses it, no neuron and no other label is, on a
        // background that hides the line under the text.
        const w = labelWidth(p);
        const others = segments.filter((o) => o.p !== p);
        const at = bestSpot(x1, y1, x2, y2, w, (r) => others.filter((o) => crosses(o, r)).length * 2 + [...boxes, ...placed].filter((b) => overlap(b, r)).length * 3);
        placed.push(at);
        const { name, value } = label(p);
        labelLayer.append(
          svg('rect', { class: 'bp-wlabel-bg', x: at.x.toFixed(1), y: at.y.toFixed(1), width: at.w.toFixed(1), height: at.h, rx: 3 }),
          keyed(svg('text', { class: 'bp-wlabel', x: (at.x + at.w / 2).toFixed(1), y: (at.y + at.h - 4).toFixed(1), 'text-anchor': 'middle' }, ...nameSpans(name), ` ${value}`), paramKey(p.name), false),
        );
      }
    }
    if (bundled) {
      const a = columns[l - 1], b = columns[l];
      edgeLayer.append(svg('line', {
        class: 'bp-edge', x1: a[0].x + NODE_W, y1: a[Math.floor(a.length / 2)].y + NODE_H / 2, x2: b[0].x, y2: b[Math.floor(b.length / 2)].y + NODE_H / 2,
        stroke: 'var(--bp-muted)', 'stroke-width': 6, 'stroke-opacity': 0.25,
      }));
    }
    if (drawBiases) {
      (biasesByLayer.get(l) ?? []).forEach((p, i) => {
        const bx = columns[l][0].x - 46 + i * 40, by = 18;
        const group = keyed(svg('g', { class: 'bp-node bp-bias', 'aria-label': `${p.name} = ${model.f(val(p))}` }), paramKey(p.name));
        for (const t of p.to) {
          const dst = columns[l].find((b) => b.name === t);
          if (dst) group.append(svg('line', { class: 'bp-edge', x1: bx, y1: by, x2: dst.x + 10, y2: dst.y, stroke: 'var(--bp-muted)', 'stroke-width': 0.9, 'stroke-dasharray': '2 3' }));
        }
        group.append(svg('circle', { cx: bx, cy: by, r: 14 }), svg('text', { x: bx, y: by + 4, 'text-anchor': 'middle' }, ...nameSpans(p.name)));
        group.append(svg('text', { class: 'bp-nval', x: bx + 15, y: by - 6 }, model.f(val(p))));
        nodeLayer.append(group);
      });
    }
  }

  columns.forEach((col, l) => {
    for (const b of col) {
      if (b.name === null) {
        const g = svg('g', { class: 'bp-node bp-more' });
        g.append(svg('rect', { x: b.x, y: b.y, width: NODE_W, height: NODE_H, rx: 8, fill: 'var(--bp-node-bg)', stroke: 'var(--bp-muted)', 'stroke-dasharray': '3 2' }));
        g.append(svg('text', { x: b.x + NODE_W / 2, y: b.y + NODE_H / 2 + 4, 'text-anchor': 'middle' }, `+${b.more} more`));
        nodeLayer.append(g);
        continue;
      }
      const v = model.look.value(fw, b.name);
      const g = keyed(svg('g', { class: 'bp-node', 'aria-label': `neuron ${b.name}` }), neuronKey(b.name));
      g.append(svg('rect', { x: b.x, y: b.y, width: NODE_W, height: NODE_H, rx: 8, fill: 'var(--bp-node-bg)', stroke: 'var(--bp-fg)', 'stroke-width': 1.3 }));
      g.append(svg('text', { class: 'bp-nname', x: b.x + NODE_W / 2, y: b.y + 15, 'text-anchor': 'middle' }, ...nameSpans(b.name)));
      if (v && l === 0) g.append(svg('text', { class: 'bp-nval', x: b.x + NODE_W / 2, y: b.y + 36, 'text-anchor': 'middle' }, model.f(v.out)));
      else if (v) {
        g.append(svg('text', { class: 'bp-nval', x: b.x + 6, y: b.y + 31 }, `net ${model.f(v.net)}`));
        g.append(svg('text', { class: 'bp-nval', x: b.x + 6, y: b.y + 45 }, `out ${model.f(v.out)}`));
      }
      nodeLayer.append(g);
    }
  });

  const figure = el('div', { class: 'bp-figure' }, root);
  if (update && maxGrad > 0) {
    figure.append(el('div', { class: 'bp-legend' },
      'Edge colour: ', el('span', { class: 'bp-pos' }, '∂E/∂w > 0'), ' (the weight goes down) / ', el('span', { class: 'bp-neg' }, '∂E/∂w < 0'),
      ' (it goes up); width ∝ √|∂E/∂w| (summed over the batch).'));
  }
  return figure;
}

interface Rect { x: number; y: number; w: number; h: number }

/** Where an edge from `src` to `dst` starts and ends. */
function ends(src: Box, dst: Box): { x1: number; y1: number; x2: number; y2: number } {
  return { x1: src.x + NODE_W, y1: src.y + NODE_H / 2, x2: dst.x, y2: dst.y + NODE_H / 2 };
}

/** The label box at the first spot along the edge that meets nothing, else the one that meets least. */
function bestSpot(x1: number, y1: number, x2: number, y2: number, w: number, cost: (r: Rect) => number): Rect {
  let best: Rect | undefined;
  let bestCost = Infinity;
  for (const t of LABEL_TS) {
    const cx = x1 + (x2 - x1) * t, cy = y1 + (y2 - y1) * t;
    const r = { x: cx - w / 2, y: cy - LABEL_H / 2, w, h: LABEL_H };
    const c = cost(r);
    if (c < bestCost) [best, bestCost] = [r, c];
    if (c === 0) break;
  }
  return best!;
}

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Whether the segment passes through the rectangle (Liang–Barsky clipping). */
function crosses(s: { x1: number; y1: number; x2: number; y2: number }, r: Rect): boolean {
  const dx = s.x2 - s.x1, dy = s.y2 - s.y1;
  let lo = 0, hi = 1;
  for (const [p, q] of [[-dx, s.x1 - r.x], [dx, r.x + r.w - s.x1], [-dy, s.y1 - r.y], [dy, r.y + r.h - s.y1]]) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) lo = Math.max(lo, t);
    else hi = Math.min(hi, t);
    if (lo > hi) return false;
  }
  return true;
}

const SUP_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUB_DIGITS = '₀₁₂₃₄₅₆₇₈₉';
const scriptDigits = (s: string, digits: string) => (/^\d+$/.test(s) ? [...s].map((c) => digits[Number(c)]).join('') : undefined);

/**
 * A name as the notation typesets it (present/notation.ts's nameForm), in SVG text: digits as
 * Unicode super- and subscripts (θ²₁₁, w₅: they keep to the line, so labels stay one line high),
 * other scripts (w with h1→y) in a smaller shifted span; a name of no documented form as spelled.
 */
export function nameSpans(name: string): (SVGTSpanElement | string)[] {
  const form = nameForm(name);
  if (!form) return [name];
  const spans: (SVGTSpanElement | string)[] = [svg('tspan', { class: form.base.length === 1 ? 'bp-nbase bp-italic' : 'bp-nbase' }, form.base)];
  if (form.sup) spans.push(scriptDigits(form.sup, SUP_DIGITS) ?? svg('tspan', { class: 'bp-script', 'baseline-shift': 'super' }, form.sup));
  const sub = form.sub?.join('→');
  if (sub) spans.push(scriptDigits(sub, SUB_DIGITS) ?? svg('tspan', { class: 'bp-script', 'baseline-shift': '-0.25em' }, sub));
  return spans;
}

/** About how many characters wide a name is set (scripts are smaller). */
function nameWidth(name: string): number {
  const form = nameForm(name);
  if (!form) return name.length;
  return form.base.length + 0.8 * ((form.sup?.length ?? 0) + (form.sub?.join('→').length ?? 0));
}

/** A band 12 px wide around an edge: easier to hover than a hairline, and it has an area. */
function hitArea(x1: number, y1: number, x2: number, y2: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const nx = (-(y2 - y1) / len) * 6, ny = ((x2 - x1) / len) * 6;
  return [[x1 + nx, y1 + ny], [x2 + nx, y2 + ny], [x2 - nx, y2 - ny], [x1 - nx, y1 - ny]].map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
}
