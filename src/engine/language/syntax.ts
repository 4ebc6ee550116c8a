/**
 * The syntax tree of a cell: one `Statement` a line (a `data` or `check` statement also holds its
 * indented block). Offsets are into the cell's text; names are only checked for shape, whether they
 * exist is the model's business (semantics/model.ts).
 */
import type { Diagnostic, LineIndex, Span } from '../semantics/diagnostics';
import type { Activation, LossName, Mode } from '../trace/schema';
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
  /** `QUANTITY = ?`: a blank of an exercise, for the student to fill in (`value` is NaN). */
  blank?: true;
  /** `[2 points]` after the value: the line's weight when an exercise is graded (default 1). */
  points?: number;
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
  | { kind: 'check'; within?: number; items: CheckItem[] }
  | { kind: 'vary'; targets: VaryTarget[]; from: NumberRef; to: NumberRef; step: NumberRef }
);

export interface ParseResult {
  statements: Statement[];
  errors: Diagnostic[];
  /** The cell's line index, built once: pass it on to whatever else places diagnostics in the cell. */
  lines: LineIndex;
}
