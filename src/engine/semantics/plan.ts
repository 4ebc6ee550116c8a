/**
 * Cross-cell planning: every check of a cell against the notebook's state, made before anything runs
 * — statements in the wrong cell, unknown names, samples that do not fit the network, commands
 * without a network or samples, sizes and work beyond the limits — so that a cell with any error
 * changes nothing.
 */
import { gradcheckCount } from '../commands/gradcheck';
import { quantityProblem } from '../commands/quantities';
import { unknownName } from '../language/names';
import { parseCell } from '../language/parser';
import type { NameRef, Span, Statement } from '../language/syntax';
import { DiagnosticList, type Diagnostic, type LineIndex, type Problem } from './diagnostics';
import { LIMITS } from './limits';
import type { DiagnosticArgs, DiagnosticCode } from './messages';
import { buildNetwork, type NetworkModel } from './model';
import { NotationPlanner, type NotationTable } from './notation';
import { bindSamples, collectSamples, type BoundSamples, type SampleSet } from './samples';
import { outputProblem, targetProblem } from './classification';
import { DEFAULT_LOSS, type LossName } from '../math/losses';
import { DEFAULT_OPTIMIZER, type OptimizerSpec } from '../math/optimizers';

/** The settings the commands of a cell run with, as the statements before them leave them. */
export interface Settings { loss: LossName; optimizer: OptimizerSpec }

/** What a cell is checked against: the notebook's state before it runs. */
export interface PlanState {
  model?: NetworkModel;
  samples?: SampleSet;
  bound?: BoundSamples;
  /** The student's notation in force (semantics/notation.ts). */
  notation?: NotationTable;
  /** The loss and optimizer in force (default: half-sse and sgd). */
  settings?: Settings;
}

/** A validated cell, ready to run. */
export interface Plan {
  errors: Diagnostic[];
  statements: Statement[];
  /** The network the cell defines (it has `input`). */
  model?: NetworkModel;
  /** The samples the cell declares. */
  samples?: SampleSet;
  /** The samples the cell's commands use, in the network's order. */
  bound?: BoundSamples;
  /** The notation in force after the cell (empty after a cell that defines the network). */
  notation: NotationTable;
}

export type Command = Extract<Statement, { kind: 'forward' | 'step' | 'train' | 'gradcheck' | 'check' | 'reset' | 'digits' }>;
const COMMANDS = new Set(['forward', 'step', 'train', 'gradcheck', 'check', 'reset', 'digits']);
const NEEDS_SAMPLES = new Set(['forward', 'step', 'train', 'gradcheck', 'check']);

export function isCommand(s: Statement): s is Command {
  return COMMANDS.has(s.kind);
}

// ---- work ----

/** What the work of a command depends on. */
export interface WorkSize { samples: number; params: number }

/** One epoch: forward, backward and update over every sample, about 3 · samples · parameters multiply-adds. */
export function epochWork(z: WorkSize): number {
  return 3 * z.samples * z.params + LIMITS.epochOverhead;
}

/** The multiply-adds a command does (a `train` all its epochs). */
export function commandWork(s: Command, z: WorkSize, model: NetworkModel): number {
  switch (s.kind) {
    case 'train': return s.epochs * epochWork(z);
    case 'step': case 'check': return epochWork(z);
    case 'forward': return z.samples * z.params + LIMITS.epochOverhead;
    case 'gradcheck': return epochWork(z) * gradcheckCount(model, z.samples);
    case 'reset': case 'digits': return 0;
  }
}

/**
 * The work one run of cells may still do: a Run All, one cell run on its own, a `bpnb run`, an export.
 * Every command of every cell of the run spends from it, so neither one command, nor one cell, nor a
 * run of cells does more than `limit` multiply-adds (a few minutes at most).
 */
export class WorkBudget {
  private spent = 0;
  constructor(readonly limit: number = LIMITS.maxWork) {}
  get used(): number { return this.spent; }
  spend(work: number): void { this.spent += work; }
}

// ---- planning ----

interface Planner {
  text: string;
  lines: LineIndex;
  errors: Diagnostic[];
  lenient: boolean;
  hasInput: boolean;
  /** The network the cell defines, when it has `input` and that network is valid. */
  defined?: NetworkModel;
  /** The network the cell's statements refer to: the one it defines or the notebook's. */
  current?: NetworkModel;
  canCheckNames: boolean;
  bound?: BoundSamples;
  /** Errors of older samples that do not fit: reported at the first command that uses them. */
  bindErrors: Diagnostic[];
  /** Commands that passed every other check, with their work. */
  work: { s: Command; work: number; perEpoch: number }[];
  settings: Settings;
  /** The sample set the cell's commands use, and whether this cell declares it (for error positions). */
  sampleSet?: SampleSet;
  samplesHere: boolean;
  /** The loss's demands on the outputs and targets are reported once per cell. */
  outputsChecked: boolean;
  targetsChecked: boolean;
  err(span: Span, code: DiagnosticCode, args?: DiagnosticArgs, options?: { severity: Diagnostic['severity'] }): void;
}

/**
 * Every check of `text` against `state`, without changing anything. `lenient`: skip what needs a
 * network or samples it cannot see (a cell analysed as it is typed, with no notebook state).
 * `budget`: the work the run still allows (a fresh budget when not given).
 */
export function planCell(text: string, state: PlanState, options: { lenient?: boolean; budget?: WorkBudget } = {}): Plan {
  // One line index for the cell, built by the parse: every diagnostic of the cell is placed through it.
  const { statements, errors, lines } = parseCell(text);
  // The planner's own errors are capped like the parser's: 80,000 `freeze b1` lines are one list.
  const own = new DiagnosticList(lines);
  const p: Planner = {
    text, lines, errors, lenient: options.lenient ?? false, hasInput: statements.some((s) => s.kind === 'input'),
    canCheckNames: false, bindErrors: [], work: [],
    settings: { ...(state.settings ?? { loss: DEFAULT_LOSS, optimizer: DEFAULT_OPTIMIZER }) },
    samplesHere: false, outputsChecked: false, targetsChecked: false,
    err: (span, code, args = {}, options) => own.add(span, code, args, options),
  };
  p.defined = defineNetwork(p, statements);
  p.current = p.hasInput ? p.defined : state.model;
  p.canCheckNames = p.current !== undefined && !(p.hasInput && !p.defined);
  const samples = planSamples(p, statements, state);
  // Check lines in the student's symbols are resolved here, with the notation in force where they stand.
  const notation = new NotationPlanner(p.hasInput ? undefined : state.notation, { model: p.current, lenient: p.lenient, optimizer: () => p.settings.optimizer, report: (span, x, related, severity) => own.add(span, x.code, x.args, { related, ...(severity ? { severity } : {}) }) });
  const planned = statements.map((s) => {
    const t = notation.take(s);
    checkStatement(p, t);
    return t;
  });
  checkRunWork(p, options.budget ?? new WorkBudget());
  errors.push(...own.finish());
  return { errors, statements: planned, model: p.defined, samples, bound: p.bound, notation: notation.table };
}

function defineNetwork(p: Planner, statements: Statement[]): NetworkModel | undefined {
  if (p.hasInput) {
    const built = buildNetwork(p.lines, statements, p.errors.length > 0);
    p.errors.push(...built.errors);
    return built.model;
  }
  for (const s of statements) if (s.kind === 'layer' || s.kind === 'init') p.err(s, 'definition-outside-network-cell', { statement: s.kind });
  return undefined;
}

/** The cell's own samples, or the notebook's, bound to the network the cell uses. */
function planSamples(p: Planner, statements: Statement[], state: PlanState): SampleSet | undefined {
  const before = p.errors.length;
  const samples = collectSamples(p.lines, statements, p.errors);
  const samplesOk = p.errors.length === before;
  const firstUse = statements.find((s) => NEEDS_SAMPLES.has(s.kind));
  p.sampleSet = samples ?? state.samples;
  p.samplesHere = samples !== undefined;
  if (p.current && (samples || p.hasInput) && samplesOk) {
    const set = samples ?? state.samples;
    if (!set) return samples;
    const here = samples !== undefined;
    p.bound = bindSamples(p.lines, set, p.current, here, firstUse ?? statements.find((s) => s.kind === 'input')!, p.bindErrors);
    // Samples written in this cell must fit; older samples only matter to a command that uses them.
    if (here) { p.errors.push(...p.bindErrors); p.bindErrors = []; }
  } else if (p.current && !samples && !p.hasInput) {
    p.bound = state.bound;
    if (!p.bound && state.samples && state.model && firstUse) bindSamples(p.lines, state.samples, state.model, false, firstUse, p.bindErrors);
  }
  return samples;
}

function checkStatement(p: Planner, s: Statement): void {
  switch (s.kind) {
    case 'freeze': case 'unfreeze':
      if (!p.canCheckNames) { if (!p.lenient && !p.hasInput && !p.current) p.err(s, 'needs-network', { statement: s.kind }); return; }
      for (const n of s.names) checkParamName(p, n);
      return;
    case 'set':
      if (!p.canCheckNames) { if (!p.lenient && !p.hasInput && !p.current) p.err(s, 'set-needs-network'); return; }
      checkParamName(p, s.name);
      return;
    case 'weight': case 'bias':
      if (!p.hasInput) checkLaterParam(p, s);
      return;
    case 'loss':
      p.settings.loss = s.loss;
      p.outputsChecked = false;
      p.targetsChecked = false;
      if (p.canCheckNames) checkOutputs(p, s);
      return;
    case 'optimizer':
      p.settings.optimizer = s.optimizer;
      return;
    default:
      if (isCommand(s)) checkCommand(p, s);
  }
}

function report(p: Planner, span: Span, problem: Problem): void {
  p.err(span, problem.code, problem.args);
}

function checkParamName(p: Planner, n: NameRef): void {
  const model = p.current!;
  if (model.param(n.name)) return;
  if (model.neurons.has(n.name)) p.err(n, 'neuron-not-parameter', { name: n.name });
  else report(p, n, unknownName('parameter', n.name, model.paramNames()));
}

/** A `weight` or `bias` line outside the defining cell changes an existing parameter's value only. */
function checkLaterParam(p: Planner, s: Extract<Statement, { kind: 'weight' | 'bias' }>): void {
  const model = p.current;
  const name = s.name.name;
  if (!model) { if (!p.lenient) p.err(s, 'param-needs-network', { name }); return; }
  const param = model.param(name);
  if (!param) { report(p, s.name, unknownName('parameter', name, model.paramNames(), 'unknown-parameter-in-later-cell')); return; }
  if (s.kind === 'weight' && (param.kind !== 'weight' || param.from !== s.from.name || param.to[0] !== s.to.name)) {
    const span = { start: s.from.start, end: s.to.end };
    if (param.kind === 'weight') p.err(span, 'weight-of-other-edge', { name, from: param.from!, to: param.to[0], writtenFrom: s.from.name, writtenTo: s.to.name });
    else p.err(span, 'bias-not-weight', { name });
  }
  if (s.kind === 'bias' && (param.kind !== 'bias' || param.to.join(' ') !== s.to.map((t) => t.name).join(' '))) {
    if (param.kind === 'bias') p.err(s.name, 'bias-neurons-fixed', { name, to: param.to.join(' ') });
    else p.err(s.name, 'weight-not-bias', { name });
  }
}

function checkCommand(p: Planner, s: Command): void {
  if (p.hasInput && !p.defined) return;
  const model = p.current;
  if (!model) { if (!p.lenient) p.err(s, 'needs-network', { statement: s.kind }); return; }
  if (NEEDS_SAMPLES.has(s.kind) && !(s.kind === 'check' && s.items.every((i) => i.parsed.kind === 'value'))) {
    if (p.bindErrors.length) { p.errors.push(...p.bindErrors); p.bindErrors = []; return; }
    if (!p.bound && !p.lenient) { p.err(s, 'needs-samples', { statement: s.kind }); return; }
  }
  const size = { samples: p.bound?.count ?? 0, params: model.paramCount };
  checkCommandWork(p, s, size, model);
  if (NEEDS_SAMPLES.has(s.kind) && p.canCheckNames) {
    checkOutputs(p, s);
    checkTargets(p, s);
  }
  if (s.kind === 'check' && p.canCheckNames) {
    // A line that names something the network lacks is a warning: the other lines are still checked,
    // and that one is marked in the output (commands/check.ts).
    for (const item of s.items) {
      const problem = quantityProblem(item.parsed, model, p.bound ? size.samples : Infinity, p.settings.optimizer);
      if (problem) p.err({ start: item.qStart, end: item.qEnd }, problem.code, problem.args, { severity: 'warning' });
    }
  }
}

/** The loss in force takes logs of outputs that can leave (0, 1): at its `loss` line, or the first command. */
function checkOutputs(p: Planner, at: Span): void {
  if (p.outputsChecked) return;
  p.outputsChecked = true;
  const problem = outputProblem(p.settings.loss, p.current!);
  if (problem) report(p, at, problem);
}

/** Targets the loss cannot read as probabilities: at the sample when this cell declares it, else at the command. */
function checkTargets(p: Planner, s: Command): void {
  if (p.targetsChecked || !p.bound) return;
  p.targetsChecked = true;
  const found = targetProblem(p.settings.loss, p.current!, p.bound);
  if (!found) return;
  const set = p.sampleSet;
  const k = found.sample;
  if (p.samplesHere && set) report(p, { start: set.spans[2 * k], end: set.spans[2 * k + 1] }, found.problem);
  else report(p, s, { ...found.problem, args: { ...found.problem.args, earlier: 1, ...(set ? { cellLine: set.lines[k] } : {}) } });
}

/** One command alone within the limits; if so, its work counts toward the cell's total. */
function checkCommandWork(p: Planner, s: Command, size: WorkSize, model: NetworkModel): void {
  if (s.kind === 'train' && s.epochs > LIMITS.maxEpochs) {
    p.err(s, 'too-many-epochs', { epochs: s.epochs, limit: LIMITS.maxEpochs });
    return;
  }
  const work = commandWork(s, size, model);
  const perEpoch = epochWork(size);
  if (work <= LIMITS.maxWork) {
    p.work.push({ s, work, perEpoch });
    return;
  }
  const fit = Math.floor(LIMITS.maxWork / perEpoch);
  p.err(s, 'command-over-work-limit', {
    ...workArgs(s), work, samples: size.samples, params: size.params, limit: LIMITS.maxWork, ...(s.kind === 'train' && fit >= 1 ? { fit } : {}),
  });
}

/**
 * The cell's commands in all, after what earlier cells of the run did, within the run's budget: the
 * first command that goes beyond it is the error, saying what the cell asks for and what still fits.
 */
function checkRunWork(p: Planner, budget: WorkBudget): void {
  const cell = p.work.reduce((sum, x) => sum + x.work, 0);
  let total = budget.used;
  for (const { s, work, perEpoch } of p.work) {
    const left = budget.limit - total;
    total += work;
    if (total <= budget.limit) continue;
    const fit = s.kind === 'train' ? Math.floor(Math.max(0, left) / perEpoch) : undefined;
    p.err(s, 'run-over-work-limit', { ...workArgs(s), total, cell, before: budget.used, left: Math.max(0, left), limit: budget.limit, ...(fit !== undefined ? { fit } : {}) });
    return;
  }
}

function workArgs(s: Command): DiagnosticArgs {
  return s.kind === 'train' ? { command: s.kind, epochs: s.epochs } : { command: s.kind };
}
