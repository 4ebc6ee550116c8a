/**
 * What `check` says about a wrong value that no slip of the computation reproduces: the loss's scale
 * doubled or halved, digits cut off or rounded along the way, a copying slip (a digit changed,
 * swapped or left out, the decimal point moved), or what the factors as written give.
 */
import { lossScale } from '../math/losses';
import { describeWritten, withWritten, wrongFactors, type Case } from './slips';

export function nearMiss(c: Case): string {
  return lossScaleMiss(c) ?? roundingMiss(c) ?? digitSlip(c.writtenText, c.exact) ?? decimalShift(c) ?? factorsMiss(c) ?? `the exact value is ${c.f(c.exact)}`;
}

/** The value `w'` is measured from: a slip of an update is judged by the step, not by the weight. */
export function originOf(c: Pick<Case, 'q' | 'ctx'>): number {
  return c.q.kind === 'after' ? c.ctx.trainer.params[c.ctx.model.param(c.q.param)!.slots[0]] : 0;
}

function lossScaleMiss(c: Case): string | undefined {
  if (c.q.kind !== 'E') return undefined;
  const { loss, trainer } = c.ctx;
  if (c.near(c.w, 2 * c.exact)) return `twice the exact value: the factor in front of Σ (${c.f(lossScale(loss, trainer.sampleCount))} for ${loss}) seems to be left out`;
  if (c.near(c.w, c.exact / 2)) return `half the exact value: ${loss} has no extra ½ here`;
  return undefined;
}

function roundingMiss(c: Case): string | undefined {
  const diff = Math.abs(c.w - c.exact);
  const unit = 2 * c.tolerance;
  if (Math.abs(c.w - Math.trunc(c.exact / unit) * unit) <= unit * 1e-6 && Math.abs(c.exact) >= unit) {
    return `cut off instead of rounded: ${c.f(c.exact)} rounds to ${c.f(Math.round(c.exact / unit) * unit)} at the digit you wrote`;
  }
  // Rounding carried through a product compounds; a single value rounded to three digits is off by ≤ 0.5%.
  if (diff <= (c.paths && c.flat.length > 1 ? 0.02 : 0.006) * Math.abs(c.exact - originOf(c))) {
    return `close but not within tolerance (off by ${c.f(diff)}, allowed ${c.f(c.tolerance)}): a rounded intermediate value was probably carried on — keep more digits until the end`;
  }
  return undefined;
}

/** Rounded or cut off after the shift, so within a few percent rather than half a unit. */
function decimalShift(c: Case): string | undefined {
  const ratio = c.w / c.exact;
  if (c.exact === 0 || !(Math.abs(ratio - 10) <= 0.3 || Math.abs(ratio - 0.1) <= 0.003)) return undefined;
  return `${ratio > 1 ? 'ten times' : 'a tenth of'} the exact value ${c.f(c.exact)}: the decimal point seems to have slipped by one place`;
}

function factorsMiss(c: Case): string | undefined {
  const wrong = wrongFactors(c);
  if (wrong.length) {
    // Not marked as the slip: substituted as written, these factors do not give the written value.
    const given = withWritten(c, new Set(wrong.map((fa) => fa.key)));
    return `the factors as written do not explain ${c.writtenText}: they give ${c.f(given)}, the exact ones ${c.f(c.exact)}. Wrong among them: ${describeWritten(c, wrong)}`;
  }
  if (c.paths && c.flat.length > 1) return `no single slip explains ${c.f(c.w)}; the exact value is ${c.f(c.exact)} — compare each factor below with yours`;
  return undefined;
}

/**
 * The written value is the exact one, rounded to the digits written, with one digit changed, two
 * neighbouring digits swapped, or one digit left out: a copying slip rather than a computing one.
 */
export function digitSlip(writtenText: string, exact: number): string | undefined {
  const m = /^([+-]?)(\d*)[.,]?(\d*)$/.exec(writtenText.replace('\u2212', '-'));
  if (!m || (m[1] === '-') !== (exact < 0)) return undefined;
  const decimals = m[3].length;
  const digitsOf = (x: string) => x.replace('.', '').replace(/^0+(?=\d)/, '');
  const mine = digitsOf(`${m[2]}.${m[3]}`);
  const right = digitsOf(Math.abs(exact).toFixed(decimals));
  if (mine.length < 3) return undefined;
  // A digit left out: of the integer part (0.105905967 for 1.105905967), or of the decimals (then the
  // exact value has one more decimal than was written).
  const longer = digitsOf(Math.abs(exact).toFixed(Math.min(100, decimals + 1)));
  const leftOut = right.slice(1) === mine ? right : [...longer].some((_, i) => longer.slice(0, i) + longer.slice(i + 1) === mine) ? longer : undefined;
  if (leftOut) return `a digit seems to be left out: the exact value is ${m[1]}${Math.abs(exact).toFixed(leftOut === right ? decimals : Math.min(100, decimals + 1))}`;
  if (mine.length !== right.length) return undefined;
  const at: number[] = [];
  for (let i = 0; i < mine.length; i++) if (mine[i] !== right[i]) at.push(i);
  const shown = `${m[1]}${Math.abs(exact).toFixed(decimals)}`;
  if (at.length === 1) return `one digit differs from the exact value rounded to your digits, ${shown}: ${mine[at[0]]} where it has ${right[at[0]]} — a slip in copying?`;
  if (at.length === 2 && at[1] === at[0] + 1 && mine[at[0]] === right[at[1]] && mine[at[1]] === right[at[0]]) {
    return `two neighbouring digits are swapped: the exact value rounded to your digits is ${shown}`;
  }
  return undefined;
}
