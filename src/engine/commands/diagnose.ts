/**
 * The diagnosis of one wrong check line: every candidate slip that applies to it (slips.ts,
 * hidden-slips.ts, forward-slips.ts, near-misses.ts), ranked by ranking.ts; when none fits, what is
 * known (known.ts). A sum over a batch is diagnosed from the same slip made in every sample: the
 * candidates of each sample are added up by their id.
 */
import type { Quantity } from '../language/syntax';
import type { Factor } from './evaluate';
import { forwardSlips } from './forward-slips';
import { hiddenSlips } from './hidden-slips';
import { whatIsKnown } from './known';
import { nearMissSlips } from './near-misses';
import { rank, report, type Candidate, type SlipFamily } from './ranking';
import { candidate, carriedFactorSlips, isGradient, lossFactorSlips, productSlips, signSlips, type Case } from './slips';
import { conceptSlips } from './classification-slips';

export interface Diagnosis {
  text: string;
  /** The slips named, by family: none when the text only says what is known. */
  slips: { family: SlipFamily; text: string }[];
}

/** A sum over more samples than this is diagnosed only by slips that scale the whole sum. */
const MAX_BATCH_SAMPLES = 16;

export function diagnose(c: Case, mark: (f: Factor) => void): Diagnosis {
  const candidates = [...(c.sum ? batchSlips(c) : sampleSlips(c)), ...nearMissSlips(c)];
  const best = rank(candidates, c);
  if (!best.length) return { text: whatIsKnown(c), slips: [] };
  return { text: report(best, c.writtenText, mark), slips: best.map((s) => ({ family: s.family, text: s.text })) };
}

function sampleSlips(c: Case): Candidate[] {
  return [...carriedFactorSlips(c), ...productSlips(c), ...hiddenSlips(c), ...forwardSlips(c), ...sumForSample(c), ...conceptSlips(c)];
}

/** One sample's value (`[k]`) written as the sum over the whole batch. */
function sumForSample(c: Case): Candidate[] {
  const { q } = c;
  if (c.ev.sampleCount < 2 || !('sample' in q) || q.sample === undefined || !(isGradient(q) || q.kind === 'E')) return [];
  const whole = c.ev.evaluate({ ...q, sample: undefined } as Quantity).exact;
  const name = quantityName(q);
  return [candidate('batch-for-sample', 'batch-for-sample', whole,
    `this is ${name} summed over the ${c.ev.sampleCount} samples (${c.f(whole)}); with [${q.sample}] it is sample ${q.sample}'s alone, ${c.f(c.exact)}`)];
}

/** A sum over the batch: slips that scale it, one sample's value for the sum, and each sample's slips added up. */
function batchSlips(c: Case): Candidate[] {
  const N = c.ev.sampleCount;
  const slips = [...signSlips(c), ...lossFactorSlips(c), ...forwardSlips(c), ...conceptSlips(c)];
  if (N > MAX_BATCH_SAMPLES || !isGradient(c.q)) return slips;
  const name = quantityName(c.q);
  for (let k = 0; k < N; k++) {
    const v = c.ev.ofSample(c.q, k).exact;
    slips.push(candidate('one-sample', `one-sample:${k}`, v,
      `this is sample ${k + 1}'s ${name} alone (${c.f(v)}); without [k], ${name} is the sum over the ${N} samples, ${c.f(c.exact)} (write ${name}[${k + 1}] for one sample's)`));
  }
  return [...slips, ...inEverySample(c)];
}

/** The slips of one sample made in every sample of the batch, added up. */
function inEverySample(c: Case): Candidate[] {
  const N = c.ev.sampleCount;
  const bySample = Array.from({ length: N }, (_, k) => {
    const e = c.ev.ofSample(c.q, k);
    const sub: Case = { ...c, k, sum: false, exact: e.exact, paths: e.paths, flat: e.paths?.flat() ?? [] };
    const own = [...productSlips(sub), ...hiddenSlips(sub)].filter((s) => s.family !== 'sign' && s.family !== 'loss-factor');
    return new Map(own.map((s) => [s.id, s]));
  });
  const out: Candidate[] = [];
  for (const [id, first] of bySample[0]) {
    let alt = 0;
    for (const m of bySample) { const s = m.get(id); if (!s) { alt = NaN; break; } alt += s.alt; }
    if (!Number.isFinite(alt)) continue;
    out.push(candidate(first.family, id, alt, `${first.text} — in each of the ${N} samples (these numbers are sample 1's); summed over the batch, ${c.f(alt)}`));
  }
  return out;
}

/** The quantity as written canonically, without its sample. */
function quantityName(q: Quantity): string {
  switch (q.kind) {
    case 'E': return q.neuron ? `E(${q.neuron})` : 'E';
    case 'dE/dparam': return `dE/d${q.param}`;
    case 'dE/dout': case 'dE/dnet': return `${q.kind}(${q.neuron})`;
    default: return q.kind;
  }
}
