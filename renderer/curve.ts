/**
 * The loss curve of a `train` run: epochs on x, loss on y (linear or log scale), hover or arrow keys
 * show the epoch and loss of the nearest point in the output's tooltip.
 */
import { el, svg } from './dom';
import { fmt } from './format';
import { type Hover } from './hover';

const W = 560;
const H = 220;
const PAD = { left: 64, right: 14, top: 12, bottom: 30 };

export function lossCurve(epochs: number[], losses: number[], digits: number, hover: Hover): HTMLElement {
  const n = Math.min(epochs.length, losses.length);
  const pts = [...Array(n).keys()].filter((i) => Number.isFinite(losses[i]));
  const positive = pts.every((i) => losses[i] > 0);
  let log = positive && pts.length > 1 && Math.max(...pts.map((i) => losses[i])) / Math.min(...pts.map((i) => losses[i])) > 100;
  const box = el('div', { class: 'bp-curve-box' });
  const toggle = el('input', { type: 'checkbox', 'aria-label': 'logarithmic loss axis' });
  toggle.checked = log;
  toggle.disabled = !positive;
  const label = el('label', { class: 'bp-muted' }, toggle, ' log scale');
  const chart = el('div');
  box.append(chart, label);
  let active = -1;
  let xs: number[] = [];
  let ys: number[] = [];

  const draw = () => {
    const ex = pts.map((i) => epochs[i]);
    const ly = pts.map((i) => (log ? Math.log10(losses[i]) : losses[i]));
    const x0 = Math.min(...ex), x1 = Math.max(...ex);
    let y0 = Math.min(...ly), y1 = Math.max(...ly);
    // The axis spans the losses, not 0 … max: a loss that falls by 2 % is still a visible curve.
    const ticks = log ? decadeTicks(y0, y1) : roundTicks(y0, y1);
    if (ticks && !log) { y0 = Math.min(y0, ticks.values[0]); y1 = Math.max(y1, ticks.values[ticks.values.length - 1]); }
    if (y1 === y0) { y1 += log ? 1 : Math.abs(y1) || 1; y0 -= log ? 1 : 0; }
    const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
    const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
    xs = ex.map(sx);
    ys = ly.map(sy);
    const root = svg('svg', { class: 'bp-curve', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', tabindex: 0, 'aria-label': `loss curve over ${x1 - x0} epochs; arrow keys step through the points` });
    const gridlines = ticks
      ? ticks.values.map((v) => [v, ticks.label(v)] as const)
      : [0, 1, 2, 3, 4].map((k) => y0 + ((y1 - y0) * k) / 4).map((v) => [v, fmt(log ? 10 ** v : v, 3)] as const);
    for (const [yv, text] of gridlines) {
      const y = sy(yv);
      root.append(svg('line', { class: 'bp-grid', x1: PAD.left, x2: W - PAD.right, y1: y, y2: y }));
      root.append(svg('text', { class: 'bp-ytick', x: PAD.left - 6, y: y + 3, 'text-anchor': 'end' }, text));
    }
    root.append(svg('line', { class: 'bp-axis', x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: H - PAD.bottom }));
    root.append(svg('line', { class: 'bp-axis', x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom }));
    root.append(svg('text', { x: PAD.left, y: H - 10, 'text-anchor': 'start' }, `epoch ${x0}`));
    root.append(svg('text', { x: W - PAD.right, y: H - 10, 'text-anchor': 'end' }, `${x1}`));
    root.append(svg('text', { x: (W + PAD.left) / 2, y: H - 10, 'text-anchor': 'middle' }, log ? 'epoch (loss on a log scale)' : 'epoch'));
    root.append(svg('polyline', { class: 'bp-line', points: xs.map((x, i) => `${x.toFixed(1)},${ys[i].toFixed(1)}`).join(' ') }));
    const dot = svg('circle', { class: 'bp-dot', r: 4, cx: -10, cy: -10 });
    root.append(dot);
    const overlay = svg('rect', { x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom, fill: 'transparent' });
    root.append(overlay);
    const show = (k: number) => {
      active = k;
      dot.setAttribute('cx', xs[k].toFixed(1));
      dot.setAttribute('cy', ys[k].toFixed(1));
      const i = pts[k];
      const r = root.getBoundingClientRect();
      const scale = r.width / W;
      hover.showAt({ title: `epoch ${epochs[i]}`, rows: [`loss = ${fmt(losses[i], digits)}`] }, r.left + xs[k] * scale, r.top + ys[k] * scale);
    };
    overlay.addEventListener('mousemove', (e) => {
      const r = root.getBoundingClientRect();
      const x = ((e.clientX - r.left) / r.width) * W;
      let best = 0;
      for (let k = 1; k < xs.length; k++) if (Math.abs(xs[k] - x) < Math.abs(xs[best] - x)) best = k;
      show(best);
    });
    overlay.addEventListener('mouseleave', () => hover.hide());
    root.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        e.preventDefault();
        show(Math.max(0, Math.min(xs.length - 1, (active < 0 ? 0 : active) + (e.key === 'ArrowRight' ? 1 : -1))));
      }
    });
    root.addEventListener('focus', () => show(active < 0 ? xs.length - 1 : active));
    root.addEventListener('blur', () => hover.hide());
    chart.replaceChildren(root);
  };
  if (pts.length === 0) {
    box.replaceChildren(el('div', { class: 'bp-muted' }, 'no finite loss values to plot'));
    return box;
  }
  toggle.addEventListener('change', () => { log = toggle.checked; draw(); });
  draw();
  return box;
}

/** Evenly spaced round values (a step of 1, 2 or 5 × 10^k) covering [lo, hi], about four intervals,
 *  labelled with just the decimals the step needs, so neighbouring labels never read the same. */
export function roundTicks(lo: number, hi: number): { values: number[]; label: (v: number) => string } | undefined {
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return undefined;
  const raw = (hi - lo) / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step), last = Math.ceil(hi / step);
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(k * step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const label = (v: number) => (Math.abs(v) >= 1e6 || decimals > 8 ? fmt(v, 3) : v.toFixed(decimals));
  return { values, label };
}

/** On a log axis (values are log10 of the loss): the powers of ten inside [lo, hi], when there are
 *  at least two of them; otherwise undefined (evenly spaced labels instead). */
export function decadeTicks(lo: number, hi: number): { values: number[]; label: (v: number) => string } | undefined {
  const first = Math.ceil(lo - 1e-9), last = Math.floor(hi + 1e-9);
  if (!(last - first >= 1) || last - first > 40) return undefined;
  const values: number[] = [];
  for (let k = first; k <= last; k++) values.push(k);
  const label = (k: number) => (k >= 0 && k < 6 ? String(10 ** k) : k < 0 && k > -6 ? (10 ** k).toFixed(-k) : `1e${k}`);
  return { values, label };
}
