/**
 * Ranking, not guessing: every slip `check` knows is a candidate — a family, what it says, the value
 * it predicts and how plausible a slip of that family is — and one function ranks them by how
 * exactly they reproduce the written value and how plausible they are. When two fit equally, both
 * are named; when nothing fits well enough, nothing is named.
 */
import type { Factor } from './evaluate';

/**
 * How plausible each family of slip is, as a prior. A slip of the computation that gives the written
 * value exactly (an exact ×2, ×N, a swapped weight) outranks a copying slip; a digit added or left
 * out, with every other digit matching, outranks rounding. `exactOnly` families are named only when
 * they give the written value at its digits: a copying slip or a rounded chain that comes merely
 * close explains nothing.
 */
export const SLIP_FAMILIES = {
  'carried': { plausibility: 1 },
  // A computation of the student's equation chain that does not give the number written after it (chains.ts).
  'arithmetic': { plausibility: 1 },
  'sign': { plausibility: 0.9 },
  'loss-factor': { plausibility: 0.9 },
  'loss-scale': { plausibility: 0.9 },
  'update-sign': { plausibility: 0.9 },
  'loss-derivative': { plausibility: 0.8 },
  // The classification chapter's and the optimizers' slips, as their concept records list them
  // (classification-slips.ts): log₁₀ for ln, the softmax Jacobian's cross terms, out − t where it does
  // not hold, an update rule or the decay written wrong.
  'log-base': { plausibility: 0.8 },
  'jacobian': { plausibility: 0.8 },
  'simplification': { plausibility: 0.8 },
  'optimizer': { plausibility: 0.8 },
  'decay': { plausibility: 0.8 },
  'activation-derivative': { plausibility: 0.8 },
  'term-left-out': { plausibility: 0.8 },
  'bias-left-out': { plausibility: 0.8 },
  'factor-left-out': { plausibility: 0.7 },
  'downstream-weight': { plausibility: 0.7 },
  'source-out': { plausibility: 0.7 },
  'edge-weight': { plausibility: 0.7 },
  'rate': { plausibility: 0.7 },
  'one-sample': { plausibility: 0.7 },
  'target': { plausibility: 0.7 },
  'neighbour': { plausibility: 0.6 },
  'term-sign': { plausibility: 0.6 },
  'weight-for-out': { plausibility: 0.6 },
  'batch-for-sample': { plausibility: 0.6 },
  'digit-dropped': { plausibility: 0.55, exactOnly: true },
  'two-slips': { plausibility: 0.5 },
  'digit-added': { plausibility: 0.55, exactOnly: true },
  'cut-off': { plausibility: 0.55, exactOnly: true },
  'decimal-point': { plausibility: 0.5 },
  'rounding': { plausibility: 0.45, exactOnly: true },
  'digits-swapped': { plausibility: 0.45, exactOnly: true },
  'digit-changed': { plausibility: 0.3, exactOnly: true },
} as const satisfies Record<string, { plausibility: number; exactOnly?: boolean }>;

export type SlipFamily = keyof typeof SLIP_FAMILIES;

/** A known slip: its family, the value it predicts, the factors it blames, and what it says. */
export interface Candidate {
  family: SlipFamily;
  /** The same slip in another sample has the same id, so that a sum over a batch can add them up. */
  id: string;
  text: string;
  alt: number;
  marks: Factor[];
}

/** What a candidate is measured against: the written value and how it may be read. */
export interface Fit {
  w: number;
  exact: number;
  tolerance: number;
  /** Within rounding of each other (2 %, or the tolerance): a student rounds along the way. */
  near: (a: number, b: number) => boolean;
}

/** A slip that only comes close (within rounding) counts for this much of its plausibility. */
const CLOSE_WEIGHT = 0.6;
/** More slips than this fitting equally well is no diagnosis at all. */
export const MAX_NAMED = 4;

/** How well a candidate explains the written value: 1 exactly (at the written digits), CLOSE_WEIGHT close, 0 not. */
export function fitOf(c: Candidate, f: Fit): number {
  const off = Math.abs(f.w - c.alt);
  const miss = Math.abs(f.w - f.exact);
  // It must explain the value better than the exact value does: at the written digits, closer; only
  // close, clearly closer (half the distance).
  if (off <= f.tolerance * 1.01 + 1e-12 * Math.abs(f.w)) return off < miss ? 1 : 0;
  return off < 0.5 * miss && !('exactOnly' in SLIP_FAMILIES[c.family]) && f.near(f.w, c.alt) ? CLOSE_WEIGHT : 0;
}

/** The candidates that explain the written value best: every one of them when several fit equally. */
export function rank(candidates: readonly Candidate[], f: Fit): Candidate[] {
  const scored = candidates.flatMap((c) => {
    const fit = fitOf(c, f);
    return fit > 0 && Number.isFinite(c.alt) ? [{ c, fit, score: fit * SLIP_FAMILIES[c.family].plausibility, off: Math.abs(f.w - c.alt) }] : [];
  });
  if (!scored.length) return [];
  const top = Math.max(...scored.map((s) => s.score));
  let best = scored.filter((s) => s.score >= top - 1e-9);
  // Among slips that only come close, the closest; among exact ones, every one.
  if (best[0].fit < 1) {
    const least = Math.min(...best.map((s) => s.off));
    best = best.filter((s) => s.off <= least + 1e-9 * Math.max(Math.abs(f.w), Number.MIN_VALUE));
  }
  const texts = new Set<string>();
  const named = best.map((s) => s.c).filter((c) => !texts.has(c.text) && texts.add(c.text));
  return named.length <= MAX_NAMED ? named : [];
}

/** The named slips in one sentence; the blamed factors marked. */
export function report(best: readonly Candidate[], writtenText: string, mark: (f: Factor) => void): string {
  for (const s of best) s.marks.forEach(mark);
  if (best.length === 1) return best[0].text;
  return `${best.length} slips give ${writtenText} equally well: ${best.map((s, i) => `(${i + 1}) ${s.text}`).join('; ')}`;
}
