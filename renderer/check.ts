/**
 * `check` and `gradcheck` outputs: each written value against the exact one, and for a wrong
 * gradient its chain-rule factors with the factor the diagnosis blames outlined.
 */
import type { CheckLine, CheckTrace, GradcheckTrace } from '../src/engine/trace/schema';
import { checkScope } from '../src/engine/trace/schema';
import { el } from './dom';
import { fmt } from './format';
import { digitsBeside } from '../src/engine/language/numbers';
import { parseQuantity } from '../src/engine/language/quantities';
import { keyed, paramKey, neuronKey, type Hover } from './hover';
import { groupedTable } from './layout';
import { type Model } from './model';

/**
 * The parameter or neuron a quantity such as `dE/dw5`, `out(h1)[2]` or `w5'` is about, if any, read
 * by the cell language's own quantity parser.
 */
export function quantityKey(q: string, model: Model): string | undefined {
  const parsed = parseQuantity(q);
  if ('code' in parsed) return undefined;
  if ('neuron' in parsed && parsed.neuron !== undefined && model.look.neuron(parsed.neuron)) return neuronKey(parsed.neuron);
  if ('param' in parsed && model.look.param(parsed.param)) return paramKey(parsed.param);
  return undefined;
}

/** Significant digits the student wrote, so the exact value is shown with at least as many. */
export function checkView(trace: CheckTrace, model: Model): HTMLElement {
  const out = el('div', { class: 'bp-check' });
  const blanks = trace.lines.filter((l) => l.blank).length;
  const answered = trace.passed + trace.failed;
  const verdict = answered === 0 && blanks ? el('span', { class: 'bp-muted' }, `${blanks} not answered yet`)
    : trace.failed === 0 ? el('span', { class: 'bp-ok' }, `✓ all ${trace.passed} checks passed`) : el('span', { class: 'bp-bad' }, `✗ ${trace.failed} of ${answered} checks failed`);
  const open = blanks && answered ? el('span', { class: 'bp-muted' }, ` · ${blanks} not answered yet`) : '';
  out.append(el('div', { class: 'bp-summary' }, verdict, open, ' ', el('span', { class: 'bp-muted' }, checkScope(trace))));
  for (const line of trace.lines) out.append(checkLine(line, model));
  return out;
}

function checkLine(line: CheckLine, model: Model): HTMLElement {
  if (line.blank) {
    return el('div', { class: 'bp-check-line', 'data-blank': 'true' }, el('span', { class: 'bp-muted', 'aria-label': 'not answered yet' }, '?'), ' ',
      el('code', null, line.quantity), ' = ?', el('span', { class: 'bp-muted' }, `  (line ${line.line}) not answered yet`));
  }
  const mark = line.ok ? el('span', { class: 'bp-ok', 'aria-label': 'correct' }, '✓') : el('span', { class: 'bp-bad', 'aria-label': 'wrong' }, '✗');
  const key = quantityKey(line.quantity, model);
  const q = el('code', null, line.quantity);
  if (key) keyed(q, key);
  const tol = `± ${fmt(line.tolerance, 2)}`;
  const head = el('div', { class: 'bp-check-line', 'data-ok': String(line.ok) }, mark, ' ', q, ' = ', el('code', null, line.writtenText),
    el('span', { class: 'bp-muted' }, `  (line ${line.line}; accepted ${tol})`), '   exact: ', el('code', { class: 'bp-exact' }, fmt(line.exact, digitsBeside(line.writtenText, model.digits))));
  const box = el('div', null, head);
  if (!line.ok && line.diagnosis) box.append(el('div', { class: 'bp-factors bp-diagnosis' }, line.diagnosis));
  if (!line.ok && line.factors?.length) {
    const list = el('div', { class: 'bp-factors' }, el('span', { class: 'bp-muted' }, 'chain-rule factors: '));
    line.factors.forEach((f, i) => {
      if (i > 0) list.append(' × ');
      const item = el('span', { class: f.suspect ? 'bp-factor bp-suspect' : 'bp-factor', title: f.quantity, 'data-suspect': String(f.suspect) }, `${f.label} = ${model.f(f.exact)}`);
      if (f.written !== undefined) item.append(el('span', { class: f.ok ? 'bp-ok' : 'bp-bad' }, ` (you: ${String(f.written)} ${f.ok ? '✓' : '✗'})`));
      if (f.suspect) item.append(el('span', { class: 'bp-bad' }, ' ← check this factor'));
      list.append(item);
    });
    box.append(list);
  }
  return box;
}

export function gradcheckView(trace: GradcheckTrace, model: Model, hover: Hover): HTMLElement {
  const verdict = trace.ok
    ? el('span', { class: 'bp-ok' }, `✓ analytic and numeric gradients agree (largest relative error ${fmt(trace.maxRelativeError, 3)})`)
    : el('span', { class: 'bp-bad' }, `✗ gradients disagree (largest relative error ${fmt(trace.maxRelativeError, 3)})`);
  const rows = trace.rows;
  const table = groupedTable(['parameter', 'analytic ∂E/∂p', 'numeric (central difference)', 'relative error', ''], [{
    title: 'parameters', rows: rows.length, open: true,
    build: (a, b) => rows.slice(a, b).map((r) => keyed(el('tr', null,
      el('td', null, r.name),
      el('td', { class: 'bp-num' }, model.f(r.analytic)),
      el('td', { class: 'bp-num' }, model.f(r.numeric)),
      el('td', { class: 'bp-num' }, fmt(r.relativeError, 3)),
      el('td', null, r.ok ? el('span', { class: 'bp-ok' }, '✓') : el('span', { class: 'bp-bad' }, '✗'))), paramKey(r.name))),
  }], hover, 'gradient check');
  return el('div', null, el('div', { class: 'bp-summary' }, verdict, el('span', { class: 'bp-muted' }, `  ε = ${fmt(trace.epsilon, 3)}`)), table);
}
