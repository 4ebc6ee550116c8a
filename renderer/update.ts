/**
 * One update of a `step` as a worked solution: the diagram, the forward pass and loss (collapsed to
 * one line when an output above already showed them), the backward pass through the neurons, each
 * parameter's gradient and the update. A batch shows one sample at a time — a switcher above the
 * diagram picks it for the diagram and every per-sample table — and the sums over the batch.
 * `show` puts a step of the step-through on the page: its sample, its row highlighted with the
 * formula so far below it, and its neurons and edges highlighted in the diagram.
 */
import { eq } from '../src/engine/present/formula';
import { mathText } from '../src/engine/present/notation';
import type { WalkStep } from '../src/engine/present/walk';
import type { ForwardTrace, UpdateTrace } from '../src/engine/trace/schema';
import { diagram } from './diagram';
import { el } from './dom';
import { KEY_ATTR, neuronKey, paramKey, type Hover } from './hover';
import { lazySection, openSection } from './layout';
import type { Lazy } from './lazy';
import type { Model } from './model';
import { TABLE_LABELS, type Tables } from './tables';
import { chainBox } from './tex';

export interface Parts {
  model: Model;
  tables: Tables;
  hover: Hover;
  lazy: Lazy;
}

export interface UpdateView {
  element: HTMLElement;
  /** Shows a step of the step-through (of this update). */
  show(step: WalkStep): void;
  /** Takes every highlight of the step-through away. */
  clear(): void;
}

/** The line that stands for the forward pass and loss of an update. */
function forwardTitle(model: Model, u: UpdateTrace, above: boolean): string {
  return `${above ? 'Forward pass as above' : 'Forward pass and loss'}: E = ${model.f(u.loss.total)}`;
}

export function updateView(u: UpdateTrace, index: number, parts: Parts, forwardAbove: boolean): UpdateView {
  const { model, tables, hover } = parts;
  const values = model.look.paramValues(u);
  const samples = u.forward.map((f) => f.sample);
  const many = samples.length > 1;
  const boxes = { diagram: el('div', { class: 'bp-diagram-box' }), forward: el('div'), neurons: el('div'), gradients: el('div') };
  const forward = lazySection(forwardTitle(model, u, forwardAbove), () => boxes.forward, hover, !forwardAbove);
  forward.classList.add('bp-forward');
  const switcher = sampleSwitch(samples.length ? samples : u.samples.slice(0, 1), (sample) => {
    const fw = u.forward.find((f) => f.sample === sample) ?? u.forward[0];
    boxes.diagram.replaceChildren(diagram(model, fw, u, values));
    boxes.forward.replaceChildren(
      tables.forward(fw ? [fw] : [], values),
      el('h4', null, 'Loss'), tables.loss(u.loss, many ? sample : undefined),
    );
    boxes.neurons.replaceChildren(tables.neurons(u, many ? sample : undefined));
    boxes.gradients.replaceChildren(tables.params(u, sample));
  }, parts);
  const element = el('div', { 'data-update': index },
    switcher.element,
    boxes.diagram,
    forward,
    el('h3', null, 'Backward pass: neurons'), boxes.neurons,
    el('h3', null, many ? 'Backward pass: gradients of the sample shown, then summed over the batch' : 'Backward pass: gradients'), boxes.gradients,
    el('h3', null, 'Update'), tables.updates(u),
  );
  const spot = new Spotlight(element, parts);
  const show = (step: WalkStep) => {
    switcher.goTo(step.sample);
    if (step.table === 'forward' || step.table === 'loss') openSection(forward);
    spot.show(step);
  };
  return { element, show, clear: () => spot.clear() };
}

/** A `forward` output: its diagram, forward table and loss, one sample at a time. */
export function forwardView(trace: ForwardTrace, parts: Parts): UpdateView {
  const { model, tables } = parts;
  const many = trace.forward.length > 1;
  const box = el('div');
  const switcher = sampleSwitch(trace.forward.map((f) => f.sample), (sample) => {
    const fw = trace.forward.find((f) => f.sample === sample) ?? trace.forward[0];
    box.replaceChildren(
      el('div', { class: 'bp-diagram-box' }, diagram(model, fw, undefined, undefined)),
      el('h3', null, 'Forward pass'), tables.forward(fw ? [fw] : []),
      el('h3', null, 'Loss'), tables.loss(trace.loss, many ? sample : undefined),
    );
  }, parts);
  const element = el('div', null, switcher.element, box);
  const spot = new Spotlight(element, parts);
  return { element, show: (step) => { switcher.goTo(step.sample); spot.show(step); }, clear: () => spot.clear() };
}

/**
 * One sample at a time: `draw(s)` fills what shows sample s; with several samples, a switcher
 * picks it (and the step-through moves it to the sample of its step).
 */
function sampleSwitch(samples: number[], draw: (s: number) => void, parts: Parts): { element: HTMLElement | null; goTo(s: number): void } {
  let current = samples[0] ?? 1;
  const redraw = (s: number) => {
    current = s;
    draw(s);
    parts.hover.changed();
  };
  redraw(current);
  if (samples.length <= 1) return { element: null, goTo: () => undefined };
  const select = el('select', { 'aria-label': 'sample shown in the diagram and the tables' }, ...samples.map((s) => el('option', { value: s }, `sample ${s}`)));
  select.addEventListener('change', () => {
    parts.hover.hide();
    redraw(Number(select.value));
    parts.lazy.flush();
  });
  const element = el('label', { class: 'bp-muted bp-picker' }, `${samples.length} samples; shown: `, select, ' (the sums are over all of them)');
  return {
    element,
    goTo(s) {
      if (s === current) return;
      select.value = String(s);
      redraw(s);
    },
  };
}

/** The highlights of one step of the step-through: its row, the formula so far, the diagram. */
class Spotlight {
  private lit: Element[] = [];
  private added: Element | undefined;

  constructor(private readonly container: Element, private readonly parts: Parts) {}

  clear(): void {
    for (const n of this.lit) n.classList.remove('bp-walk', 'bp-now');
    this.lit = [];
    this.added?.remove();
    this.added = undefined;
    this.container.querySelector('svg.bp-diagram')?.classList.remove('bp-walking');
  }

  show(step: WalkStep): void {
    this.clear();
    const svgEl = this.container.querySelector('svg.bp-diagram');
    svgEl?.classList.add('bp-walking');
    const keys = [...step.neurons.map(neuronKey), ...step.params.map(paramKey)];
    for (const k of keys) this.lit.push(...(svgEl?.querySelectorAll(`[${KEY_ATTR}="${CSS.escape(k)}"]`) ?? []));
    for (const n of this.lit) n.classList.add('bp-walk');
    const row = rowOf(this.container, step);
    if (row) {
      this.parts.lazy.fillWithin(row);
      row.classList.add('bp-now');
      this.lit.push(row);
      this.added = nowRow(row, step, this.parts.model);
    }
    this.parts.hover.changed();
  }
}

/** The table row (or the loss total) that holds a step's quantity. */
function rowOf(container: Element, step: WalkStep): HTMLElement | undefined {
  if (step.row === null) return container.querySelector<HTMLElement>('.bp-total') ?? undefined;
  const perSample = step.table === 'forward' || step.table === 'loss' || step.table === 'neurons';
  const key = perSample ? neuronKey(step.row) : paramKey(step.row);
  const table = container.querySelector(`[aria-label="${TABLE_LABELS[step.table]}"]`);
  const row = `tr[${KEY_ATTR}="${CSS.escape(key)}"]`;
  return table?.querySelector<HTMLElement>(perSample ? `${row}[data-sample="${step.sample}"]` : row) ?? table?.querySelector<HTMLElement>(row) ?? undefined;
}

/** The formula so far, in a row of its own below the step's row (or below the loss total). */
function nowRow(row: HTMLElement, step: WalkStep, model: Model): Element {
  const box = chainBox(step.formula, model.keyOf, 'bp-formula');
  const label = el('div', { class: 'bp-muted' }, step.what);
  if (row instanceof HTMLTableRowElement) {
    const tr = el('tr', { class: 'bp-now-row' }, el('td', { colspan: row.cells.length }, label, box));
    row.after(tr);
    return tr;
  }
  const div = el('div', { class: 'bp-now-row' }, label, box);
  row.after(div);
  return div;
}

/** A step's announcement: where it is, what it computes, and the value so far. */
export function announce(step: WalkStep, k: number, n: number): string {
  const f = step.formula;
  return `${k + 1} of ${n}: ${step.what}${f.length ? `: ${mathText(eq(f[0], f[f.length - 1]))}` : ''}`;
}
