/**
 * CONTRACT (written by the coordinator; the engine helper implements it and may extend it, but the
 * names below are what the CLI, the kernel and the language features call).
 *
 * A Session is the state of one notebook: the current network, its declared and current parameter
 * values, loss, rate, mode, samples, digits, epoch count, and the traces of the latest run (for hovers).
 */
import type { Diagnostic } from './diagnostics';
import type { ParamGrad, ParamInfo, Trace, UpdateRow } from './trace';

export interface CellResult {
  /**
   * Errors. When the cell could not be parsed or named something unknown, nothing ran and the
   * state is unchanged. A runtime stop (divergence, a limit) keeps what ran before it and says so.
   */
  errors: Diagnostic[];
  /** One trace per command that ran (or one `network` trace for a cell of declarations only). */
  traces: Trace[];
  /** Number of `check` lines that failed in this cell. */
  checksFailed: number;
  /** True when `isCancelled` stopped a `train` (the weights are those of the last whole epoch). */
  interrupted: boolean;
}

export interface Progress {
  /** 1-based line of the `train` command in the cell. */
  line: number;
  epoch: number;
  epochs: number;
  loss: number;
}

export interface RunHooks {
  onProgress?(p: Progress): void;
  /** Polled between slices of a long `train`. */
  isCancelled?(): boolean;
  /** How long one slice of training may run before control is given back (default 50 ms). */
  sliceMs?: number;
}

export type HoverInfo =
  | { kind: 'param'; param: ParamInfo; grad?: ParamGrad; update?: UpdateRow; digits: number }
  | { kind: 'neuron'; name: string; layer: number; activation: string | null; net?: number; out?: number; dE_dnet?: number; digits: number };

export declare class Session {
  constructor(options?: { digits?: number });
  /** Run a cell to the end, synchronously (command line, tests). */
  runSync(text: string): CellResult;
  /** Run a cell, giving control back between slices of training (the kernel). */
  run(text: string, hooks?: RunHooks): Promise<CellResult>;
  /** Back to the declared weights (the `reset` command), keeping network and samples. */
  reset(): void;
  /** Forget everything (a fresh kernel state). */
  clear(): void;
  /** Value, latest gradient and update of a parameter, or net/out of a neuron, from the latest run. */
  hoverInfo(name: string): HoverInfo | undefined;
  /** Declared names, for completions. */
  names(): { params: string[]; neurons: string[] };
}

/** Parse-only diagnostics for a cell as it is typed (no state changes); names are checked against
 *  the session's network when given and the cell does not declare its own. */
export declare function analyze(text: string, session?: Session): Diagnostic[];
