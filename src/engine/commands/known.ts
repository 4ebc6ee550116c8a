/**
 * What `check` says when no single slip explains a wrong value: what is known instead — which of the
 * factors or inputs the student wrote are right, which are wrong, and which product, sum or step
 * then disagrees — so the student knows where to look, without a guess.
 */
import { ACTIVATION_RECORDS } from '../math/activations';
import { MAX_PATHS, type Factor } from './evaluate';
import { keyOf } from './quantities';
import { describeWritten, withWritten, wrongFactors, type Case } from './slips';

/** Per-sample values of a sum over a batch are listed for at most this many samples. */
const MAX_LISTED_SAMPLES = 8;

export function whatIsKnown(c: Case): string {
  const off = Math.abs(c.w - c.exact);
  const rel = c.exact !== 0 ? ` (${formatPercent(off / Math.abs(c.exact))})` : '';
  const head = `no single slip gives ${c.writtenText}: it is off by ${c.f(off)}${rel} from the exact value, where your digits allow ± ${c.f(c.tolerance)}`;
  const more = c.sum ? batchKnown(c) : c.paths && c.flat.length > 1 ? productKnown(c) : valueKnown(c);
  return more ? `${head}. ${more}` : head;
}

function formatPercent(x: number): string {
  return x >= 0.095 ? `${Math.round(x * 100)} %` : `${Number((x * 100).toPrecision(2))} %`;
}

/** "dE/dout(o1) = 0.741 ✓" for a factor or value the student wrote. */
function mark(c: Case, quantity: string, key: string): string | undefined {
  const w = c.written.get(key);
  return w ? `${quantity} = ${c.f(w.value)} ${w.ok ? '✓' : '✗'}` : undefined;
}

function productKnown(c: Case): string {
  const paths = c.paths!;
  const wrong = wrongFactors(c);
  const right = [...new Map(c.flat.filter((fa) => c.written.get(fa.key)?.ok).map((fa) => [fa.key, fa])).values()];
  const parts: string[] = [];
  if (wrong.length) {
    const given = withWritten(c, new Set(wrong.map((fa) => fa.key)));
    parts.push(`The factors as written do not explain ${c.writtenText} either: they give ${c.f(given)}. Wrong among them: ${describeWritten(c, wrong)}`);
  }
  if (right.length) parts.push(`Right: ${right.map((fa) => `${fa.quantity} = ${c.f(c.written.get(fa.key)!.value)}`).join(', ')}`);
  const term = (p: Factor[]) => p.reduce((m, fa) => m * fa.exact, 1);
  if (paths.length > 1) {
    parts.push(`The sum has ${paths.length} terms: ${paths.slice(0, 8).map((p) => `through ${p[0].neuron} ${c.f(term(p))}`).join(', ')}${paths.length > 8 ? ', …' : ''}; together ${c.f(c.exact)}`);
  } else {
    parts.push(`The exact factors are ${paths[0].map((fa) => `${fa.quantity} = ${c.f(fa.exact)}`).join(', ')}; their product is ${c.f(c.exact)}`);
  }
  if (!wrong.length && right.length && c.flat.every((fa) => c.written.get(fa.key)?.ok)) {
    parts.push(`Every factor you wrote is right, so the slip is in ${paths.length > 1 ? 'the products or their sum' : 'the multiplication'}`);
  }
  return parts.join('. ');
}

/** A value computed from others: which of them the student wrote, right or wrong. */
function valueKnown(c: Case): string | undefined {
  const { q, ev } = c;
  const d = ev.sample(c.k);
  switch (q.kind) {
    case 'out': {
      const r = ev.ref(q.neuron);
      if (r.layer === 0) return undefined;
      const act = c.ctx.model.layers[r.layer].activation!;
      const mine = mark(c, `net(${q.neuron})`, keyOf.net(q.neuron, c.k));
      return `out(${q.neuron}) = ${ACTIVATION_RECORDS[act].symbol.text}(net(${q.neuron})) = ${ACTIVATION_RECORDS[act].symbol.text}(${c.f(d.net[r.layer][r.index])})${mine ? `; you wrote ${mine}` : ''}`;
    }
    case 'net': {
      const r = ev.ref(q.neuron);
      const prev = c.ctx.model.layers[r.layer - 1]?.names ?? [];
      if (r.layer === 0 || prev.length > 8) return undefined;
      const outs = prev.map((name) => mark(c, `out(${name})`, keyOf.out(name, c.k))).filter(Boolean);
      const terms = prev.map((name, i) => `${c.ctx.model.edgeParam(ev.ref(name), r).name}·out(${name}) = ${c.f(ev.weight(ev.ref(name), r) * d.out[r.layer - 1][i])}`);
      const bias = c.ctx.model.declaredParams.find((p) => p.kind === 'bias' && p.to.includes(q.neuron));
      if (bias) terms.push(`${bias.name} = ${c.f(c.ctx.trainer.params[bias.slots[0]])}`);
      return `net(${q.neuron}) is the sum of ${terms.join(', ')}${outs.length ? `; you wrote ${outs.join(', ')}` : ''}`;
    }
    case 'after': {
      const p = ev.param(q.param);
      const g = ev.batchGradient()[p.slots[0]];
      const mine = mark(c, `dE/d${q.param}`, ev.sampleCount > 1 ? `dE/d${q.param}` : keyOf.dEdparam(q.param, 0));
      return `${q.param}' = ${q.param} − η·∂E/∂${q.param} = ${c.f(c.ctx.trainer.params[p.slots[0]])} − ${c.f(c.ctx.rate)} × ${c.f(g)}${mine ? `; you wrote ${mine}` : ''}`;
    }
    case 'E': {
      const names = q.neuron !== undefined ? [q.neuron] : c.ctx.model.outputNames.slice(0, 8);
      const L = c.ctx.model.layers.length - 1;
      const outs = names.map((n) => mark(c, `out(${n})`, keyOf.out(n, c.k))).filter(Boolean);
      const terms = names.map((n) => `E(${n}) = ${c.f(ev.ofSample({ kind: 'E', neuron: n }, c.k).exact)}`);
      const from = `from ${names.map((n) => `out(${n}) = ${c.f(d.out[L][ev.ref(n).index])}`).join(', ')}`;
      return `${q.neuron ? `E(${q.neuron}) is computed ${from}` : `E = ${terms.join(' + ')}, ${from}`}${outs.length ? `; you wrote ${outs.join(', ')}` : ''}`;
    }
    default: return undefined;
  }
}

/** A sum over the batch: each sample's share. */
function batchKnown(c: Case): string {
  const n = c.ev.sampleCount;
  const shown = Math.min(n, MAX_LISTED_SAMPLES, MAX_PATHS);
  const shares = Array.from({ length: shown }, (_, s) => `${c.f(c.ev.ofSample(c.q, s).exact)} (sample ${s + 1})`);
  return `Without [k] it is the sum over the ${n} samples: ${shares.join(' + ')}${n > shown ? ' + …' : ''}`;
}
