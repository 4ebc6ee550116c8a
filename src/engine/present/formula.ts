/**
 * A small formula tree: the one way the engine writes mathematics. The notation layer
 * (`notation.ts`) prints it as Unicode text or TeX, the renderer typesets it with KaTeX, and the
 * concept records in `math/` use it to say how their value and derivative are written, so every
 * output says the same thing.
 */
export type M =
  | { t: 'num'; v: number; digits: number }
  /** A neuron or parameter name. */
  | { t: 'id'; name: string }
  /** out_h1, net_h1, t_o1 (the target of an output), δ_h1 (= ∂E/∂net_h1). */
  | { t: 'of'; q: 'out' | 'net' | 't' | 'δ'; name: string }
  /** A fixed symbol with its two spellings (E, η, 1, …). */
  | { t: 'sym'; text: string; tex: string }
  /** ∂a/∂b. */
  | { t: 'd'; num: M; den: M }
  | { t: 'op'; op: '·' | '×' | '+' | '−' | '=' | ','; items: M[] }
  /** a / b as a fraction. */
  | { t: 'frac'; num: M; den: M }
  /** e^x. */
  | { t: 'exp'; x: M }
  /** −x. */
  | { t: 'neg'; x: M }
  /** A step: `high` if net > 0, else `low` (the relu family's derivative). */
  | { t: 'cases'; net: M; high: M; low: M }
  | { t: 'paren'; x: M }
  /** f(x), e.g. σ(net_h1). */
  | { t: 'call'; f: { text: string; tex: string }; arg: M }
  | { t: 'sq'; x: M }
  /** x to the power e (β₁ᵗ). */
  | { t: 'pow'; x: M; e: M }
  /** √x. */
  | { t: 'sqrt'; x: M }
  /** Σ over `sub` of `body`. */
  | { t: 'sum'; sub: string; body: M };

export const num = (v: number, digits: number): M => ({ t: 'num', v, digits });
export const id = (name: string): M => ({ t: 'id', name });
export const out = (name: string): M => ({ t: 'of', q: 'out', name });
export const net = (name: string): M => ({ t: 'of', q: 'net', name });
export const target = (name: string): M => ({ t: 'of', q: 't', name });
/** δ_j = ∂E/∂net_j, derived once per neuron and referred to by the sums that use it. */
export const delta = (name: string): M => ({ t: 'of', q: 'δ', name });
export const sym = (text: string, tex: string): M => ({ t: 'sym', text, tex });
export const E = sym('E', 'E');
export const ETA = sym('η', '\\eta');
export const ONE = sym('1', '1');
export const d = (numerator: M, denominator: M): M => ({ t: 'd', num: numerator, den: denominator });
export const times = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '×', items });
export const dot = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '·', items });
export const plus = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '+', items });
export const minus = (a: M, b: M): M => ({ t: 'op', op: '−', items: [a, b] });
export const eq = (...items: M[]): M => (items.length === 1 ? items[0] : { t: 'op', op: '=', items });
export const paren = (x: M): M => ({ t: 'paren', x });
export const call = (text: string, tex: string, arg: M): M => ({ t: 'call', f: { text, tex }, arg });
export const sq = (x: M): M => ({ t: 'sq', x });
export const pow = (x: M, e: M): M => ({ t: 'pow', x, e });
export const sqrt = (x: M): M => ({ t: 'sqrt', x });
export const sum = (sub: string, body: M): M => ({ t: 'sum', sub, body });
export const frac = (numerator: M, denominator: M): M => ({ t: 'frac', num: numerator, den: denominator });
export const exp = (x: M): M => ({ t: 'exp', x });
export const neg = (x: M): M => ({ t: 'neg', x });
