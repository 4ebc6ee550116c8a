/**
 * L2 regularisation (`decay LAMBDA`), one record: E gains (λ/2)·Σ w² over the weights — not the
 * biases — so every ∂E/∂w gains λ·w, and every update (whatever the optimizer) uses that gradient.
 * Its formulas for the tables and the slips `check` names live here.
 */
import { dot, frac, num, sq, sym, type M } from '../present/formula';

export const LAMBDA: M = sym('λ', '\\lambda');

/** A slip with the decay: what it adds to E (from the sums of squares) or to one gradient (from the parameter). */
export interface DecaySlip {
  /** `E`: the loss; `weight` / `bias`: ∂E/∂p (and w' through it) of a weight or a bias. */
  on: 'E' | 'weight' | 'bias';
  text: string;
  /** What the slip adds to the exact value: to E from λ and Σw², Σb²; to ∂E/∂p from λ and p. */
  add(lambda: number, x: { weights2: number; biases2: number; p: number }): number;
}

const SLIPS: readonly DecaySlip[] = [
  { on: 'E', text: 'λ instead of λ/2 in the decay term: E gains (λ/2)·Σ w²', add: (l, x) => (l / 2) * x.weights2 },
  { on: 'E', text: 'the decay term (λ/2)·Σ w² left out of E', add: (l, x) => -(l / 2) * x.weights2 },
  { on: 'E', text: 'L2 applied to the biases too: the decay sums over the weights only', add: (l, x) => (l / 2) * x.biases2 },
  { on: 'weight', text: 'λ instead of λ/2 in the decay term: ∂/∂w of (λ/2)·w² is λ·w, not 2λ·w', add: (l, x) => l * x.p },
  { on: 'weight', text: 'the decay term λ·w left out of the gradient', add: (l, x) => -l * x.p },
  { on: 'bias', text: 'L2 applied to the bias: the decay is over the weights only, so a bias gets no λ·b', add: (l, x) => l * x.p },
];

export const DECAY = {
  name: 'decay',
  doc: 'L2 regularisation: E gains (λ/2)·Σ w² over the weights, not the biases; every ∂E/∂w gains λ·w (default 0: none).',
  usage: 'decay 0.01',
  /** E's term: (λ/2)·Σ_w w², given λ and the sum (symbols or numbers). */
  termFormula: (lambda: M, sum: M): M => dot(frac(lambda, num(2, 1)), sum),
  /** Σ_w w² as the loss table writes it. */
  sumFormula: (w: M): M => ({ t: 'sum', sub: 'w', body: sq(w) }),
  /** ∂E/∂w's term: λ·w. */
  gradFormula: (lambda: M, w: M): M => dot(lambda, w),
  value: (lambda: number, weights2: number): number => (lambda / 2) * weights2,
  slips: SLIPS,
};
