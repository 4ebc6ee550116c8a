/**
 * The network diagram: layers left to right, each neuron a box with its net and out, each edge
 * labelled with its weight. After a backward pass an edge's colour says the sign of ∂E/∂w and its
 * width the size. Layers wider than MAX_DRAWN are summarised by a "+N more" box.
 */
import type { ParamInfo, SampleForward, UpdateTrace } from '../src/engine/trace/schema';
import { el, svg } from './dom';
import { keyed, neuronKey, paramKey } from './hover';
import { type Model } from './model';

export const MAX_DRAWN = 8;
const SHOWN_WHEN_CUT = 6;
const NODE_W = 92;
const NODE_H = 46;
const ROW = 74;
const MAX_LABELLED_EDGES = 16;
/** Where along an edge (from its source) its label sits: clear of the crossing in the middle. */
const LABEL_T = 0.27;
/** Advance of one character of a 10.5 px monospace label, slightly generous: widths are estimated
 *  because the diagram is laid out before it is in the document. */
const LABEL_CHAR_W = 6.6;
const LABEL_H = 13;
const MAX_COL_GAP = 330;

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
  const label = (p: ParamInfo) => `${p.name} ${model.f(val(p))}`;

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
  for (const e of edges) if (e.labelled) for (const [, , p] of e.pairs) longest = Math.max(longest, label(p).length);
  const span = (longest * LABEL_CHAR_W / 2 + 6) / LABEL_T;
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

  for (let l = 1; l < layers.length; l++) {
    const { pairs, bundled, labelled } = edges[l - 1];
    for (const [src, dst, p] of pairs) {
      const x1 = src.x + NODE_W, y1 = src.y + NODE_H / 2, x2 = dst.x, y2 = dst.y + NODE_H / 2;
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
        // A label on its edge near the source end, where the edges of one neuron fan apart, on a
        // background that hides the line (and any crossing line) under the text.
        const text = label(p);
        const cx = x1 + (x2 - x1) * LABEL_T, cy = y1 + (y2 - y1) * LABEL_T;
        const w = text.length * LABEL_CHAR_W + 4;
        labelLayer.append(
          svg('rect', { class: 'bp-wlabel-bg', x: (cx - w / 2).toFixed(1), y: (cy - LABEL_H / 2).toFixed(1), width: w.toFixed(1), height: LABEL_H, rx: 3 }),
          keyed(svg('text', { class: 'bp-wlabel', x: cx.toFixed(1), y: (cy + 3.5).toFixed(1), 'text-anchor': 'middle' }, text), paramKey(p.name), false),
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
        group.append(svg('circle', { cx: bx, cy: by, r: 13 }), svg('text', { x: bx, y: by + 4, 'text-anchor': 'middle' }, p.name));
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
      g.append(svg('text', { class: 'bp-nname', x: b.x + NODE_W / 2, y: b.y + 14, 'text-anchor': 'middle' }, b.name));
      if (v && l === 0) g.append(svg('text', { class: 'bp-nval', x: b.x + NODE_W / 2, y: b.y + 32, 'text-anchor': 'middle' }, model.f(v.out)));
      else if (v) {
        g.append(svg('text', { class: 'bp-nval', x: b.x + 6, y: b.y + 28 }, `net ${model.f(v.net)}`));
        g.append(svg('text', { class: 'bp-nval', x: b.x + 6, y: b.y + 40 }, `out ${model.f(v.out)}`));
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

/** A band 12 px wide around an edge: easier to hover than a hairline, and it has an area. */
function hitArea(x1: number, y1: number, x2: number, y2: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const nx = (-(y2 - y1) / len) * 6, ny = ((x2 - x1) / len) * 6;
  return [[x1 + nx, y1 + ny], [x2 + nx, y2 + ny], [x2 - nx, y2 - ny], [x1 - nx, y1 - ny]].map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
}
