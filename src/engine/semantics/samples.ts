/**
 * The notebook's sample set: gathered from `sample` lines and `data` tables, then bound to a
 * network's input and output neurons (which is where "sample 2 lacks input i2" is found).
 */
import { diagnostic, type Diagnostic } from './diagnostics';
import { LIMITS } from './limits';
import type { NetworkModel } from './model';
import { nearestName } from '../language/names';
import type { Span, Statement } from '../language/parser';

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

type SampleStatement = Extract<Statement, { kind: 'sample' | 'data' }>;

/** The sample set a cell declares, or undefined when it declares none. */
export function collectSamples(text: string, statements: Statement[], errors: Diagnostic[]): SampleSet | undefined {
  const ss = statements.filter((s): s is Statement & SampleStatement => s.kind === 'sample' || s.kind === 'data');
  if (ss.length === 0) return undefined;
  const inNames: string[] = [];
  const outNames: string[] = [];
  const inCol = new Map<string, number>();
  const outCol = new Map<string, number>();
  const nameSpans = new Map<string, Span>();
  const addName = (name: string, span: Span, isInput: boolean) => {
    const [cols, names, other] = isInput ? [inCol, inNames, outCol] : [outCol, outNames, inCol];
    if (!cols.has(name)) {
      if (other.has(name)) {
        errors.push(diagnostic(text, span.start, span.end, `'${name}' is ${isInput ? 'a target' : 'an input'} in another sample; a name is either an input or a target`));
        return;
      }
      cols.set(name, names.length);
      names.push(name);
      nameSpans.set(name, span);
    }
  };
  let count = 0;
  for (const s of ss) {
    if (s.kind === 'sample') {
      const seen = new Set<string>();
      for (const side of [s.inputs, s.targets]) for (const p of side) {
        if (seen.has(p.name.name)) errors.push(diagnostic(text, p.name.start, p.name.end, `'${p.name.name}' is given twice in this sample`));
        seen.add(p.name.name);
      }
      s.inputs.forEach((p) => addName(p.name.name, p.name, true));
      s.targets.forEach((p) => addName(p.name.name, p.name, false));
      count++;
    } else {
      const seen = new Set<string>();
      for (const n of [...s.inputs, ...s.targets]) {
        if (seen.has(n.name)) errors.push(diagnostic(text, n.start, n.end, `'${n.name}' appears twice in this header`));
        seen.add(n.name);
      }
      s.inputs.forEach((n) => addName(n.name, n, true));
      s.targets.forEach((n) => addName(n.name, n, false));
      count += s.rows.length;
    }
  }
  if (count > LIMITS.maxSamples || count * (inNames.length + outNames.length) > LIMITS.maxSampleValues) {
    errors.push(diagnostic(text, ss[0].start, ss[0].end, `too many samples: ${count.toLocaleString('en-US')} samples of ${inNames.length + outNames.length} numbers; the limits are ${LIMITS.maxSamples.toLocaleString('en-US')} samples and ${LIMITS.maxSampleValues.toLocaleString('en-US')} numbers`));
    return undefined;
  }
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
    } else {
      const ic = s.inputs.map((n) => inCol.get(n.name) ?? -1);
      const oc = s.targets.map((n) => outCol.get(n.name) ?? -1);
      for (const r of s.rows) {
        r.inputs.forEach((v, c) => { if (ic[c] >= 0) set.inputs[k * ni + ic[c]] = v; });
        r.targets.forEach((v, c) => { if (oc[c] >= 0) set.targets[k * no + oc[c]] = v; });
        set.lines[k] = r.line; set.spans[2 * k] = r.start; set.spans[2 * k + 1] = r.end;
        k++;
      }
    }
  }
  return set;
}

/**
 * The set in the network's order. `here` is true when the samples were declared in the cell being
 * checked (errors point at them); otherwise errors point at `fallback` and say the samples are older.
 */
export function bindSamples(
  text: string, set: SampleSet, model: NetworkModel, here: boolean, fallback: Span, errors: Diagnostic[],
): BoundSamples | undefined {
  const before = errors.length;
  const at = (span: Span | undefined) => (here && span ? span : fallback);
  const older = here ? '' : ' (the samples come from an earlier cell)';
  const netIn = model.inputNames;
  const netOut = model.outputNames;
  const inSet = new Set(netIn);
  const outSet = new Set(netOut);
  for (const n of set.inNames) if (!inSet.has(n)) {
    const s = at(set.nameSpans.get(n));
    const why = outSet.has(n) ? `'${n}' is an output neuron; write it after '->'` : `'${n}' is not an input of the network${hint(n, netIn)}`;
    errors.push(diagnostic(text, s.start, s.end, why + older));
  }
  for (const n of set.outNames) if (!outSet.has(n)) {
    const s = at(set.nameSpans.get(n));
    const why = inSet.has(n) ? `'${n}' is an input neuron; write it before '->'` : `'${n}' is not an output of the network${hint(n, netOut)}`;
    errors.push(diagnostic(text, s.start, s.end, why + older));
  }
  const ni = set.inNames.length;
  const no = set.outNames.length;
  const inCol = netIn.map((n) => set.inNames.indexOf(n));
  const outCol = netOut.map((n) => set.outNames.indexOf(n));
  const inputs = new Float64Array(set.count * netIn.length);
  const targets = new Float64Array(set.count * netOut.length);
  let reported = 0;
  for (let k = 0; k < set.count; k++) {
    const lacks: string[] = [];
    netIn.forEach((n, c) => {
      const v = inCol[c] < 0 ? NaN : set.inputs[k * ni + inCol[c]];
      if (Number.isNaN(v)) lacks.push(`input ${n}`); else inputs[k * netIn.length + c] = v;
    });
    netOut.forEach((n, c) => {
      const v = outCol[c] < 0 ? NaN : set.targets[k * no + outCol[c]];
      if (Number.isNaN(v)) lacks.push(`target ${n}`); else targets[k * netOut.length + c] = v;
    });
    if (lacks.length && reported++ < 20) {
      const s = at({ start: set.spans[2 * k], end: set.spans[2 * k + 1] });
      // A sample written for another network may lack hundreds of inputs: name the first few.
      const named = lacks.length > MAX_LACKS ? `${lacks.slice(0, MAX_LACKS).join(', ')}, … (${lacks.length - MAX_LACKS} more)` : lacks.join(', ');
      errors.push(diagnostic(text, s.start, s.end, `sample ${k + 1}${here ? '' : ` (line ${set.lines[k]} of its cell)`} lacks ${named}${older}`));
    }
  }
  if (errors.length > before) return undefined;
  return { count: set.count, inputs, targets };
}

const MAX_LACKS = 8;

function hint(name: string, names: string[]): string {
  const near = nearestName(name, names);
  return near ? ` — did you mean '${near}'?` : ` (those are ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})`;
}
