/**
 * The quantities a `check` line may name: `E`, `out(h1)`, `dE/dw5`, `dout(h1)/dnet(h1)`, `w5'`, …,
 * each optionally for one sample (`[k]`). Names are left unresolved (commands/check.ts knows the
 * network).
 */
import type { Problem } from '../semantics/diagnostics';
import { nameProblem } from './names';
import type { Quantity } from './syntax';

const NAME = '[A-Za-z][A-Za-z0-9_]*';
const SAMPLE = /\[(\d+)\]$/;
const E_OF = new RegExp(`^E\\((${NAME})\\)$`);
const NEURON = new RegExp(`^(net|out)\\((${NAME})\\)$`);
const D_NEURON = new RegExp(`^dE/d(net|out)\\((${NAME})\\)$`);
const D_OUT_D_NET = new RegExp(`^dout\\((${NAME})\\)/dnet\\((${NAME})\\)$`);
const D_NET_D_PARAM = new RegExp(`^dnet\\((${NAME})\\)/d(${NAME})$`);
const D_PARAM = new RegExp(`^dE/d(${NAME})$`);
const AFTER = new RegExp(`^(${NAME})['’]$`);
const STATE = new RegExp(`^(v|m)\\((${NAME})\\)$`);
const VALUE = new RegExp(`^(${NAME})$`);

/** Parses a check quantity (spaces ignored, ∂ read as d); says what is wrong when it is not one. */
export function parseQuantity(qText: string): Quantity | Problem {
  let q = qText.replace(/\s+/g, '').replace(/∂/g, 'd');
  let sample: number | undefined;
  const sel = SAMPLE.exec(q);
  if (sel) {
    sample = Number(sel[1]);
    q = q.slice(0, sel.index);
    if (sample < 1) return { code: 'sample-numbering', args: {} };
  }
  const found = withoutSample(q, sample) ?? withSample(q);
  if (!found) return { code: 'unknown-quantity', args: { text: qText } };
  if ('code' in found) return found;
  const long = [found.neuron, found.param].map((n) => (n === undefined ? undefined : nameProblem(n))).find((p) => p);
  if (long) return long;
  return sample === undefined || found.kind === 'after' || found.kind === 'value' || found.kind === 'state' ? found : { ...found, sample };
}

/** The quantities that take no `[k]`: a parameter's value, its value after a step, the optimizer's state. */
function withoutSample(q: string, sample: number | undefined): (Quantity & { neuron?: string; param?: string }) | Problem | undefined {
  let m: RegExpExecArray | null;
  if ((m = STATE.exec(q))) return sample === undefined ? { kind: 'state', slot: m[1] as 'v' | 'm', param: m[2] } : { code: 'state-takes-no-sample', args: { slot: m[1], name: m[2] } };
  if ((m = AFTER.exec(q))) return sample === undefined ? { kind: 'after', param: m[1] } : { code: 'after-takes-no-sample', args: { name: m[1] } };
  if ((m = VALUE.exec(q)) && q !== 'E') return sample === undefined ? { kind: 'value', param: m[1] } : { code: 'value-takes-no-sample', args: { name: m[1] } };
  return undefined;
}

function withSample(q: string): (Quantity & { neuron?: string; param?: string }) | Problem | undefined {
  let m: RegExpExecArray | null;
  if (q === 'E') return { kind: 'E' };
  if ((m = E_OF.exec(q))) return { kind: 'E', neuron: m[1] };
  if ((m = NEURON.exec(q))) return { kind: m[1] as 'net' | 'out', neuron: m[2] };
  if ((m = D_NEURON.exec(q))) return { kind: `dE/d${m[1]}` as 'dE/dnet' | 'dE/dout', neuron: m[2] };
  // dout(o2)/dnet(o1) is an entry of a layer-wise activation's Jacobian; whether it is one is the network's to say.
  if ((m = D_OUT_D_NET.exec(q))) return m[1] === m[2] ? { kind: 'dout/dnet', neuron: m[1] } : { kind: 'dout/dnet', neuron: m[1], wrt: m[2] };
  if ((m = D_NET_D_PARAM.exec(q))) return { kind: 'dnet/dparam', neuron: m[1], param: m[2] };
  if ((m = D_PARAM.exec(q))) return { kind: 'dE/dparam', param: m[1] };
  return undefined;
}
