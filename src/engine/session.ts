/**
 * A Session is the state of one notebook: the current network, its declared and current parameter
 * values, loss, rate, mode, samples, digits, epoch count, the work budget of the current run, and
 * what the latest run computed (for hovers). Running a cell first plans it against that state
 * (semantics/plan.ts) and changes nothing if anything is wrong; only then do its statements run, in
 * order, each command in its own module under commands/.
 *
 * `check` evaluates at the current weights, except right after a `step` (nothing but checks,
 * `notation`, `digits` or `gradcheck` in between): then the student is checking the step just taken — the issue's
 * sequence "2-2-2 cell, `step`, check cell" — so the quantities are those of the weights before it and
 * `w'` is what it produced. A `forward` in between moves on to the new weights ("forward again").
 */
import { runCheckCommand, type CheckedStep } from './commands/check';
import { runForward } from './commands/forward';
import { runGradcheck } from './commands/gradcheck';
import { runStep } from './commands/step';
import { runTrain, type RunHooks } from './commands/train';
import { DenseTrainer } from './compute/trainer';
import { DEFAULT_LOSS, DEFAULT_RATE } from './language/vocabulary';
import { DEFAULT_OPTIMIZER, describeOptimizer, type OptimizerName, type OptimizerSpec } from './math/optimizers';
import { findLogZero } from './commands/log-zero';
import { DEFAULT_DIGITS } from './language/numbers';
import type { Statement } from './language/syntax';
import { diagnosticAt, LineIndex, type Diagnostic } from './semantics/diagnostics';
import type { DiagnosticArgs, DiagnosticCode } from './semantics/messages';
import type { NetworkModel } from './semantics/model';
import { commandWork, epochWork, isCommand, planCell, WorkBudget, type Command, type Plan, type WorkSize } from './semantics/plan';
import type { NotationTable } from './semantics/notation';
import type { BoundSamples, SampleSet } from './semantics/samples';
import { base, LimitNotes, type TraceContext } from './trace/build';
import { HoverData, type HoverInfo } from './trace/hover';
import type { LossName, Mode, Trace } from './trace/schema';

export type { Progress, RunHooks } from './commands/train';
export type { HoverInfo } from './trace/hover';

export interface CellResult {
  /**
   * Errors, and warnings (`severity: 'warning'`, e.g. a `train` that stalled in saturation, or a
   * check line naming something unknown: the check runs and marks that line). When the cell could not
   * be parsed or named something unknown elsewhere, nothing ran and the state is unchanged. A runtime
   * stop (divergence, a limit) keeps what ran before it and says so.
   */
  errors: Diagnostic[];
  /** One trace per command that ran (or one `network` trace for a cell of declarations only). */
  traces: Trace[];
  /** Number of `check` lines that failed in this cell. */
  checksFailed: number;
  /** True when `isCancelled` stopped a `train` (the weights are those of the last whole epoch). */
  interrupted: boolean;
}

interface Net { model: NetworkModel; trainer: DenseTrainer }

/** One cell being run: its text (for positions) and what it has produced so far. */
interface Running { lines: LineIndex; hooks: RunHooks; result: CellResult; budget: WorkBudget }

export class Session {
  private net?: Net;
  private sampleSet?: SampleSet;
  private bound?: BoundSamples;
  /** The student's symbols, until the network is defined anew (semantics/notation.ts). */
  private notation: NotationTable = new Map();
  private loss: LossName = DEFAULT_LOSS;
  private rate = DEFAULT_RATE;
  private mode: Mode = { kind: 'batch' };
  private optimizer: OptimizerSpec = DEFAULT_OPTIMIZER;
  private decay = 0;
  private digits: number;
  private epoch = 0;
  /** The weights before the latest `step`, while the weights are still the ones it produced. */
  private lastStep?: CheckedStep;
  private readonly hover = new HoverData();
  /** The work budget of the current top-level run, from `beginRun`; without one, each cell has its own. */
  private budget?: WorkBudget;

  constructor(options?: { digits?: number }) {
    this.digits = options?.digits ?? DEFAULT_DIGITS;
  }

  /**
   * A new top-level run starts (Run All, one cell run on its own, a whole file on the command line, an
   * export): the cells run from now on share one work budget of `maxWork` multiply-adds (default
   * LIMITS.maxWork), until the next `beginRun`. Until the first `beginRun`, each cell run has a
   * budget of its own.
   */
  beginRun(options?: { maxWork?: number }): void {
    this.budget = new WorkBudget(options?.maxWork);
  }

  /** Run a cell to the end, synchronously (command line, tests). */
  runSync(text: string): CellResult {
    const result = emptyResult();
    const gen = this.execute(text, {}, result);
    while (!gen.next().done) { /* no slices when synchronous */ }
    return result;
  }

  /** Run a cell, giving control back between slices of training (the kernel). */
  async run(text: string, hooks: RunHooks = {}): Promise<CellResult> {
    const result = emptyResult();
    const gen = this.execute(text, hooks, result);
    while (!gen.next().done) await new Promise((r) => setTimeout(r, 0));
    return result;
  }

  /** Back to the declared weights and a fresh optimizer state (the `reset` command), keeping network and samples. */
  reset(): void {
    if (!this.net) return;
    this.net.trainer.params.set(this.net.model.declared);
    this.net.trainer.resetState();
    this.epoch = 0;
    this.hover.changed();
    this.forgetStep();
  }

  /**
   * Value, gradient and update of a parameter, or net/out/∂E/∂net of a neuron: from the latest
   * `step`, or else computed at the current weights (see HoverInfo's `at`).
   */
  hoverInfo(name: string): HoverInfo | undefined {
    return this.net ? this.hover.info(name, this.ctx(0)) : undefined;
  }

  /** Declared names, and the optimizer in force (its state's quantities), for completions. */
  names(): { params: string[]; neurons: string[]; optimizer: OptimizerName } {
    const optimizer = this.optimizer.name;
    if (!this.net) return { params: [], neurons: [], optimizer };
    const neurons = [...this.net.model.neurons.keys()];
    return { params: this.net.model.paramNames(), neurons: neurons.length > 10_000 ? neurons.slice(0, 10_000) : neurons, optimizer };
  }

  /** Current settings and epoch, for the kernel's status line and tests; `workUsed` is the current run's work so far. */
  state(): { epoch: number; digits: number; loss: LossName; rate: number; mode: Mode; optimizer: OptimizerSpec; decay: number; sampleCount: number; network?: string; workUsed: number } {
    return {
      epoch: this.epoch, digits: this.digits, loss: this.loss, rate: this.rate, mode: this.mode, optimizer: this.optimizer, decay: this.decay, sampleCount: this.sampleSet?.count ?? 0,
      network: this.net?.model.describe(), workUsed: this.budget?.used ?? 0,
    };
  }

  /** Current value of a parameter (tests, hovers). */
  value(name: string): number | undefined {
    const p = this.net?.model.param(name);
    return p ? this.net!.trainer.params[p.slots[0]] : undefined;
  }

  /**
   * Every check of a cell against the current state, without changing it. `lenient`: skip what needs
   * a network it cannot see. The work is checked against what is left of the current run's budget.
   */
  plan(text: string, lenient = false, budget: WorkBudget = this.budget ?? new WorkBudget()): Plan {
    const settings = { loss: this.loss, optimizer: this.optimizer };
    return planCell(text, { model: this.net?.model, samples: this.sampleSet, bound: this.bound, settings, notation: this.notation }, { lenient, budget });
  }

  private forgetStep(): void {
    this.lastStep = undefined;
    this.hover.forget();
  }

  private *execute(text: string, hooks: RunHooks, result: CellResult): Generator<void, void, void> {
    const budget = this.budget ?? new WorkBudget();
    const plan = this.plan(text, false, budget);
    result.errors = plan.errors.sort((a, b) => a.span.start - b.span.start);
    // Warnings (a check line naming something unknown) do not stop the cell; errors do.
    if (plan.errors.some((d) => d.severity === 'error')) return;
    // Before and after: a hover between two slices of a `train` must not be taken for the end state.
    this.hover.changed();
    try {
      yield* this.executePlan(plan, { lines: new LineIndex(text), hooks, result, budget });
    } finally {
      this.hover.changed();
    }
  }

  private *executePlan(plan: Plan, run: Running): Generator<void, void, void> {
    const changes = this.adopt(plan);
    let commands = 0;
    for (const s of plan.statements) {
      // `check` right after a `step` checks that step. Anything else in between — a forward pass at the
      // new weights ("forward again"), a setting, training — moves on to the current weights.
      if (!['check', 'digits', 'gradcheck', 'step', 'notation'].includes(s.kind)) this.lastStep = undefined;
      if (isCommand(s)) {
        commands++;
        if (!(yield* this.command(s, run))) return;
      } else this.setting(s, plan, changes);
    }
    if (commands === 0 && this.net && changes.length) {
      const notes = new LimitNotes();
      run.result.traces.push({ ...base(this.ctx(1), notes), kind: 'network', changes, limits: notes.build() });
    }
  }

  /** Takes on the network and samples a cell defines; returns what changed, for a `network` trace. */
  private adopt(plan: Plan): string[] {
    const changes: string[] = [];
    this.notation = plan.notation;
    if (plan.model) {
      this.net = { model: plan.model, trainer: this.trainerFor(plan.model) };
      this.epoch = 0;
      this.forgetStep();
      changes.push(`defined ${plan.model.describe()}`);
    }
    if (plan.samples) {
      this.sampleSet = plan.samples;
      changes.push(`${plan.samples.count === 1 ? '1 sample' : `${plan.samples.count.toLocaleString('en-US')} samples`}`);
      this.lastStep = undefined;
    }
    if (plan.model || plan.samples) {
      this.bound = plan.bound;
      if (this.net) {
        const b = plan.bound ?? { count: 0, inputs: new Float64Array(0), targets: new Float64Array(0) };
        this.net.trainer.setSamples(b.inputs, b.targets);
      }
    }
    return changes;
  }

  private trainerFor(m: NetworkModel): DenseTrainer {
    return new DenseTrainer({
      sizes: m.layers.map((l) => l.names.length), activations: m.layers.slice(1).map((l) => l.activation!),
      loss: this.loss, rate: this.rate, mode: this.mode, optimizer: this.optimizer, decay: this.decay,
      inputs: new Float64Array(0), targets: new Float64Array(0),
      params: m.declared.slice(), hasBias: m.layers.slice(1).map((l, i) => Array.from(m.layout.biasSlot[i + 1], (s) => s >= 0)), tied: m.tied,
    });
  }

  /** A statement that changes a setting or a parameter (not a command). */
  private setting(s: Statement, plan: Plan, changes: string[]): void {
    const net = this.net;
    switch (s.kind) {
      case 'loss': this.loss = s.loss; if (net) net.trainer.lossName = s.loss; changes.push(`loss ${s.loss}`); break;
      case 'rate': this.rate = s.value; if (net) net.trainer.rate = s.value; changes.push(`rate ${String(s.value)}`); break;
      case 'mode': this.mode = s.mode; if (net) net.trainer.mode = s.mode; changes.push(`mode ${s.mode.kind}${s.mode.kind === 'minibatch' ? ` ${s.mode.size}` : ''}`); break;
      // A new optimizer starts from fresh state; the latest step's state is no longer the one in force.
      case 'optimizer': this.optimizer = s.optimizer; if (net) net.trainer.optimizer = s.optimizer; this.forgetStep(); changes.push(`optimizer ${describeOptimizer(s.optimizer)}`); break;
      case 'decay': this.decay = s.value; if (net) net.trainer.decay = s.value; changes.push(`decay ${String(s.value)}`); break;
      case 'freeze': case 'unfreeze':
        for (const n of s.names) for (const slot of net!.model.param(n.name)!.slots) net!.trainer.setFrozen(slot, s.kind === 'freeze');
        changes.push(`${s.kind} ${s.names.map((n) => n.name).join(' ')}`);
        break;
      case 'notation': changes.push(`notation ${s.pairs.map((x) => `${x.symbol} = ${x.quantityText}`).join(', ')}`); break;
      case 'set': case 'weight': case 'bias':
        // In the defining cell, weight and bias lines are the definition itself.
        if (plan.model && s.kind !== 'set') break;
        // The latest step's old → new no longer describes this parameter's value.
        this.forgetStep();
        for (const slot of net!.model.param(s.name.name)!.slots) { net!.trainer.params[slot] = s.value.value; net!.model.declared[slot] = s.value.value; }
        changes.push(`${s.name.name} = ${s.value.text}`);
        break;
      default:
    }
  }

  private ctx(line: number): TraceContext {
    return { model: this.net!.model, trainer: this.net!.trainer, digits: this.digits, line, loss: this.loss, rate: this.rate, mode: this.mode };
  }

  private size(): WorkSize {
    return { samples: this.net!.trainer.sampleCount, params: this.net!.model.paramCount };
  }

  /** Runs one command and spends its work; false when it stopped the cell (divergence, interrupt). */
  private *command(s: Command, run: Running): Generator<void, boolean, void> {
    const { result } = run;
    if (s.kind === 'digits') {
      this.digits = s.digits;
      if (this.net) result.traces.push(this.message(s.line, `showing ${s.digits} significant digits`));
      return true;
    }
    if (s.kind === 'train') return yield* this.train(s, run);
    run.budget.spend(commandWork(s, this.size(), this.net!.model));
    const ctx = this.ctx(s.line);
    switch (s.kind) {
      case 'reset':
        this.reset();
        result.traces.push(this.message(s.line, `reset: the weights are back to their declared values (epoch 0)${this.optimizer.name === 'sgd' ? '' : `, the ${this.optimizer.name} state back to 0`}`));
        return true;
      case 'forward': {
        const t = runForward(ctx);
        const zero = Number.isFinite(t.loss.total) ? undefined : findLogZero(ctx);
        if (zero) { this.report(run, s, 'log-of-zero', zero); return false; }
        this.hover.rememberForward(t, ctx.model);
        result.traces.push(t);
        return true;
      }
      case 'step': return this.step(s, ctx, run);
      case 'gradcheck':
        if (this.stoppedByLogZero(ctx, s, run)) return false;
        result.traces.push(runGradcheck(ctx));
        return true;
      case 'check': {
        if (!this.lastStep && this.stoppedByLogZero(ctx, s, run)) return false;
        const t = runCheckCommand(ctx, s.items, s.within, this.lastStep, s.skipped);
        result.checksFailed += t.failed;
        result.traces.push(t);
        return true;
      }
    }
  }

  /** The loss at the current weights takes ln 0: the error, and the cell stops (every value would be infinite or NaN). */
  private stoppedByLogZero(ctx: TraceContext, s: Command, run: Running): boolean {
    const zero = Number.isFinite(ctx.trainer.loss()) ? undefined : findLogZero(ctx);
    if (zero) this.report(run, s, 'log-of-zero', { ...zero, epoch: this.epoch });
    return zero !== undefined;
  }

  private step(s: Command, ctx: TraceContext, run: Running): boolean {
    const { trace, before, problem } = runStep(ctx, this.epoch);
    if (trace) run.result.traces.push(trace);
    if (problem || !trace) {
      if (problem) this.report(run, s, problem.code, problem.args);
      return false;
    }
    this.epoch++;
    this.hover.rememberStep(trace, ctx.model);
    this.lastStep = { before, epoch: this.epoch };
    return true;
  }

  private *train(s: Extract<Command, { kind: 'train' }>, run: Running): Generator<void, boolean, void> {
    const out = yield* runTrain(this.ctx(s.line), s, this.epoch, run.hooks);
    run.budget.spend(out.epochsRun * epochWork(this.size()));
    this.epoch = out.epoch;
    this.forgetStep();
    if (out.lastStep) this.hover.rememberStep(out.lastStep, this.net!.model);
    if (out.problem) this.report(run, s, out.problem.code, out.problem.args, out.problem.severity);
    if (out.stopped === 'interrupted') run.result.interrupted = true;
    if (out.trace) run.result.traces.push(out.trace);
    return out.stopped === undefined;
  }

  private report(run: Running, s: Statement, code: DiagnosticCode, args: DiagnosticArgs, severity: Diagnostic['severity'] = 'error'): void {
    run.result.errors.push(diagnosticAt(run.lines, s, code, args, { severity }));
  }

  private message(line: number, text: string): Trace {
    const notes = new LimitNotes();
    return { ...base(this.ctx(line), notes), kind: 'message', text, limits: notes.build() };
  }
}

function emptyResult(): CellResult {
  return { errors: [], traces: [], checksFailed: 0, interrupted: false };
}

/** Diagnostics for a cell as it is typed (no state changes); names are checked against the session's
 *  network when given and the cell does not declare its own. Work is judged for the cell on its own. */
export function analyze(text: string, session?: Session): Diagnostic[] {
  return (session ?? new Session()).plan(text, session === undefined, new WorkBudget()).errors.sort((a, b) => a.span.start - b.span.start);
}
