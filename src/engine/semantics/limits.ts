/**
 * Sizes the engine accepts, and how much detail a trace carries. Beyond these a cell gets a clear
 * error instead of a hang or an out-of-memory crash; traces beyond the detail limits are cut and say so.
 */
export const LIMITS = {
  /** Parameters of one network (each costs several Float64 slots: value, gradient, declared copy). */
  maxParams: 5_000_000,
  maxNeurons: 2_000_000,
  maxSamples: 1_000_000,
  /** Numbers in the sample set (inputs plus targets over all samples). */
  maxSampleValues: 50_000_000,
  maxEpochs: 1_000_000_000,
  /**
   * Multiply-adds one command, one cell and one run of cells may do (a few minutes at most on a laptop
   * core), counted by semantics/plan.ts: an epoch is 3 · samples · parameters + epochOverhead.
   */
  maxWork: 3e11,
  /** What one epoch costs beyond its multiply-adds (loops, updates), in multiply-adds. */
  epochOverhead: 1000,
} as const;

/** Detail put into traces; everything beyond is summarised (`limits.truncated` with notes). */
export const TRACE_LIMITS = {
  /** Samples with per-sample forward values and gradient terms, per update. */
  samples: 8,
  /** Updates of an epoch written out in a `step` trace (sample mode has one per sample). */
  updates: 16,
  /** Parameters listed with gradients and updates. */
  params: 4_096,
  neuronsPerLayer: 64,
  /** Points of a loss curve. */
  curvePoints: 2_000,
  /** Step snapshots of `train N every K`. */
  snapshots: 20,
} as const;
