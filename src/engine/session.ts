/**
 * A Session is the state of one notebook: the current network, its declared and current parameter
 * values, loss, rate, mode, samples, digits, epoch count, and what the latest run computed (for
 * hovers). Running a cell first checks all of it — parse errors, unknown names, missing edges,
 * samples that do not fit, sizes beyond the limits — and changes nothing if anything is wrong; only
 * then do its statements run, in order.
 *
 * `check` evaluates at the current weights, except right after a `step` (nothing but checks,
 * `digits` or `gradcheck` in between): then the student is checking the step just taken — the issue's
 * sequence "2-2-2 cell, `step`, check cell" — so the quantities are those of the weights before it and
 * `w'` is what it produced. A `forward` in between moves on to the new weights ("forward again").
 */
import { runCheck, quantityError } from './commands/check';
import { diagnostic, type Diagnostic } from './semantics/diagnostics';
import { gradcheckCount, runGradcheck } from './commands/gradcheck';
import { DEFAULT_LOSS, DEFAULT_RATE } from './language/vocabulary';
import { LIMITS, TRACE_LIMITS } from './semantics/limits';
import { buildNetwork, type NetworkModel, type ParamDef } from './semantics/model';
import { unknownNameMessage } from './language/names';
import { DEFAULT_DIGITS, formatNumber } from './language/numbers';
import { parseCell } from './language/parser';
import type { Span, Statement } from './language/syntax';
import { bindSamples, collectSamples, type BoundSamples, type SampleSet } from './semantics/samples';
import { base, LimitNotes, lossTrace, paramInfo, sampleForward, shownParams, shownSamples, tracedEpoch, tracedUpdate, type TraceContext } from './trace/build';
import { DenseTrainer } from './compute/trainer';
import type { ForwardTrace, LossName, Mode, ParamGrad, ParamInfo, StepTrace, Trace, TrainTrace, UpdateRow, UpdateTrace } from './trace/schema';

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

/**
 * A parameter's `at` says where its gradient and update come from: `step`, the latest `step` (or the
 * last snapshot of `train … every K`); `current`, computed at the current weights as the first update
 * the next `step` would make (after a plain `train`, a `forward`, a `reset` or a change of weights).
 * A neuron's values are those of sample 1 in the same update, or of the latest `forward`.
 */
export type HoverInfo =
  | { kind: 'param'; param: ParamInfo; grad?: ParamGrad; update?: UpdateRow; at?: 'step' | 'current'; digits: number }
  | { kind: 'neuron'; name: string; layer: number; activation: string | null; net?: number; out?: number; dE_dnet?: number; digits: number };

/** Gradients, updates and neuron values (sample 1) of one update, for hovers. */
interface Latest {
  grads: Map<string, ParamGrad>;
  updates: Map<string, UpdateRow>;
  neurons: Map<string, { net: number; out: number; dE_dnet?: number }>;
}

/**
 * Samples × parameters of the update a hover may compute at the current weights (a fraction of a
 * second, once per change of state); beyond it the hover shows no gradient until a `step`.
 */
const HOVER_WORK = 1e8;

interface Net { model: NetworkModel; trainer: DenseTrainer }

/** A validated cell, ready to run. */
interface Plan {
  errors: Diagnostic[];
  statements: Statement[];
  model?: NetworkModel;
  samples?: SampleSet;
  bound?: BoundSamples;
}

type Command = Extract<Statement, { kind: 'forward' | 'step' | 'train' | 'gradcheck' | 'check' | 'reset' | 'digits' }>;
const COMMANDS = new Set(['forward', 'step', 'train', 'gradcheck', 'check', 'reset', 'digits']);
const NEEDS_SAMPLES = new Set(['forward', 'step', 'train', 'gradcheck', 'check']);

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
const fmtInt = (n: number) => n.toLocaleString('en-US');

export class Session {
  private net?: Net;
  private sampleSet?: SampleSet;
  private bound?: BoundSamples;
  private loss: LossName = DEFAULT_LOSS;
  private rate = DEFAULT_RATE;
  private mode: Mode = { kind: 'batch' };
  private digits: number;
  private readonly initialDigits: number;
  private epoch = 0;
  /** The weights before the latest `step`, while the weights are still the ones it produced. */
  private lastStep?: { before: Float64Array; epoch: number };
  /** What the latest `step` computed (neurons: or the latest `forward`). */
  private latest: Latest = emptyLatest();
  /** Bumped by everything that may change the state, so hover data computed at the current weights is redone. */
  private version = 0;
  private atCurrent?: { version: number; latest?: Latest };

  constructor(options?: { digits?: number }) {
    this.digits = options?.digits ?? DEFAULT_DIGITS;
    this.initialDigits = this.digits;
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

  /** Back to the declared weights (the `reset` command), keeping network and samples. */
  reset(): void {
    if (!this.net) return;
    this.net.trainer.params.set(this.net.model.declared);
    this.epoch = 0;
    this.version++;
    this.clearLatest();
  }

  /** Forget everything (a fresh kernel state). */
  clear(): void {
    this.net = undefined;
    this.sampleSet = undefined;
    this.bound = undefined;
    this.loss = DEFAULT_LOSS;
    this.rate = DEFAULT_RATE;
    this.mode = { kind: 'batch' };
    this.digits = this.initialDigits;
    this.epoch = 0;
    this.version++;
    this.clearLatest();
  }

  /**
   * Value, gradient and update of a parameter, or net/out/∂E/∂net of a neuron: from the latest
   * `step`, or else computed at the current weights (see HoverInfo's `at`).
   */
  hoverInfo(name: string): HoverInfo | undefined {
    if (!this.net) return undefined;
    const { model, trainer } = this.net;
    const p = model.param(name);
    const n = p ? undefined : model.neurons.get(name);
    if (!p && !n) return undefined;
    const fromStep = this.latest.grads.size > 0;
    const latest = fromStep ? this.latest : this.currentLatest(p);
    if (p) {
      const grad = latest?.grads.get(name);
      return { kind: 'param', param: paramInfo(p, trainer), grad, update: latest?.updates.get(name), at: grad ? (fromStep ? 'step' : 'current') : undefined, digits: this.digits };
    }
    const v = (latest ?? this.latest).neurons.get(name);
    return { kind: 'neuron', name, layer: n!.layer, activation: model.layers[n!.layer].activation, net: v?.net, out: v?.out, dE_dnet: v?.dE_dnet, digits: this.digits };
  }

  /**
   * The first update the next `step` would make, written out at the current weights (without making
   * it) for the parameters a trace lists and `p`; cached until the state changes.
   */
  private currentLatest(p?: ParamDef): Latest | undefined {
    const cached = this.atCurrent?.version === this.version ? this.atCurrent : undefined;
    if (cached && (!cached.latest || !p || cached.latest.grads.has(p.name))) return cached.latest;
    const { trainer, model } = this.net!;
    const [group] = trainer.groups();
    let latest: Latest | undefined;
    if (group && group[1] * trainer.params.length <= HOVER_WORK) {
      const ctx = this.ctx(0);
      const params = cached ? [] : shownParams(ctx, new LimitNotes());
      // A parameter beyond those a trace lists (a bias of a big network) is added when it is hovered.
      if (p && !params.some((x) => x.name === p.name)) params.push(p);
      const saved = trainer.params.slice();
      const u = tracedUpdate(ctx, group[0], group[1], params, new LimitNotes());
      trainer.params.set(saved);
      latest = latestOf(u, model);
      if (cached?.latest) {
        for (const [k, v] of latest.grads) cached.latest.grads.set(k, v);
        for (const [k, v] of latest.updates) cached.latest.updates.set(k, v);
        latest = cached.latest;
      }
    }
    this.atCurrent = { version: this.version, latest };
    return latest;
  }

  /** Declared names, for completions. */
  names(): { params: string[]; neurons: string[] } {
    if (!this.net) return { params: [], neurons: [] };
    const neurons = [...this.net.model.neurons.keys()];
    return { params: this.net.model.paramNames(), neurons: neurons.length > 10_000 ? neurons.slice(0, 10_000) : neurons };
  }

  /** Current settings and epoch, for the kernel's status line and tests. */
  state(): { epoch: number; digits: number; loss: LossName; rate: number; mode: Mode; sampleCount: number; network?: string } {
    return { epoch: this.epoch, digits: this.digits, loss: this.loss, rate: this.rate, mode: this.mode, sampleCount: this.sampleSet?.count ?? 0, network: this.net?.model.describe() };
  }

  /** Current value of a parameter (tests, hovers). */
  value(name: string): number | undefined {
    const p = this.net?.model.param(name);
    return p ? this.net!.trainer.params[p.slots[0]] : undefined;
  }

  private clearLatest(): void {
    this.lastStep = undefined;
    this.latest = emptyLatest();
  }

  /** Every check of a cell against the current state, without changing it. `lenient`: skip what needs a network it cannot see. */
  plan(text: string, lenient = false): Plan {
    const { statements, errors } = parseCell(text);
    const err = (s: Span, m: string) => errors.push(diagnostic(text, s.start, s.end, m));
    const hasInput = statements.some((s) => s.kind === 'input');
    let model: NetworkModel | undefined;
    const parseFailed = errors.length > 0;
    if (hasInput) {
      const built = buildNetwork(text, statements, parseFailed);
      errors.push(...built.errors);
      model = built.model;
    } else {
      for (const s of statements) if (s.kind === 'layer' || s.kind === 'init') err(s, `'${s.kind}' belongs in the cell that defines the network (the one with 'input')`);
    }
    const current = hasInput ? model : this.net?.model;
    const canCheckNames = current !== undefined && !(hasInput && !model);
    const beforeSamples = errors.length;
    const samples = collectSamples(text, statements, errors);
    const samplesOk = errors.length === beforeSamples;
    let bound: BoundSamples | undefined;
    let bindErrors: Diagnostic[] = [];
    if (current && (samples || hasInput) && samplesOk) {
      const set = samples ?? this.sampleSet;
      if (set) {
        const here = samples !== undefined;
        const fallback = statements.find((s) => NEEDS_SAMPLES.has(s.kind)) ?? statements.find((s) => s.kind === 'input')!;
        bound = bindSamples(text, set, current, here, fallback, bindErrors);
        // Samples written in this cell must fit; older samples only matter to a command that uses them.
        if (here) { errors.push(...bindErrors); bindErrors = []; }
      }
    } else if (current && !samples && !hasInput) {
      bound = this.bound;
      if (!bound && this.sampleSet && this.net) {
        const fallback = statements.find((s) => NEEDS_SAMPLES.has(s.kind));
        if (fallback) bindSamples(text, this.sampleSet, this.net.model, false, fallback, bindErrors);
      }
    }
    const sampleCount = bound?.count ?? 0;
    const paramCount = current?.paramCount ?? 0;

    for (const s of statements) {
      switch (s.kind) {
        case 'freeze': case 'unfreeze':
          if (!canCheckNames) { if (!lenient && !hasInput && !current) err(s, `'${s.kind}' needs a network: define one with 'input' and 'layer' lines first`); break; }
          for (const n of s.names) if (!current!.param(n.name)) err(n, current!.neurons.has(n.name) ? `'${n.name}' is a neuron, not a parameter` : unknownNameMessage('parameter', n.name, current!.paramNames()));
          break;
        case 'set':
          if (!canCheckNames) { if (!lenient && !hasInput && !current) err(s, 'there is no network yet to set a parameter of'); break; }
          if (!current!.param(s.name.name)) err(s.name, current!.neurons.has(s.name.name) ? `'${s.name.name}' is a neuron, not a parameter` : unknownNameMessage('parameter', s.name.name, current!.paramNames()));
          break;
        case 'weight': case 'bias': {
          if (hasInput) break;
          if (!current) { if (!lenient) err(s, `'${s.name.name}' belongs to a network: define one with 'input' and 'layer' lines first`); break; }
          const p = current.param(s.name.name);
          if (!p) { err(s.name, `${unknownNameMessage('parameter', s.name.name, current.paramNames())} (a cell without 'input' can only change existing parameters)`); break; }
          if (s.kind === 'weight' && (p.kind !== 'weight' || p.from !== s.from.name || p.to[0] !== s.to.name)) err({ start: s.from.start, end: s.to.end }, p.kind === 'weight' ? `${p.name} is the weight ${p.from} -> ${p.to[0]}, not ${s.from.name} -> ${s.to.name}` : `${p.name} is a bias, not a weight`);
          if (s.kind === 'bias' && (p.kind !== 'bias' || p.to.join(' ') !== s.to.map((t) => t.name).join(' '))) err(s.name, p.kind === 'bias' ? `${p.name} is the bias of ${p.to.join(' ')}; its neurons cannot change outside the defining cell` : `${p.name} is a weight, not a bias`);
          break;
        }
        case 'forward': case 'step': case 'train': case 'gradcheck': case 'check': case 'reset': {
          if (hasInput && !model) break;
          if (!current) { if (!lenient) err(s, `'${s.kind}' needs a network: define one with 'input' and 'layer' lines first`); break; }
          if (NEEDS_SAMPLES.has(s.kind) && !(s.kind === 'check' && s.items.every((i) => i.parsed.kind === 'value'))) {
            if (bindErrors.length) { errors.push(...bindErrors); bindErrors = []; break; }
            if (!bound && !lenient) { err(s, `'${s.kind}' needs samples: add 'sample ...' lines or a 'data' table`); break; }
          }
          const epochWork = 3 * sampleCount * paramCount + LIMITS.epochOverhead;
          const tooMuch = (what: string, work: number, advice = '') => err(s, `${what} is about ${work.toExponential(1)} multiply-adds of work (${fmtInt(sampleCount)} sample${sampleCount === 1 ? '' : 's'} × ${fmtInt(paramCount)} parameters), beyond the limit of ${LIMITS.maxWork.toExponential(0)}${advice}`);
          if (s.kind === 'train' && s.epochs > LIMITS.maxEpochs) err(s, `train ${fmtInt(s.epochs)} is more than the limit of ${fmtInt(LIMITS.maxEpochs)} epochs`);
          else if (s.kind === 'train' && s.epochs * epochWork > LIMITS.maxWork) {
            const fit = Math.floor(LIMITS.maxWork / epochWork);
            tooMuch(`train ${fmtInt(s.epochs)}`, s.epochs * epochWork, fit >= 1 ? `; train ${fmtInt(fit)} is the most that fits` : '');
          }
          else if ((s.kind === 'step' || s.kind === 'check') && epochWork > LIMITS.maxWork) tooMuch(`'${s.kind}'`, epochWork);
          else if (s.kind === 'gradcheck' && epochWork * gradcheckCount(current, sampleCount) > LIMITS.maxWork) tooMuch("'gradcheck'", epochWork * gradcheckCount(current, sampleCount));
          if (s.kind === 'check' && canCheckNames) {
            for (const item of s.items) {
              const m = quantityError(item.parsed, current, bound ? sampleCount : Infinity);
              if (m) err({ start: item.qStart, end: item.qEnd }, m);
            }
          }
          break;
        }
        default:
      }
    }
    return { errors, statements, model, samples, bound };
  }

  private *execute(text: string, hooks: RunHooks, result: CellResult): Generator<void, void, void> {
    const plan = this.plan(text);
    if (plan.errors.length) {
      result.errors = plan.errors.sort((a, b) => a.span.start - b.span.start);
      return;
    }
    // Before and after: a hover between two slices of a `train` must not be taken for the end state.
    this.version++;
    try {
      yield* this.executePlan(plan, text, hooks, result);
    } finally {
      this.version++;
    }
  }

  private *executePlan(plan: Plan, text: string, hooks: RunHooks, result: CellResult): Generator<void, void, void> {
    const changes: string[] = [];
    if (plan.model) {
      const m = plan.model;
      this.net = {
        model: m,
        trainer: new DenseTrainer({
          sizes: m.layers.map((l) => l.names.length), activations: m.layers.slice(1).map((l) => l.activation!),
          loss: this.loss, rate: this.rate, mode: this.mode,
          inputs: new Float64Array(0), targets: new Float64Array(0),
          params: m.declared.slice(), hasBias: m.layers.slice(1).map((l, i) => Array.from(m.layout.biasSlot[i + 1], (s) => s >= 0)), tied: m.tied,
        }),
      };
      this.epoch = 0;
      this.clearLatest();
      changes.push(`defined ${m.describe()}`);
    }
    if (plan.samples) {
      this.sampleSet = plan.samples;
      changes.push(`${plan.samples.count === 1 ? '1 sample' : `${fmtInt(plan.samples.count)} samples`}`);
    }
    if (plan.model || plan.samples) {
      this.bound = plan.bound;
      if (this.net) {
        const b = plan.bound ?? { count: 0, inputs: new Float64Array(0), targets: new Float64Array(0) };
        this.net.trainer.setSamples(b.inputs, b.targets);
      }
    }
    if (plan.samples) this.lastStep = undefined;
    let commands = 0;
    for (const s of plan.statements) {
      const net = this.net;
      // `check` right after a `step` checks that step. Anything else in between — a forward pass at the
      // new weights ("forward again"), a setting, training — moves on to the current weights.
      if (!['check', 'digits', 'gradcheck', 'step'].includes(s.kind)) this.lastStep = undefined;
      switch (s.kind) {
        case 'loss': this.loss = s.loss; if (net) net.trainer.lossName = s.loss; changes.push(`loss ${s.loss}`); break;
        case 'rate': this.rate = s.value; if (net) net.trainer.rate = s.value; changes.push(`rate ${String(s.value)}`); break;
        case 'mode': this.mode = s.mode; if (net) net.trainer.mode = s.mode; changes.push(`mode ${s.mode.kind}${s.mode.kind === 'minibatch' ? ` ${s.mode.size}` : ''}`); break;
        case 'freeze': case 'unfreeze':
          for (const n of s.names) for (const slot of net!.model.param(n.name)!.slots) net!.trainer.setFrozen(slot, s.kind === 'freeze');
          changes.push(`${s.kind} ${s.names.map((n) => n.name).join(' ')}`);
          break;
        case 'set': case 'weight': case 'bias':
          // In the defining cell, weight and bias lines are the definition itself.
          if (plan.model && s.kind !== 'set') break;
          // The latest step's old → new no longer describes this parameter's value.
          this.clearLatest();
          for (const slot of net!.model.param(s.name.name)!.slots) { net!.trainer.params[slot] = s.value.value; net!.model.declared[slot] = s.value.value; }
          changes.push(`${s.name.name} = ${s.value.text}`);
          break;
        default:
          if (COMMANDS.has(s.kind)) {
            commands++;
            const ok = yield* this.command(s as Command, text, hooks, result);
            if (!ok) return;
          }
      }
    }
    if (commands === 0 && this.net && changes.length) {
      const notes = new LimitNotes();
      result.traces.push({ ...base(this.ctx(1), notes), kind: 'network', changes, limits: notes.build() });
    }
  }

  private ctx(line: number): TraceContext {
    return { model: this.net!.model, trainer: this.net!.trainer, digits: this.digits, line, loss: this.loss, rate: this.rate, mode: this.mode };
  }

  /** Runs one command; false when it stopped the cell (divergence). */
  private *command(s: Command, text: string, hooks: RunHooks, result: CellResult): Generator<void, boolean, void> {
    if (s.kind === 'digits') {
      this.digits = s.digits;
      if (this.net) result.traces.push(this.message(s.line, `showing ${s.digits} significant digits`));
      return true;
    }
    const ctx = this.ctx(s.line);
    switch (s.kind) {
      case 'reset':
        this.reset();
        result.traces.push(this.message(s.line, 'reset: the weights are back to their declared values (epoch 0)'));
        return true;
      case 'forward': {
        const notes = new LimitNotes();
        const b = base(ctx, notes);
        const S = ctx.trainer.sampleCount;
        const shown = shownSamples(0, S, notes);
        const details = new Map(shown.map((i) => [i, ctx.trainer.detail(i, S)]));
        const forward = shown.map((i) => sampleForward(ctx, i, details.get(i)!));
        const t: ForwardTrace = { ...b, kind: 'forward', forward, loss: lossTrace(ctx, 0, S, shown, details), limits: notes.build() };
        this.latest.neurons.clear();
        const d = details.get(0);
        if (d) for (const [name, r] of this.net!.model.neurons) if (r.index < TRACE_LIMITS.neuronsPerLayer) this.latest.neurons.set(name, { net: d.net[r.layer][r.index], out: d.out[r.layer][r.index] });
        result.traces.push(t);
        return true;
      }
      case 'step': {
        const saved = ctx.trainer.params.slice();
        const t = tracedEpoch(ctx, this.epoch + 1);
        if (!allFinite(ctx.trainer.params) || !Number.isFinite(t.lossAfter)) {
          ctx.trainer.params.set(saved);
          result.traces.push(t);
          result.errors.push(diagnostic(text, s.start, s.end, divergedMessage(this.epoch + 1, this.rate, this.epoch)));
          return false;
        }
        this.epoch++;
        this.remember(t);
        this.lastStep = { before: saved, epoch: this.epoch };
        result.traces.push(t);
        return true;
      }
      case 'gradcheck':
        result.traces.push(runGradcheck(ctx));
        return true;
      case 'check': {
        const step = this.lastStep;
        const current = step ? ctx.trainer.params.slice() : undefined;
        if (step) ctx.trainer.params.set(step.before);
        const t = runCheck(ctx, s.items, s.within);
        if (step) { ctx.trainer.params.set(current!); t.stepEpoch = step.epoch; }
        result.checksFailed += t.failed;
        result.traces.push(t);
        return true;
      }
      case 'train':
        return yield* this.train(s, ctx, text, hooks, result);
    }
  }

  private *train(s: Extract<Statement, { kind: 'train' }>, ctx: TraceContext, text: string, hooks: RunHooks, result: CellResult): Generator<void, boolean, void> {
    const { trainer } = ctx;
    const N = s.epochs;
    const K = s.every;
    const notes = new LimitNotes();
    const b = base(ctx, notes);
    const params = shownParams(ctx, notes);
    const before = params.map((p) => trainer.params[p.slots[0]]);
    const stride = Math.ceil((N + 1) / TRACE_LIMITS.curvePoints);
    if (stride > 1) notes.note(`the loss curve shows one point every ${fmtInt(stride)} epochs`);
    const lossCurve: number[] = [];
    const lossEpochs: number[] = [];
    const snapshots: StepTrace[] = [];
    const batch = this.mode.kind === 'batch';
    const work = Math.max(1, trainer.sampleCount * trainer.params.length);
    // Every `every` epochs: look at the clock, check the weights are finite, keep a checkpoint. Tiny
    // networks do this every few hundred epochs so that it costs nothing next to the epochs themselves.
    const every = Math.max(1, Math.min(1024, Math.floor(200_000 / work)));
    const checkpoint = trainer.params.slice();
    let checkpointEpoch = this.epoch;
    const startEpoch = this.epoch;
    const sliceMs = hooks.sliceMs ?? 50;
    let sliceStart = now();
    let stopped: TrainTrace['stopped'];
    for (let e = 0; e < N; e++) {
      const record = e % stride === 0;
      let lossBefore = NaN;
      let ret: number;
      if (K !== undefined && (e + 1) % K === 0 && snapshots.length < TRACE_LIMITS.snapshots) {
        if (record) lossBefore = trainer.loss();
        const st = tracedEpoch(ctx, this.epoch + 1);
        snapshots.push(st);
        ret = st.lossAfter;
      } else {
        if (record && !batch) lossBefore = trainer.loss();
        ret = trainer.epoch();
        if (record && batch) lossBefore = ret;
      }
      this.epoch++;
      if (record) { lossCurve.push(lossBefore); lossEpochs.push(this.epoch - 1); }
      const last = e + 1 === N;
      if (!Number.isFinite(ret) || last || (e + 1) % every === 0) {
        if (!Number.isFinite(ret) || !allFinite(trainer.params)) {
          // Replay from the checkpoint (the arithmetic is deterministic) to find the first bad epoch.
          const good = this.replayToLastFinite(trainer, checkpoint, checkpointEpoch, this.epoch);
          this.epoch = good;
          while (lossEpochs.length && lossEpochs[lossEpochs.length - 1] >= good) { lossEpochs.pop(); lossCurve.pop(); }
          while (snapshots.length && snapshots[snapshots.length - 1].epoch > good) snapshots.pop();
          const message = divergedMessage(good + 1, this.rate, good);
          stopped = { reason: 'diverged', epoch: good + 1, message };
          result.errors.push(diagnostic(text, s.start, s.end, message));
          break;
        }
        checkpoint.set(trainer.params);
        checkpointEpoch = this.epoch;
        if (!last && now() - sliceStart >= sliceMs) {
          hooks.onProgress?.({ line: s.line, epoch: this.epoch - startEpoch, epochs: N, loss: lossCurve[lossCurve.length - 1] });
          yield;
          sliceStart = now();
          if (hooks.isCancelled?.()) {
            const run = this.epoch - startEpoch;
            stopped = { reason: 'interrupted', epoch: this.epoch, message: `interrupted after ${fmtInt(run)} of ${fmtInt(N)} epochs; the weights are those of the last whole epoch (epoch ${fmtInt(this.epoch)})` };
            result.interrupted = true;
            break;
          }
        }
      }
    }
    const run = this.epoch - startEpoch;
    if (K !== undefined && Math.floor(run / K) > TRACE_LIMITS.snapshots) notes.note(`only the first ${TRACE_LIMITS.snapshots} of the every-${K} snapshots are kept`);
    const S = trainer.sampleCount;
    const lossNow = trainer.loss();
    lossCurve.push(lossNow);
    lossEpochs.push(this.epoch);
    const shown = shownSamples(0, S, notes);
    const details = new Map(shown.map((i) => [i, trainer.detail(i, S)]));
    const t: TrainTrace = {
      ...b, kind: 'train', epochsRequested: N, epochsRun: run, epoch: this.epoch, lossCurve, lossEpochs,
      final: params.map((p, i) => ({ name: p.name, value: trainer.params[p.slots[0]], before: before[i] })),
      forward: shown.map((i) => sampleForward(ctx, i, details.get(i)!)), loss: lossTrace(ctx, 0, S, shown, details), snapshots,
      limits: notes.build(),
    };
    if (stopped) t.stopped = stopped;
    hooks.onProgress?.({ line: s.line, epoch: run, epochs: N, loss: lossNow });
    this.clearLatest();
    // The last snapshot is the latest step only when it was the last epoch (train 9 every 3, not every 4).
    const lastSnapshot = snapshots[snapshots.length - 1];
    if (lastSnapshot?.epoch === this.epoch) this.remember(lastSnapshot);
    result.traces.push(t);
    return stopped?.reason !== 'diverged' && !result.interrupted;
  }

  /**
   * Restores `checkpoint` (weights after epoch `from`) and reruns epochs one by one until one leaves
   * non-finite weights or weights whose loss overflows; leaves the last good weights in place and
   * returns their epoch. (An epoch's own return value is the loss *before* its update, so it would
   * notice an overflowing loss one epoch late.)
   */
  private replayToLastFinite(trainer: DenseTrainer, checkpoint: Float64Array, from: number, to: number): number {
    trainer.params.set(checkpoint);
    const saved = checkpoint.slice();
    for (let e = from; e < to; e++) {
      trainer.epoch();
      if (!allFinite(trainer.params) || !Number.isFinite(trainer.loss())) {
        trainer.params.set(saved);
        return e;
      }
      saved.set(trainer.params);
    }
    return to;
  }

  private remember(t: StepTrace): void {
    this.clearLatest();
    const u = t.updates[t.updates.length - 1];
    if (u) this.latest = latestOf(u, this.net!.model);
  }

  private message(line: number, text: string): Trace {
    const notes = new LimitNotes();
    return { ...base(this.ctx(line), notes), kind: 'message', text, limits: notes.build() };
  }
}

function emptyLatest(): Latest {
  return { grads: new Map(), updates: new Map(), neurons: new Map() };
}

/** Hover data of one written-out update: every listed parameter, and the neurons of its first sample. */
function latestOf(u: UpdateTrace, model: NetworkModel): Latest {
  const latest = emptyLatest();
  for (const g of u.grads) latest.grads.set(g.name, g);
  for (const r of u.updates) latest.updates.set(r.name, r);
  const first = u.neurons.length ? u.neurons[0].sample : 0;
  for (const n of u.neurons) if (n.sample === first) latest.neurons.set(n.neuron, { net: n.net, out: n.out, dE_dnet: n.dE_dnet });
  const f = u.forward[0];
  if (f) model.layers[0].names.forEach((name, i) => { if (i < f.input.length) latest.neurons.set(name, { net: f.input[i], out: f.input[i] }); });
  return latest;
}

function emptyResult(): CellResult {
  return { errors: [], traces: [], checksFailed: 0, interrupted: false };
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

function divergedMessage(epoch: number, rate: number, kept: number): string {
  return `training stopped at epoch ${fmtInt(epoch)}: the loss or the weights became NaN or ±Infinity — the learning rate (${formatNumber(rate, 6)}) is too high or the values overflowed; the weights are kept from epoch ${fmtInt(kept)}, the last finite ones`;
}

/** Parse-only diagnostics for a cell as it is typed (no state changes); names are checked against
 *  the session's network when given and the cell does not declare its own. */
export function analyze(text: string, session?: Session): Diagnostic[] {
  return (session ?? new Session()).plan(text, session === undefined).errors.sort((a, b) => a.span.start - b.span.start);
}
