/** The update rule: `optimizer sgd | momentum BETA | adam [BETA1 BETA2 EPS]`, and `decay LAMBDA`. */
import type { CellParser, LineTokens } from '../cell';
import { nearestName } from '../names';
import { OPTIMIZER_NAMES, OPTIMIZER_RECORDS, isOptimizer, type OptimizerSetting } from '../../math/optimizers';
import { mathText } from '../../present/notation';

const WORDS: string[] = [...OPTIMIZER_NAMES];

export function parseOptimizer(p: CellParser, { toks, head, base }: LineTokens): void {
  const t = toks[1];
  if (!t || !isOptimizer(t.text)) {
    const near = t ? nearestName(t.text, WORDS) : undefined;
    p.error(t ?? head, 'unknown-optimizer', { choices: WORDS, ...(t ? { text: t.text } : {}), ...(near ? { near } : {}) });
    return;
  }
  const record = OPTIMIZER_RECORDS[t.text];
  const values: number[] = [];
  for (const [i, setting] of record.settings.entries()) {
    const v = settingValue(p, toks, 2 + i, setting, record.name, record.usage);
    if (v === undefined) return;
    values.push(v);
  }
  p.extra(toks, 2 + record.settings.length);
  p.push({ ...base, kind: 'optimizer', optimizer: record.spec(values) });
}

/** The setting at toks[at], or its default when the line ends before it. */
function settingValue(p: CellParser, toks: LineTokens['toks'], at: number, s: OptimizerSetting, optimizer: string, usage: string): number | undefined {
  const t = toks[at];
  const wanted = { expected: 'optimizer-setting', setting: mathText(s.symbol), optimizer, usage };
  if (!t && s.default !== undefined) return s.default;
  const n = p.number(t, wanted, toks[at - 1]);
  if (!n) return undefined;
  const ok = s.range === 'fraction' ? n.value >= 0 && n.value < 1 : n.value > 0;
  if (!ok) { p.error(n, 'optimizer-setting-range', { ...wanted, text: n.text, range: s.range }); return undefined; }
  return n.value;
}

/** decay LAMBDA, λ ≥ 0 (0: none). */
export function parseDecay(p: CellParser, { toks, head, base }: LineTokens): void {
  const n = p.number(toks[1], { expected: 'decay' }, head);
  if (!n) return;
  if (!(n.value >= 0)) { p.error(n, 'decay-negative', { text: n.text }); return; }
  p.extra(toks, 2);
  p.push({ ...base, kind: 'decay', value: n.value });
}
