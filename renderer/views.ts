/**
 * One output = one trace: a heading that says what ran, the trace's `limits` notes, then the view
 * for its kind. Everything an output needs (its model, tooltip) lives under its own root element.
 */
import type { Inline } from '../src/engine/present/doc';
import { walkForward, walkUpdate, type WalkStep } from '../src/engine/present/walk';
import type { LossTrace, Mode, SampleForward, StepTrace, Trace, TrainTrace, UpdateTrace } from '../src/engine/trace/schema';
import { checkView, gradcheckView } from './check';
import { lossCurve } from './curve';
import { diagram } from './diagram';
import { el } from './dom';
import { fmt } from './format';
import { Hover } from './hover';
import { lazySection, openSection } from './layout';
import { Lazy } from './lazy';
import { Model, sampleList } from './model';
import { Tables } from './tables';
import { formula } from './tex';
import { forwardView, updateView, type Parts, type UpdateView } from './update';
import { walkBar } from './walkbar';

/** Above this many updates per epoch, only the first is opened; the rest build on demand. */
const OPEN_UPDATES = 1;

export interface Rendered {
  hover: Hover;
  dispose(): void;
}

/**
 * The forward passes the outputs of this notebook have shown, by a fingerprint of their values: a
 * `step` whose forward pass an output above already showed collapses it to one line.
 */
export interface Shown {
  has(fingerprint: string): boolean;
  add(fingerprint: string): void;
}

/** Forward passes with the same losses and outputs are the same forward pass. */
export function fingerprint(forward: SampleForward[], loss: LossTrace): string {
  return `${loss.total}|${forward.map((f) => `${f.sample}:${(f.layers[f.layers.length - 1]?.out ?? []).join(',')}`).join(';')}`;
}

export function renderTrace(trace: Trace, root: HTMLElement, shown?: Shown): Rendered {
  root.classList.add('bp-root');
  root.setAttribute('data-kind', trace.kind);
  const model = new Model(trace);
  const hover = new Hover(root, (k, node) => model.describe(k, Number(node.closest('[data-update]')?.getAttribute('data-update') ?? 0)), typeset);
  const lazy = new Lazy(() => hover.changed());
  const parts: Parts = { model, tables: new Tables(model, hover, lazy), hover, lazy };
  const body = el('div', { class: 'bp-body' });
  body.append(el('div', { class: 'bp-summary bp-muted' }, headline(trace)));
  if (trace.limits && (trace.limits.truncated || trace.limits.notes.length)) {
    body.append(el('div', { class: 'bp-notes', role: 'note' }, ...(trace.limits.notes.length ? trace.limits.notes : ['Part of this network or data set is left out of the tables.']).map((n) => el('div', null, n))));
  }
  switch (trace.kind) {
    case 'network':
      if (trace.changes.length) body.append(el('ul', null, ...trace.changes.map((c) => el('li', null, c))));
      body.append(el('h3', null, 'Network'), diagram(model, undefined, undefined));
      break;
    case 'forward': {
      const view = forwardView(trace, parts);
      body.append(walkBar(() => walkForward(model.look, model.notation, trace.forward, model.look.paramValues(), trace.loss), view, model), view.element);
      shown?.add(fingerprint(trace.forward, trace.loss));
      break;
    }
    case 'step':
      body.append(...stepSection(trace, parts, shown));
      break;
    case 'train':
      body.append(...trainSection(trace, parts));
      shown?.add(fingerprint(trace.forward, trace.loss));
      break;
    case 'check':
      body.append(checkView(trace, model));
      break;
    case 'gradcheck':
      body.append(gradcheckView(trace, model, hover));
      break;
    case 'message':
      body.append(el('p', { class: 'bp-message' }, trace.text));
      break;
    default:
      body.append(el('p', { class: 'bp-error' }, `This output has an unknown kind: ${String((trace as { kind: unknown }).kind)}`));
  }
  root.prepend(body);
  lazy.flush();
  hover.changed();
  return { hover, dispose: () => { lazy.dispose(); hover.dispose(); } };
}

/** A tooltip's line: text as text, formulas typeset as in the tables. */
function typeset(line: Inline): Node[] {
  return line.flatMap((p): Node[] => (typeof p === 'string' ? [document.createTextNode(p)] : formula(p, () => undefined)));
}

function modeText(mode: Mode): string {
  return mode.kind === 'minibatch' ? `minibatch ${mode.size}` : mode.kind;
}

const count = (n: number) => Number(n).toLocaleString('en-US');

function headline(trace: Trace): string {
  const n = trace.network;
  const shape = n.layers.map((l) => l.size).join('-');
  const net = `${shape} network, ${count(n.paramCount)} parameter${n.paramCount === 1 ? '' : 's'}, loss ${n.loss}, η = ${fmt(n.rate, 6)}, ${modeText(n.mode)}, ${count(n.sampleCount)} sample${n.sampleCount === 1 ? '' : 's'}`;
  switch (trace.kind) {
    case 'step': return `step — epoch ${count(trace.epoch)} · ${net}`;
    case 'train': return `train ${count(trace.epochsRequested)} — ${count(trace.epochsRun)} epoch${trace.epochsRun === 1 ? '' : 's'} run, now at epoch ${count(trace.epoch)} · ${net}`;
    case 'forward': return `forward · ${net}`;
    case 'check': return `check · ${net}`;
    case 'gradcheck': return `gradcheck · ${net}`;
    case 'network': return net;
    default: return '';
  }
}

/** The diagram, with a sample picker when the trace has values for several samples. */
function diagramFor(model: Model, forwards: SampleForward[], update: UpdateTrace | undefined, hover: Hover, values?: Map<string, number>): HTMLElement {
  const box = el('div', { class: 'bp-diagram-box' });
  const draw = (k: number) => box.replaceChildren(diagram(model, forwards[k], update, values));
  draw(0);
  if (forwards.length <= 1) return box;
  const select = el('select', { 'aria-label': 'sample shown in the diagram' }, ...forwards.map((f, k) => el('option', { value: k }, `sample ${f.sample}`)));
  select.addEventListener('change', () => {
    hover.hide();
    draw(Number(select.value));
    hover.changed();
  });
  return el('div', null, el('label', { class: 'bp-muted bp-picker' }, 'net and out of ', select), box);
}

/**
 * A step: the step-through control, then each update (several in sample and minibatch mode, the
 * later ones built when opened), then E after the epoch.
 */
function stepSection(trace: StepTrace, parts: Parts, shown?: Shown): Node[] {
  const { model, hover } = parts;
  const out: Node[] = [];
  const many = trace.updates.length > 1;
  const views: (UpdateView | undefined)[] = [];
  const sections: HTMLDetailsElement[] = [];
  const first = trace.updates[0];
  const above = first !== undefined && shown?.has(fingerprint(first.forward, first.loss)) === true;
  trace.updates.forEach((u, i) => {
    const make = () => (views[i] = updateView(u, i, parts, above && i === 0)).element;
    if (!many) {
      out.push(make());
      return;
    }
    const title = `Update ${i + 1} of ${trace.updates.length} — sample${u.samples.length > 1 ? 's' : ''} ${sampleList(u.samples)}, E = ${model.f(u.loss.total)}`;
    sections[i] = lazySection(title, make, hover, i < OPEN_UPDATES);
    out.push(sections[i]);
  });
  if (trace.updates.length) {
    let current: UpdateView | undefined;
    const target = {
      show(step: WalkStep) {
        if (sections[step.update]) openSection(sections[step.update]);
        const view = views[step.update];
        if (current !== view) current?.clear();
        current = view;
        view?.show(step);
      },
      clear() { current?.clear(); },
    };
    out.unshift(walkBar(() => trace.updates.flatMap((u, i) => walkUpdate(model.look, model.notation, u, i)), target, model));
  }
  const before = trace.updates[0]?.loss.total;
  const after = el('div', { class: 'bp-summary' }, el('strong', null, `E after epoch ${count(trace.epoch)}: ${model.f(trace.lossAfter)}`));
  if (before !== undefined && trace.updates.length === 1) {
    const change = trace.lossAfter - before;
    after.append(el('span', { class: change <= 0 ? 'bp-ok' : 'bp-bad' }, `  (${change <= 0 ? 'down' : 'up'} from ${model.f(before)}, ${change <= 0 ? '' : '+'}${model.f(change)})`));
  }
  out.push(after);
  return out;
}

function trainSection(trace: TrainTrace, parts: Parts): Node[] {
  const { model, tables, hover, lazy } = parts;
  const out: Node[] = [];
  if (trace.stopped) out.push(el('div', { class: trace.stopped.reason === 'diverged' ? 'bp-notes bp-error' : 'bp-notes', role: 'alert' }, trace.stopped.message));
  const first = trace.lossCurve[0];
  const last = trace.lossCurve[trace.lossCurve.length - 1];
  out.push(el('div', { class: 'bp-summary' }, el('strong', null, `loss ${model.f(first)} → ${model.f(last)}`)));
  out.push(el('h3', null, 'Loss curve'), lossCurve(trace.lossEpochs, trace.lossCurve, model.digits, hover));
  const values = new Map(trace.final.map((f) => [f.name, f.value]));
  out.push(el('h3', null, `After epoch ${count(trace.epoch)}`), diagramFor(model, trace.forward, undefined, hover, values));
  out.push(el('h3', null, 'Final parameters'), tables.finalParams(trace.final));
  out.push(el('h3', null, 'Forward pass at the final weights'), tables.forward(trace.forward, values), el('h3', null, 'Loss'), tables.loss(trace.loss));
  if (trace.snapshots.length) {
    out.push(el('h3', null, 'Snapshots'));
    for (const s of trace.snapshots) {
      out.push(lazySection(`epoch ${count(s.epoch)}: E = ${model.f(s.updates[0]?.loss.total ?? NaN)} → ${model.f(s.lossAfter)}`, () => {
        const sub = new Model(s);
        return el('div', null, ...stepSection(s, { model: sub, tables: new Tables(sub, hover, lazy), hover, lazy }));
      }, hover));
    }
  }
  return out;
}
