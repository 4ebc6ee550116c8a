/**
 * `train N [every K]`: N epochs on the trainer's fast path, in slices that give control back (to the
 * kernel) and can be interrupted at a whole epoch. Every so often the weights are checked and kept as
 * a checkpoint; when they turn NaN or ±Infinity, the epochs since the checkpoint are replayed (the
 * arithmetic is deterministic) to find the first bad one, and the last finite weights are kept.
 */
import type { Statement } from '../language/syntax';
import type { DiagnosticArgs, DiagnosticCode } from '../semantics/messages';
import { messageOf } from '../semantics/messages';
import { TRACE_LIMITS } from '../semantics/limits';
import type { ParamDef } from '../semantics/model';
import type { DenseTrainer, TrainerSnapshot } from '../compute/trainer';
import { base, forwardAndLoss, LimitNotes, shownParams, tracedEpoch, type TraceContext } from '../trace/build';
import type { StepTrace, TrainTrace } from '../trace/schema';
import { findLogZero } from './log-zero';
import { stalledBySaturation, VANISHED } from './saturation';
import { allFinite } from './step';

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

type TrainStatement = Extract<Statement, { kind: 'train' }>;

export interface TrainOutcome {
  /** Absent when no epoch could run (ln 0 at the starting weights): there is nothing finite to show. */
  trace?: TrainTrace;
  /** The notebook's epoch count afterwards: that of the weights kept. */
  epoch: number;
  epochsRun: number;
  /** The last epoch's step trace, when it was a snapshot (it is then the latest step). */
  lastStep?: StepTrace;
  /** Why the cell stops here (`diverged`, `interrupted`), if it does. */
  stopped?: 'diverged' | 'interrupted';
  /** An error (divergence) or a warning (saturation) about this `train`. */
  problem?: { code: DiagnosticCode; args: DiagnosticArgs; severity: 'error' | 'warning' };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export function* runTrain(ctx: TraceContext, s: TrainStatement, startEpoch: number, hooks: RunHooks): Generator<void, TrainOutcome, void> {
  const loop = new TrainLoop(ctx, s, startEpoch);
  // A loss already infinite (ln 0 at the starting weights): not one epoch runs.
  if (!loop.startsFinite()) return loop.finish(hooks, 'diverged');
  const sliceMs = hooks.sliceMs ?? 50;
  let sliceStart = now();
  for (let e = 0; e < s.epochs; e++) {
    const ret = loop.runEpoch(e);
    const last = e + 1 === s.epochs;
    if (Number.isFinite(ret) && !last && (e + 1) % loop.every !== 0) continue;
    if (!loop.checkpoint(ret)) return loop.finish(hooks, 'diverged');
    if (last || now() - sliceStart < sliceMs) continue;
    hooks.onProgress?.({ line: s.line, epoch: loop.epoch - startEpoch, epochs: s.epochs, loss: loop.lastLoss() });
    yield;
    sliceStart = now();
    if (hooks.isCancelled?.()) return loop.finish(hooks, 'interrupted');
  }
  return loop.finish(hooks);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** The state of one `train` between epochs. */
class TrainLoop {
  readonly notes = new LimitNotes();
  private readonly base: ReturnType<typeof base>;
  private readonly params: ParamDef[];
  private readonly before: number[];
  /**
   * One loss-curve point every `stride` epochs: 1 at first, doubled (and every other point dropped)
   * whenever the curve holds `curvePoints`, so that it is sized by the epochs run — an interrupted
   * or diverged run has as fine a curve as a run asked for that many epochs.
   */
  private stride = 1;
  private readonly lossCurve: number[] = [];
  private readonly lossEpochs: number[] = [];
  private readonly snapshots: StepTrace[] = [];
  /**
   * Every `every` epochs: look at the clock, check the weights are finite, keep a checkpoint. Tiny
   * networks do this every few hundred epochs so that it costs nothing next to the epochs themselves.
   */
  readonly every: number;
  private saved: TrainerSnapshot;
  private savedEpoch: number;
  /** Where the loss took ln 0, when that is what stopped the run. */
  private logZero?: DiagnosticArgs;
  /** The ln 0 is at the starting weights: no epoch ran, and the epoch to blame is the current one. */
  private atStart = false;
  epoch: number;

  constructor(private readonly ctx: TraceContext, private readonly s: TrainStatement, private readonly startEpoch: number) {
    const { trainer } = ctx;
    this.base = base(ctx, this.notes);
    this.params = shownParams(ctx, this.notes);
    this.before = this.params.map((p) => trainer.params[p.slots[0]]);
    this.every = Math.max(1, Math.min(1024, Math.floor(200_000 / Math.max(1, trainer.sampleCount * trainer.params.length))));
    this.saved = trainer.snapshot();
    this.savedEpoch = startEpoch;
    this.epoch = startEpoch;
  }

  /** Epoch `e` of this run (from 0); returns what the trainer reports, non-finite when something overflowed. */
  runEpoch(e: number): number {
    const { trainer } = this.ctx;
    if (e % this.stride === 0 && this.lossCurve.length >= TRACE_LIMITS.curvePoints) this.thin();
    const record = e % this.stride === 0;
    const batch = this.ctx.mode.kind === 'batch';
    const K = this.s.every;
    let lossBefore = NaN;
    let ret: number;
    if (K !== undefined && (e + 1) % K === 0 && this.snapshots.length < TRACE_LIMITS.snapshots) {
      if (record) lossBefore = trainer.loss();
      const st = tracedEpoch(this.ctx, this.epoch + 1);
      this.snapshots.push(st);
      ret = st.lossAfter;
    } else {
      if (record && !batch) lossBefore = trainer.loss();
      ret = trainer.epoch();
      // In batch mode an epoch reports the loss before its update: the curve's point costs nothing.
      if (record && batch) lossBefore = ret;
    }
    this.epoch++;
    if (record) { this.lossCurve.push(lossBefore); this.lossEpochs.push(this.epoch - 1); }
    return ret;
  }

  /** Doubles the stride, keeping the points at multiples of the new one (epochs counted from this run's start). */
  private thin(): void {
    this.stride *= 2;
    let kept = 0;
    for (let i = 0; i < this.lossCurve.length; i++) {
      if ((this.lossEpochs[i] - this.startEpoch) % this.stride !== 0) continue;
      this.lossCurve[kept] = this.lossCurve[i];
      this.lossEpochs[kept++] = this.lossEpochs[i];
    }
    this.lossCurve.length = kept;
    this.lossEpochs.length = kept;
  }

  /** False (with the place of the ln 0) when the loss at the starting weights is already infinite. */
  startsFinite(): boolean {
    if (Number.isFinite(this.ctx.trainer.loss())) return true;
    this.logZero = findLogZero(this.ctx);
    this.atStart = this.logZero !== undefined;
    return !this.atStart;
  }

  lastLoss(): number {
    return this.lossCurve[this.lossCurve.length - 1];
  }

  /** Keeps the weights as a checkpoint if they are finite; otherwise goes back to the last finite epoch. */
  checkpoint(ret: number): boolean {
    const { trainer } = this.ctx;
    if (Number.isFinite(ret) && allFinite(trainer.params)) {
      this.saved = trainer.snapshot();
      this.savedEpoch = this.epoch;
      return true;
    }
    const reached = this.epoch;
    const { good, logZero } = replayToLastFinite(this.ctx, this.saved, this.savedEpoch, this.epoch);
    // Every epoch ended finite: only a loss within an epoch was not (a sample's ln 0 between updates).
    if (good === reached) { this.saved = trainer.snapshot(); this.savedEpoch = good; return true; }
    this.logZero = logZero;
    this.epoch = good;
    while (this.lossEpochs.length && this.lossEpochs[this.lossEpochs.length - 1] >= good) { this.lossEpochs.pop(); this.lossCurve.pop(); }
    while (this.snapshots.length && this.snapshots[this.snapshots.length - 1].epoch > good) this.snapshots.pop();
    return false;
  }

  finish(hooks: RunHooks, stopped?: 'diverged' | 'interrupted'): TrainOutcome {
    const { trainer } = this.ctx;
    const N = this.s.epochs;
    const K = this.s.every;
    const run = this.epoch - this.startEpoch;
    if (this.stride > 1) this.notes.note(`the loss curve shows one point every ${fmt(this.stride)} epochs`);
    if (K !== undefined && Math.floor(run / K) > TRACE_LIMITS.snapshots) this.notes.note(`only the first ${TRACE_LIMITS.snapshots} of the every-${K} snapshots are kept`);
    const lossNow = trainer.loss();
    this.lossCurve.push(lossNow);
    this.lossEpochs.push(this.epoch);
    const trace: TrainTrace = {
      ...this.base, kind: 'train', epochsRequested: N, epochsRun: run, epoch: this.epoch, lossCurve: this.lossCurve, lossEpochs: this.lossEpochs,
      final: this.params.map((p, i) => ({ name: p.name, value: trainer.params[p.slots[0]], before: this.before[i] })),
      ...forwardAndLoss(this.ctx, this.notes), snapshots: this.snapshots, limits: this.notes.build(),
    };
    const problem = this.problem(stopped, lossNow);
    const stoppedAt = stopped === 'diverged' && !this.atStart ? this.epoch + 1 : this.epoch;
    if (stopped) trace.stopped = { reason: stopped, epoch: stoppedAt, message: stoppedMessage(stopped, problem, run, N, this.epoch) };
    hooks.onProgress?.({ line: this.s.line, epoch: run, epochs: N, loss: lossNow });
    // The last snapshot is the latest step only when it was the last epoch (train 9 every 3, not every 4).
    const lastSnapshot = this.snapshots[this.snapshots.length - 1];
    const lastStep = lastSnapshot?.epoch === this.epoch ? lastSnapshot : undefined;
    return { trace: this.atStart ? undefined : trace, epoch: this.epoch, epochsRun: run, lastStep, stopped, problem };
  }

  private problem(stopped: 'diverged' | 'interrupted' | undefined, loss: number): TrainOutcome['problem'] {
    if (stopped === 'diverged' && this.logZero) {
      const args = this.atStart ? { ...this.logZero, epoch: this.epoch } : { ...this.logZero, epoch: this.epoch + 1, kept: this.epoch };
      return { code: 'log-of-zero', args, severity: 'error' };
    }
    if (stopped === 'diverged') return { code: 'diverged', args: { epoch: this.epoch + 1, rate: this.ctx.rate, kept: this.epoch }, severity: 'error' };
    const stall = stopped === undefined ? stalledBySaturation(this.ctx, loss) : undefined;
    if (!stall) return undefined;
    const { layer, activation, neurons } = stall;
    const args = { epoch: this.epoch, threshold: VANISHED, loss, rate: this.ctx.rate, layer, activation, neurons: neurons.slice(0, 4), more: Math.max(0, neurons.length - 4) };
    return { code: 'train-saturated', args, severity: 'warning' };
  }
}

function stoppedMessage(stopped: 'diverged' | 'interrupted', problem: TrainOutcome['problem'], run: number, epochs: number, epoch: number): string {
  if (stopped === 'diverged') return messageOf(problem!);
  return messageOf({ code: 'train-interrupted', args: { run, epochs, epoch } });
}

/**
 * Restores `checkpoint` (weights and optimizer state after epoch `from`) and reruns epochs one by one
 * until one leaves non-finite weights or weights whose loss overflows or takes ln 0; leaves the last
 * good weights in place and returns their epoch, and where the loss took ln 0 if it did. (An epoch's
 * own return value is the loss *before* its update, so it would notice an overflowing loss one epoch late.)
 */
function replayToLastFinite(ctx: TraceContext, checkpoint: TrainerSnapshot, from: number, to: number): { good: number; logZero?: DiagnosticArgs } {
  const trainer: DenseTrainer = ctx.trainer;
  trainer.restore(checkpoint);
  let saved = checkpoint;
  for (let e = from; e < to; e++) {
    trainer.epoch();
    if (!allFinite(trainer.params) || !Number.isFinite(trainer.loss())) {
      const logZero = allFinite(trainer.params) ? findLogZero(ctx) : undefined;
      trainer.restore(saved);
      return { good: e, logZero };
    }
    saved = trainer.snapshot();
  }
  return { good: to };
}
