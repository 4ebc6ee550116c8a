/**
 * The loss curve of a `train` run: epochs on x, loss on y (linear or log scale), hover or arrow keys
 * show the epoch and loss of the nearest point in the output's tooltip.
 */
import { el, svg } from './dom';
import { fmt } from './format';
import { type Hover } from './hover';
import { epochAxis, linearAxis, logAxis } from './ticks';

const W = 560;
const H = 220;
const PAD = { left: 64, right: 14, top: 12, bottom: 44 };

/** Smallest and largest of many values (no spread into Math.min: a list may be long). */
function range(values: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

export function lossCurve(epochs: number[], losses: number[], digits: number, hover: Hover): HTMLElement {
  const n = Math.min(epochs.length, losses.length);
  const pts: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(losses[i]) && Number.isFinite(epochs[i])) pts.push(i);
  const positive = pts.every((i) => losses[i] > 0);
  const [lo, hi] = range(pts.map((i) => losses[i]));
  let log = positive && pts.length > 1 && hi / lo > 100;
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
    const [x0, x1] = range(pts.map((i) => epochs[i]));
    // The axis spans the losses, not 0 … max: a loss that falls by 2 % is still a visible curve.
    const y = log ? logAxis(lo, hi, H - PAD.bottom, PAD.top) : linearAxis(lo, hi, H - PAD.bottom, PAD.top);
    const x = epochAxis(x0, x1, PAD.left, W - PAD.right);
    xs = pts.map((i) => x.at(epochs[i]));
    ys = pts.map((i) => y.at(losses[i]));
    const root = svg('svg', { class: 'bp-curve', viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', tabindex: 0, 'aria-label': `loss curve over ${x1 - x0} epochs; arrow keys step through the points` });
    for (const t of y.ticks) {
      const at = y.at(t.value);
      root.append(svg('line', { class: 'bp-grid', x1: PAD.left, x2: W - PAD.right, y1: at, y2: at }));
      root.append(svg('text', { class: 'bp-ytick', x: PAD.left - 6, y: at + 3, 'text-anchor': 'end' }, t.label));
    }
    for (const t of x.ticks) {
      const at = x.at(t.value);
      root.append(svg('line', { class: 'bp-tick', x1: at, x2: at, y1: H - PAD.bottom, y2: H - PAD.bottom + 4 }));
      root.append(svg('text', { class: 'bp-xtick', x: at, y: H - PAD.bottom + 15, 'text-anchor': 'middle' }, t.label));
    }
    root.append(svg('line', { class: 'bp-axis', x1: PAD.left, x2: PAD.left, y1: PAD.top, y2: H - PAD.bottom }));
    root.append(svg('line', { class: 'bp-axis', x1: PAD.left, x2: W - PAD.right, y1: H - PAD.bottom, y2: H - PAD.bottom }));
    root.append(svg('text', { x: (W + PAD.left) / 2, y: H - 6, 'text-anchor': 'middle' }, log ? 'epoch (loss on a log scale)' : 'epoch'));
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
