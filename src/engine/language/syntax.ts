/**
 * The syntax tree of a cell: one `Statement` a line (a `data` or `check` statement also holds its
 * indented block). Offsets are into the cell's text; names are only checked for shape, whether they
 * exist is the model's business (semantics/model.ts).
 */
import type { Diagnostic, LineIndex, Problem, Span } from '../semantics/diagnostics';
import type { DiagnosticArgs, DiagnosticCode } from '../semantics/messages';
import type { Activation, LossName, Mode } from '../trace/schema';
import type { Expr } from './equations';
import type { OptimizerSpec, StateSlot } from '../math/optimizers';

export type { Span };
export interface NameRef extends Span { name: string }
export interface NumberRef extends Span { value: number; text: string; halfUnit: number }

export type InitSpec = { kind: 'xavier' } | { kind: 'uniform'; low: number; high: number };

/** A `check` quantity, names still unresolved. */
export type Quantity =
  | { kind: 'E'; neuron?: string; sample?: number }
  | { kind: 'net' | 'out' | 'dE/dout' | 'dE/dnet'; neuron: string; sample?: number }
  /** ∂out/∂net of a neuron; `wrt`: an entry ∂out_k/∂net_j of a layer-wise activation's Jacobian (j ≠ k). */
  | { kind: 'dout/dnet'; neuron: string; wrt?: string; sample?: number }
  /** The optimizer's state of a parameter after the latest update: v (velocity, second moment) or m. */
  | { kind: 'state'; slot: StateSlot; param: string }
  | { kind: 'dE/dparam'; param: string; sample?: number }
  | { kind: 'dnet/dparam'; neuron: string; param: string; sample?: number }
  | { kind: 'after'; param: string }
  | { kind: 'value'; param: string };

export interface CheckItem extends Span {
  /** 1-based line in the cell. */
  line: number;
  quantity: string;
  /** Span of the quantity text (for unknown-name errors). */
  qStart: number;
  qEnd: number;
  value: NumberRef;
  parsed: Quantity;
  /** The left side as written, when it is the student's symbol rather than a quantity (`z_1`,
   *  `\frac{\partial J}{\partial \omega_5}`); planning resolves it through `notation`. */
  symbol?: string;
  /** The expressions written between the left side and the number, when the line is a chain. */
  chain?: ChainPart[];
  /** Last cell line of a chain continued on the lines below. */
  endLine?: number;
  /** The line as written (the first line of a chain over several), when it is more than `QUANTITY = NUMBER`. */
  text?: string;
  /** `QUANTITY = ?`: a blank of an exercise, for the student to fill in (`value` is NaN). */
  blank?: true;
  /** `[2 points]` after the value: the line's weight when an exercise is graded (default 1). */
  points?: number;
  /** Why planning could not say what the line's symbol is: the line is marked with it, not checked. */
  problem?: Problem;
  /**
   * A left side that only `notation` (or the network's names) can resolve: planning replaces `parsed`
   * and `quantity` with what it names. Until then `parsed` is what the left side reads as alone (a
   * parameter's value, `fallback`) or a stand-in.
   */
  left?: WrittenLeft;
  /** Written as an update: `w_1 := …`, or the left symbol again on the right (`ω₅ = ω₅ − η …`). */
  update?: boolean;
}

/** One part of an equation chain between two `=` (neither the left side nor the final number). */
export interface ChainPart extends Span {
  line: number;
  text: string;
  /** The part as an expression; absent when it cannot be read (it is then not evaluated). */
  expr?: Expr;
  /** For each leaf of `expr` (equations.ts `leaves`): the quantity its symbol names, or null (planning fills it in). */
  meant?: (Quantity | null)[];
}

/** The left side of a check line that only `notation` (or the network's names) can resolve: a symbol
 *  (normalised), or a derivative of two (`of`, `by`), which `notation` may also name as a whole. */
export type WrittenLeft = { kind: 'symbol' | 'derivative'; name: string; of?: string; by?: string; fallback?: true };

/** A line of `check notes` that is not checked, and why (a code and arguments of messages.ts). */
export interface SkippedLine extends Span {
  line: number;
  endLine?: number;
  /** The line (its first line, for a chain) as written. */
  text: string;
  code: DiagnosticCode;
  args: DiagnosticArgs;
  /** The number the line ends in, for a suggestion of the quantity it looks like. */
  value?: NumberRef;
  /** The left side as written, when a `notation` line could name it. */
  symbol?: string;
}

/** `notation SYMBOL = QUANTITY`: the student's symbol (as written and normalised) for a quantity. */
export interface NotationPair {
  symbol: string;
  name: string;
  symbolSpan: Span;
  quantity: Quantity;
  quantityText: string;
  quantitySpan: Span;
}

/** What a `vary` line draws: a parameter, the rate, or one value of one sample (`i1[1]`, `o1[1]`). */
export type VaryTarget = Span & ({ kind: 'param'; name: string } | { kind: 'rate' } | { kind: 'sample'; name: string; sample: number });

/**
 * The rows of a `data` table, packed: a table of a million rows is three typed arrays, not a
 * million objects.
 */
export interface DataRows {
  count: number;
  /** Row-major: each row's inputs, then its targets (header order). */
  values: Float64Array;
  /** 1-based cell line of each row. */
  lines: Int32Array;
  /** Start and end offset of each row: `spans[2k]`, `spans[2k + 1]`. */
  spans: Int32Array;
}

interface Base extends Span { line: number }
export type Statement = Base & (
  | { kind: 'input'; names: NameRef[] }
  | { kind: 'layer'; names: NameRef[]; activation: Activation }
  | { kind: 'weight'; name: NameRef; from: NameRef; to: NameRef; value: NumberRef }
  | { kind: 'bias'; name: NameRef; to: NameRef[]; value: NumberRef }
  | { kind: 'set'; name: NameRef; value: NumberRef }
  | { kind: 'freeze' | 'unfreeze'; names: NameRef[] }
  | { kind: 'init'; init: InitSpec; seed: number }
  | { kind: 'loss'; loss: LossName }
  | { kind: 'rate'; value: number }
  | { kind: 'mode'; mode: Mode }
  | { kind: 'optimizer'; optimizer: OptimizerSpec }
  | { kind: 'decay'; value: number }
  | { kind: 'sample'; inputs: { name: NameRef; value: number }[]; targets: { name: NameRef; value: number }[] }
  | { kind: 'data'; inputs: NameRef[]; targets: NameRef[]; rows: DataRows }
  | { kind: 'forward' | 'step' | 'gradcheck' | 'reset' }
  | { kind: 'train'; epochs: number; every?: number }
  | { kind: 'digits'; digits: number }
  | { kind: 'check'; within?: number; items: CheckItem[]; notes?: boolean; skipped?: SkippedLine[] }
  | { kind: 'notation'; pairs: NotationPair[] }
  | { kind: 'vary'; targets: VaryTarget[]; from: NumberRef; to: NumberRef; step: NumberRef }
);

export interface ParseResult {
  statements: Statement[];
  errors: Diagnostic[];
  /** The cell's line index, built once: pass it on to whatever else places diagnostics in the cell. */
  lines: LineIndex;
}
