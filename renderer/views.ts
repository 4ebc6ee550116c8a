/**
 * One output = one trace: a heading that says what ran, the trace's `limits` notes, then the view
 * for its kind. Everything an output needs (its model, tooltip) lives under its own root element.
 */
import type { ForwardTrace, Mode, SampleForward, StepTrace, Trace, TrainTrace, UpdateTrace } from '../src/engine/trace/schema';
import { checkView, gradcheckView } from './check';
import { lossCurve } from './curve';
import { diagram } from './diagram';
import { el } from './dom';
import { fmt } from './format';
import { Hover } from './hover';
import { lazySection } from './layout';
import { Model, sampleList } from './model';
import { Tables } from './tables';

/** Above this many updates per epoch, only the first is opened; the rest build on demand. */
const OPEN_UPDATES = 1;

export interface Rendered {
  hover: Hover;
}

export function renderTrace(trace: Trace, root: HTMLElement): Rendered {
  root.classList.add('bp-root');
  root.setAttribute('data-kind', trace.kind);
  const model = new Model(trace);
  const hover = new Hover(root, (k, node) => model.describe(k, Number(node.closest('[data-update]')?.getAttribute('data-update') ?? 0)));
  const tables = new Tables(model, hover);
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
    case 'forward':
      body.append(...forwardSection(trace, model, tables, hover));
      break;
    case 'step':
      body.append(...stepSection(trace, model, tables, hover));
      break;
    case 'train':
      body.append(...trainSection(trace, model, tables, hover));
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
  hover.changed();
  return { hover };
}

function modeText(mode: Mode): string {
  return mode.kind === 'minibatch' ? `minibatch ${mode.size}` : mode.kind;
}

function headline(trace: Trace): string {
  const n = trace.network;
  const shape = n.layers.map((l) => l.size).join('-');
  const net = `${shape} network, ${n.paramCount} parameter${n.paramCount === 1 ? '' : 's'}, loss ${n.loss}, η = ${fmt(n.rate, 6)}, ${modeText(n.mode)}, ${n.sampleCount} sample${n.sampleCount === 1 ? '' : 's'}`;
  switch (trace.kind) {
    case 'step': return `step — epoch ${trace.epoch} · ${net}`;
    case 'train': return `train ${trace.epochsRequested} — ${trace.epochsRun} epoch${trace.epochsRun === 1 ? '' : 's'} run, now at epoch ${trace.epoch} · ${net}`;
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

function forwardSection(trace: ForwardTrace, model: Model, tables: Tables, hover: Hover): Node[] {
  return [
    el('h3', null, 'Network'), diagramFor(model, trace.forward, undefined, hover),
    el('h3', null, 'Forward pass'), tables.forward(trace.forward),
    el('h3', null, 'Loss'), tables.loss(trace.loss),
  ];
}

function updateSection(u: UpdateTrace, model: Model, tables: Tables, hover: Hover, values: Map<string, number> | undefined): Node[] {
  return [
    diagramFor(model, u.forward, u, hover, values),
    el('h3', null, 'Forward pass'), tables.forward(u.forward, values),
    el('h3', null, 'Loss'), tables.loss(u.loss),
    el('h3', null, 'Backward pass: neurons'), tables.neurons(u),
    el('h3', null, 'Backward pass: gradients'), tables.params(u),
    el('h3', null, 'Update'), tables.updates(u),
  ];
}

function stepSection(trace: StepTrace, model: Model, tables: Tables, hover: Hover): Node[] {
  const out: Node[] = [];
  const many = trace.updates.length > 1;
  trace.updates.forEach((u, i) => {
    const values = model.look.paramValues(u);
    if (!many) {
      out.push(...updateSection(u, model, tables, hover, values));
      return;
    }
    const title = `Update ${i + 1} of ${trace.updates.length} — sample${u.samples.length > 1 ? 's' : ''} ${sampleList(u.samples)}, E = ${model.f(u.loss.total)}`;
    out.push(lazySection(title, () => el('div', { 'data-update': i }, ...updateSection(u, model, tables, hover, values)), hover, i < OPEN_UPDATES));
  });
  const before = trace.updates[0]?.loss.total;
  const after = el('div', { class: 'bp-summary' }, el('strong', null, `E after epoch ${trace.epoch}: ${model.f(trace.lossAfter)}`));
  if (before !== undefined && trace.updates.length === 1) {
    const change = trace.lossAfter - before;
    after.append(el('span', { class: change <= 0 ? 'bp-ok' : 'bp-bad' }, `  (${change <= 0 ? 'down' : 'up'} from ${model.f(before)}, ${change <= 0 ? '' : '+'}${model.f(change)})`));
  }
  out.push(after);
  return out;
}

function trainSection(trace: TrainTrace, model: Model, tables: Tables, hover: Hover): Node[] {
  const out: Node[] = [];
  if (trace.stopped) out.push(el('div', { class: trace.stopped.reason === 'diverged' ? 'bp-notes bp-error' : 'bp-notes', role: 'alert' }, trace.stopped.message));
  const first = trace.lossCurve[0];
  const last = trace.lossCurve[trace.lossCurve.length - 1];
  out.push(el('div', { class: 'bp-summary' }, el('strong', null, `loss ${model.f(first)} → ${model.f(last)}`)));
  out.push(el('h3', null, 'Loss curve'), lossCurve(trace.lossEpochs, trace.lossCurve, model.digits, hover));
  const values = new Map(trace.final.map((f) => [f.name, f.value]));
  out.push(el('h3', null, `After epoch ${trace.epoch}`), diagramFor(model, trace.forward, undefined, hover, values));
  out.push(el('h3', null, 'Final parameters'), tables.finalParams(trace.final));
  out.push(el('h3', null, 'Forward pass at the final weights'), tables.forward(trace.forward, values), el('h3', null, 'Loss'), tables.loss(trace.loss));
  if (trace.snapshots.length) {
    out.push(el('h3', null, 'Snapshots'));
    for (const s of trace.snapshots) {
      out.push(lazySection(`epoch ${s.epoch}: E = ${model.f(s.updates[0]?.loss.total ?? NaN)} → ${model.f(s.lossAfter)}`, () => {
        const sub = new Model(s);
        return el('div', null, ...stepSection(s, sub, new Tables(sub, hover), hover));
      }, hover));
    }
  }
  return out;
}
