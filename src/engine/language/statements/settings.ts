/** Settings (`loss`, `rate`, `mode`, `digits`) and the commands that run something
 *  (`forward`, `step`, `train`, `gradcheck`, `reset`). */
import type { CellParser, LineTokens } from '../cell';
import { nearestName } from '../names';
import { LOSSES } from '../vocabulary';
import type { LossName } from '../../trace/schema';

const LOSS_WORDS = LOSSES.map((l) => l.word as string);

export function parseLoss(p: CellParser, { toks, head, base }: LineTokens): void {
  const t = toks[1];
  if (!t || !LOSS_WORDS.includes(t.text)) {
    const near = t ? nearestName(t.text, LOSS_WORDS) : undefined;
    p.error(t ?? head, 'unknown-loss', { choices: LOSS_WORDS, ...(t ? { text: t.text } : {}), ...(near ? { near } : {}) });
    return;
  }
  p.extra(toks, 2);
  p.push({ ...base, kind: 'loss', loss: t.text as LossName });
}

export function parseRate(p: CellParser, { toks, head, base }: LineTokens): void {
  const n = p.number(toks[1], { expected: 'rate' }, head);
  if (!n) return;
  if (!(n.value > 0)) { p.error(n, 'rate-not-positive', { text: n.text }); return; }
  p.extra(toks, 2);
  p.push({ ...base, kind: 'rate', value: n.value });
}

export function parseMode(p: CellParser, { toks, head, base }: LineTokens): void {
  const t = toks[1];
  if (t?.text === 'batch' || t?.text === 'sample') {
    p.extra(toks, 2);
    p.push({ ...base, kind: 'mode', mode: { kind: t.text } });
    return;
  }
  if (t?.text === 'minibatch') {
    const size = p.wholeNumber(toks[2], { expected: 'minibatch-size' }, t);
    if (size === undefined) return;
    p.extra(toks, 3);
    p.push({ ...base, kind: 'mode', mode: { kind: 'minibatch', size } });
    return;
  }
  p.error(t ?? head, 'mode-syntax');
}

export function parseDigits(p: CellParser, { toks, head, base }: LineTokens): void {
  const digits = p.wholeNumber(toks[1], { expected: 'digits' }, head);
  if (digits === undefined) return;
  if (digits > 17) { p.error(toks[1], 'too-many-digits'); return; }
  p.extra(toks, 2);
  p.push({ ...base, kind: 'digits', digits });
}

/** `forward`, `step`, `gradcheck`, `reset`: a word alone. */
export function parseCommand(p: CellParser, { toks, head, base }: LineTokens): void {
  p.extra(toks, 1);
  p.push({ ...base, kind: head.text as 'forward' | 'step' | 'gradcheck' | 'reset' });
}

/** train N [every K] */
export function parseTrain(p: CellParser, { toks, head, base }: LineTokens): void {
  const epochs = p.wholeNumber(toks[1], { expected: 'epochs' }, head);
  if (epochs === undefined) return;
  let every: number | undefined;
  if (toks[2]?.text === 'every') {
    every = p.wholeNumber(toks[3], { expected: 'every' }, toks[2]);
    if (every === undefined) return;
    p.extra(toks, 4);
  } else p.extra(toks, 2);
  p.push({ ...base, kind: 'train', epochs, every });
}
