/** What the harness needs from each implementation under test (the engine and every peer). */
import type { Workload } from '../workloads';

export interface Prepared {
  /** Puts the workload's initial parameters back, so that every repeat does the same work. */
  reset(): void;
  /** The timed part: `epochs` epochs (the workload's count when timed, fewer to warm up). */
  run(epochs: number): void;
  /** The current parameters in the engine's layout, widened to float64. */
  params(): Float64Array;
  /** Weight updates seen during the last run, where the implementation lets them be counted. */
  updates?(): number;
  dispose(): void;
}

export interface Implementation {
  name: string;
  precision: 'float64' | 'float32';
  /** Set when this implementation cannot be loaded at all (e.g. its module failed to import). */
  missing?: string;
  /** Why this implementation cannot run the workload as specified, or null when it can. */
  unsupported(w: Workload): string | null;
  prepare(w: Workload): Promise<Prepared>;
}
