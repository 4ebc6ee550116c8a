/**
 * The notebook's sample set: gathered from `sample` lines and `data` tables, then bound to a
 * network's input and output neurons (which is where "sample 2 lacks input i2" is found).
 */
import { DiagnosticList, lineIndexOf, type Diagnostic, type LineIndex } from './diagnostics';
import { LIMITS } from './limits';
import type { DiagnosticArgs } from './messages';
import type { NetworkModel } from './model';
import { nearestName } from '../language/names';
import type { Span, Statement } from '../language/syntax';

export interface SampleSet {
  count: number;
  inNames: string[];
  outNames: string[];
  /** Row-major by inNames / outNames; NaN where a sample does not give that name. */
  inputs: Float64Array;
  targets: Float64Array;
  /** Cell line and span of each sample, for error positions (in the cell that declared them). */
  lines: Int32Array;
  spans: Int32Array;
  /** Where each name was first written. */
  nameSpans: Map<string, Span>;
}

/** Samples in the network's order, ready for the trainer. */
export interface BoundSamples {
  count: number;
  inputs: Float64Array;
  targets: Float64Array;
}

type SampleStatement = Statement & { kind: 'sample' | 'data' };

/** The columns of a sample set as they are found: each name an input or a target, once. */
class Columns {
  readonly inNames: string[] = [];
  readonly outNames: string[] = [];
  readonly inCol = new Map<string, number>();
  readonly outCol = new Map<string, number>();
  readonly nameSpans = new Map<string, Span>();

  constructor(private readonly errors: DiagnosticList) {}

  add(name: string, span: Span, isInput: boolean): void {
    const [cols, names, other] = isInput ? [this.inCol, this.inNames, this.outCol] : [this.outCol, this.outNames, this.inCol];
    if (cols.has(name)) return;
    if (other.has(name)) { this.errors.add(span, 'sample-name-side', { name, side: isInput ? 'target' : 'input' }); return; }
    cols.set(name, names.length);
    names.push(name);
    this.nameSpans.set(name, span);
  }

  /** Each name once in one sample line or header. */
  once(names: { name: string; span: Span }[], code: 'sample-name-twice' | 'header-name-twice'): void {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n.name)) this.errors.add(n.span, code, { name: n.name });
      seen.add(n.name);
    }
  }
}

/** The sample set a cell declares, or undefined when it declares none. `source`: the cell's text or its index. */
export function collectSamples(source: string | LineIndex, statements: Statement[], errors: Diagnostic[]): SampleSet | undefined {
  const ss = statements.filter((s): s is SampleStatement => s.kind === 'sample' || s.kind === 'data');
  if (ss.length === 0) return undefined;
  const list = new DiagnosticList(lineIndexOf(source));
  const cols = new Columns(list);
  let count = 0;
  for (const s of ss) {
    if (s.kind === 'sample') {
      cols.once([...s.inputs, ...s.targets].map((p) => ({ name: p.name.name, span: p.name })), 'sample-name-twice');
      s.inputs.forEach((p) => cols.add(p.name.name, p.name, true));
      s.targets.forEach((p) => cols.add(p.name.name, p.name, false));
      count++;
    } else {
      cols.once([...s.inputs, ...s.targets].map((n) => ({ name: n.name, span: n })), 'header-name-twice');
      s.inputs.forEach((n) => cols.add(n.name, n, true));
      s.targets.forEach((n) => cols.add(n.name, n, false));
      count += s.rows.count;
    }
  }
  const width = cols.inNames.length + cols.outNames.length;
  if (count > LIMITS.maxSamples || count * width > LIMITS.maxSampleValues) {
    list.add(ss[0], 'too-many-samples', { count, width, maxSamples: LIMITS.maxSamples, maxValues: LIMITS.maxSampleValues });
    errors.push(...list.finish());
    return undefined;
  }
  errors.push(...list.finish());
  return fillSamples(ss, cols, count);
}

function fillSamples(ss: SampleStatement[], cols: Columns, count: number): SampleSet {
  const { inNames, outNames, inCol, outCol, nameSpans } = cols;
  const set: SampleSet = {
    count, inNames, outNames,
    inputs: new Float64Array(count * inNames.length).fill(NaN),
    targets: new Float64Array(count * outNames.length).fill(NaN),
    lines: new Int32Array(count), spans: new Int32Array(2 * count), nameSpans,
  };
  let k = 0;
  const ni = inNames.length;
  const no = outNames.length;
  for (const s of ss) {
    if (s.kind === 'sample') {
      for (const p of s.inputs) if (inCol.has(p.name.name)) set.inputs[k * ni + inCol.get(p.name.name)!] = p.value;
      for (const p of s.targets) if (outCol.has(p.name.name)) set.targets[k * no + outCol.get(p.name.name)!] = p.value;
      set.lines[k] = s.line; set.spans[2 * k] = s.start; set.spans[2 * k + 1] = s.end;
      k++;
      continue;
    }
    const ic = s.inputs.map((n) => inCol.get(n.name) ?? -1);
    const oc = s.targets.map((n) => outCol.get(n.name) ?? -1);
    const { values, lines, spans } = s.rows;
    const width = ic.length + oc.length;
    for (let r = 0; r < s.rows.count; r++, k++) {
      for (let c = 0; c < ic.length; c++) if (ic[c] >= 0) set.inputs[k * ni + ic[c]] = values[r * width + c];
      for (let c = 0; c < oc.length; c++) if (oc[c] >= 0) set.targets[k * no + oc[c]] = values[r * width + ic.length + c];
      set.lines[k] = lines[r]; set.spans[2 * k] = spans[2 * r]; set.spans[2 * k + 1] = spans[2 * r + 1];
    }
  }
  return set;
}

/**
 * The set in the network's order. `here` is true when the samples were declared in the cell being
 * checked (errors point at them); otherwise errors point at `fallback` and say the samples are older.
 */
export function bindSamples(
  source: string | LineIndex, set: SampleSet, model: NetworkModel, here: boolean, fallback: Span, errors: Diagnostic[],
): BoundSamples | undefined {
  const list = new DiagnosticList(lineIndexOf(source));
  const at = (span: Span | undefined) => (here && span ? span : fallback);
  const earlier: DiagnosticArgs = here ? {} : { earlier: 1 };
  const netIn = model.inputNames;
  const netOut = model.outputNames;
  const inSet = new Set(netIn);
  const outSet = new Set(netOut);
  for (const n of set.inNames) if (!inSet.has(n)) {
    if (outSet.has(n)) list.add(at(set.nameSpans.get(n)), 'output-as-input', { name: n, ...earlier });
    else list.add(at(set.nameSpans.get(n)), 'not-a-network-input', () => ({ name: n, ...hint(n, netIn), ...earlier }));
  }
  for (const n of set.outNames) if (!outSet.has(n)) {
    if (inSet.has(n)) list.add(at(set.nameSpans.get(n)), 'input-as-target', { name: n, ...earlier });
    else list.add(at(set.nameSpans.get(n)), 'not-a-network-output', () => ({ name: n, ...hint(n, netOut), ...earlier }));
  }
  const bound = bindRows(set, netIn, netOut, (k, inputs, targets, more) => {
    const cellLine: DiagnosticArgs = here ? {} : { cellLine: set.lines[k] };
    list.add(at({ start: set.spans[2 * k], end: set.spans[2 * k + 1] }), 'sample-lacks', { sample: k + 1, inputs, targets, more, ...cellLine, ...earlier });
  });
  errors.push(...list.finish());
  return list.count ? undefined : bound;
}

/** Samples reported as lacking some value, at most; and names listed per sample, at most. */
const MAX_LACKING = 20;
const MAX_LACKS = 8;

/** Copies the set into the network's order, calling `lacks` for the first samples that miss a value. */
function bindRows(
  set: SampleSet, netIn: string[], netOut: string[],
  lacks: (k: number, inputs: string[], targets: string[], more: number) => void,
): BoundSamples {
  const ni = set.inNames.length;
  const no = set.outNames.length;
  const inCol = netIn.map((n) => set.inNames.indexOf(n));
  const outCol = netOut.map((n) => set.outNames.indexOf(n));
  const inputs = new Float64Array(set.count * netIn.length);
  const targets = new Float64Array(set.count * netOut.length);
  let reported = 0;
  for (let k = 0; k < set.count; k++) {
    const missIn: string[] = [];
    const missOut: string[] = [];
    let missing = 0;
    netIn.forEach((n, c) => {
      const v = inCol[c] < 0 ? NaN : set.inputs[k * ni + inCol[c]];
      if (!Number.isNaN(v)) inputs[k * netIn.length + c] = v;
      else if (missing++ < MAX_LACKS) missIn.push(n);
    });
    netOut.forEach((n, c) => {
      const v = outCol[c] < 0 ? NaN : set.targets[k * no + outCol[c]];
      if (!Number.isNaN(v)) targets[k * netOut.length + c] = v;
      else if (missing++ < MAX_LACKS) missOut.push(n);
    });
    // A sample written for another network may lack hundreds of inputs: name the first few.
    if (missing && reported++ < MAX_LACKING) lacks(k, missIn, missOut, missing > MAX_LACKS ? missing - MAX_LACKS : 0);
  }
  return { count: set.count, inputs, targets };
}

/** The nearest of `names` to `name`, or the first few of them when none is close. */
function hint(name: string, names: string[]): { near: string } | { names: string[]; more: number } {
  const near = nearestName(name, names);
  return near !== undefined ? { near } : { names: names.slice(0, 8), more: names.length > 8 ? 1 : 0 };
}
