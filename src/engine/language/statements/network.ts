/** The statements that declare a network: `input`, `layer`, weights, `bias`, `init`, and the ones
 *  that change parameters (`NAME = NUMBER`, `freeze`, `unfreeze`). */
import type { CellParser, LineTokens } from '../cell';
import { nearestName } from '../names';
import type { Token } from '../scanner';
import type { InitSpec } from '../syntax';
import { ACTIVATIONS } from '../vocabulary';
import type { Activation } from '../../trace/schema';

const ACTIVATION_WORDS = ACTIVATIONS.map((a) => a.word as string);

export function parseInput(p: CellParser, { toks, head, base }: LineTokens): void {
  if (toks.length < 2) { p.error(head, 'input-needs-names'); return; }
  const names = p.names(toks.slice(1));
  if (names) p.push({ ...base, kind: 'input', names });
}

export function parseLayer(p: CellParser, { toks, head, base }: LineTokens): void {
  const last = toks[toks.length - 1];
  if (toks.length < 3) { p.error(toks.length === 2 ? toks[1] : head, 'layer-needs-names'); return; }
  if (!ACTIVATION_WORDS.includes(last.text)) {
    const near = nearestName(last.text, ACTIVATION_WORDS);
    p.error(last, 'unknown-activation', { text: last.text, choices: ACTIVATION_WORDS, ...(near ? { near } : {}) });
    return;
  }
  const names = p.names(toks.slice(1, -1));
  if (names) p.push({ ...base, kind: 'layer', names, activation: last.text as Activation });
}

/** bias NAME -> NEURONS [=] NUMBER */
export function parseBias(p: CellParser, { toks, head, base }: LineTokens): void {
  const arrow = toks.findIndex((t) => t.text === '->');
  if (arrow !== 2) { p.error(toks[Math.min(2, toks.length - 1)], 'bias-syntax'); return; }
  const name = p.name(toks[1], { expected: 'bias-name' }, head);
  let rest = toks.slice(3);
  let valueTok: Token | undefined;
  const eq = rest.findIndex((t) => t.text === '=');
  if (eq >= 0) { valueTok = rest[eq + 1]; p.extra(rest, eq + 2); rest = rest.slice(0, eq); }
  else if (rest.length >= 2) { valueTok = rest[rest.length - 1]; rest = rest.slice(0, -1); }
  if (rest.length === 0) { p.error(toks[2], 'bias-needs-neurons'); return; }
  const to = p.names(rest);
  const value = p.number(valueTok, { expected: 'bias-value' }, toks[toks.length - 1]);
  if (name && to && value) p.push({ ...base, kind: 'bias', name, to, value });
}

export function parseFreeze(p: CellParser, { toks, head, base }: LineTokens): void {
  const word = head.text as 'freeze' | 'unfreeze';
  if (toks.length < 2) { p.error(head, 'needs-param-names', { word }); return; }
  const names = p.names(toks.slice(1));
  if (names) p.push({ ...base, kind: word, names });
}

/** init xavier [seed N] | init uniform A B [seed N] */
export function parseInit(p: CellParser, { toks, head, base }: LineTokens): void {
  const kind = toks[1];
  let init: InitSpec | undefined;
  let next = 2;
  if (kind?.text === 'xavier') init = { kind: 'xavier' };
  else if (kind?.text === 'uniform') {
    const lo = p.number(toks[2], { expected: 'lower-bound' }, kind);
    const hi = p.number(toks[3], { expected: 'upper-bound' }, toks[2] ?? kind);
    next = 4;
    if (!lo || !hi) return;
    if (!(lo.value < hi.value)) p.error({ start: lo.start, end: hi.end }, 'init-uniform-order', { low: lo.text, high: hi.text });
    else init = { kind: 'uniform', low: lo.value, high: hi.value };
  } else { p.error(kind ?? head, 'init-syntax'); return; }
  let seed = 1;
  if (toks[next]?.text === 'seed') {
    const s = p.number(toks[next + 1], { expected: 'seed' }, toks[next]);
    if (!s) return;
    // The generator takes 32 bits: beyond them two seeds would give the same weights.
    if (!Number.isInteger(s.value) || s.value < 0 || s.value > 0xffffffff) { p.error(s, 'seed-range', { text: s.text }); return; }
    seed = s.value;
    next += 2;
  }
  p.extra(toks, next);
  if (init) p.push({ ...base, kind: 'init', init, seed });
}

/** NAME FROM -> TO [=] NUMBER, or NAME = NUMBER; false when the line is neither. */
export function parseWeightOrSet(p: CellParser, { toks, head, base }: LineTokens): boolean {
  if (toks.length >= 3 && toks[2].text === '->') {
    const name = p.name(head, { expected: 'weight-name' }, head);
    const from = p.name(toks[1], { expected: 'source-neuron' }, head);
    const to = p.name(toks[3], { expected: 'target-neuron' }, toks[2]);
    let vi = 4;
    if (toks[vi]?.text === '=') vi++;
    const wanted = { expected: 'weight-value', name: head.text, from: toks[1].text, ...(toks[3] ? { to: toks[3].text } : {}) };
    const value = p.number(toks[vi], wanted, toks[vi - 1] ?? toks[toks.length - 1]);
    if (toks[vi]) p.extra(toks, vi + 1);
    if (name && from && to && value) p.push({ ...base, kind: 'weight', name, from, to, value });
    return true;
  }
  if (toks.length >= 2 && toks[1].text === '=') {
    const name = p.name(head, { expected: 'parameter-name' }, head);
    const value = p.number(toks[2], { expected: 'value' }, toks[1]);
    p.extra(toks, 3);
    if (name && value) p.push({ ...base, kind: 'set', name, value });
    return true;
  }
  return false;
}
