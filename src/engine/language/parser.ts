/**
 * The cell language's parser: one statement a line, `data` and `check` blocks indented under their
 * keyword. Every error of the cell is collected (with offsets), not just the first, so the editor can
 * underline them all at once. Names are only checked for shape here; whether they exist is the
 * model's business (see model.ts).
 */
import { diagnostic, type Diagnostic } from '../semantics/diagnostics';
import { ACTIVATIONS, KEYWORDS, LOSSES, isReservedWord } from './vocabulary';
import { LIMITS } from '../semantics/limits';
import { expandName, nearestName } from './names';
import { parseNumber } from './numbers';
import type { Activation, LossName, Mode } from '../trace/schema';

export interface Span { start: number; end: number }
export interface NameRef extends Span { name: string }
export interface NumberRef extends Span { value: number; text: string; halfUnit: number }

export type InitSpec = { kind: 'xavier' } | { kind: 'uniform'; low: number; high: number };

export interface CheckItem extends Span {
  /** 1-based line in the cell. */
  line: number;
  quantity: string;
  /** Span of the quantity text (for unknown-name errors). */
  qStart: number;
  qEnd: number;
  value: NumberRef;
  parsed: Quantity;
}

/** A `check` quantity, names still unresolved. */
export type Quantity =
  | { kind: 'E'; neuron?: string; sample?: number }
  | { kind: 'net' | 'out' | 'dE/dout' | 'dE/dnet' | 'dout/dnet'; neuron: string; sample?: number }
  | { kind: 'dE/dparam'; param: string; sample?: number }
  | { kind: 'dnet/dparam'; neuron: string; param: string; sample?: number }
  | { kind: 'after'; param: string }
  | { kind: 'value'; param: string };

interface Base extends Span { line: number }
export type Statement = Base & (
  | { kind: 'input'; names: NameRef[] }
  | { kind: 'layer'; names: NameRef[]; activation: Activation }
  | { kind: 'weight'; name: NameRef; from: NameRef; to: NameRef; value: NumberRef }
  | { kind: 'bias'; name: NameRef; to: NameRef[]; value: NumberRef }
  | { kind: 'set'; name: NameRef; value: NumberRef }
  | { kind: 'freeze' | 'unfreeze'; names: NameRef[] }
  | { kind: 'init'; init: InitSpec; seed: number }
  | { kind: 'loss'; loss: LossName }
  | { kind: 'rate'; value: number }
  | { kind: 'mode'; mode: Mode }
  | { kind: 'sample'; inputs: { name: NameRef; value: number }[]; targets: { name: NameRef; value: number }[] }
  | { kind: 'data'; inputs: NameRef[]; targets: NameRef[]; rows: { line: number; start: number; end: number; inputs: number[]; targets: number[] }[] }
  | { kind: 'forward' | 'step' | 'gradcheck' | 'reset' }
  | { kind: 'train'; epochs: number; every?: number }
  | { kind: 'digits'; digits: number }
  | { kind: 'check'; within?: number; items: CheckItem[] }
);

export interface ParseResult {
  statements: Statement[];
  errors: Diagnostic[];
}

interface Token extends Span { text: string }

/**
 * Blanks between words: ASCII ones, and the no-break and other Unicode spaces that text pasted from
 * a PDF or a web page carries (`rate\u00a00.5` would otherwise be one unknown word that prints as two).
 */
function isBlank(c: string): boolean {
  const k = c.charCodeAt(0);
  return k === 32 || (k >= 9 && k <= 13 && k !== 10) || k === 0xa0 || k === 0xfeff || (k >= 0x2000 && k <= 0x200a) || k === 0x202f || k === 0x205f || k === 0x3000;
}

/** Splits a line into words, `->` and `=`; stops at `#`. */
function tokenize(text: string, start: number, end: number): Token[] {
  const out: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text[i];
    if (isBlank(c)) { i++; continue; }
    if (c === '#') break;
    if (c === '=') { out.push({ text: '=', start: i, end: i + 1 }); i++; continue; }
    if (c === '-' && text[i + 1] === '>') { out.push({ text: '->', start: i, end: i + 2 }); i += 2; continue; }
    if (c === '→') { out.push({ text: '->', start: i, end: i + 1 }); i++; continue; }
    let j = i;
    while (j < end) {
      const d = text[j];
      if (isBlank(d) || d === '#' || d === '=' || d === '→' || (d === '-' && text[j + 1] === '>')) break;
      j++;
    }
    out.push({ text: text.slice(i, j), start: i, end: j });
    i = j;
  }
  return out;
}

interface Line { start: number; end: number; number: number; indented: boolean; blank: boolean }

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  let n = 1;
  for (;;) {
    let end = text.indexOf('\n', start);
    const last = end < 0;
    if (last) end = text.length;
    const contentEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    const body = text.slice(start, contentEnd);
    const blank = /^\s*(#.*)?$/.test(body);
    lines.push({ start, end: contentEnd, number: n, indented: /^[ \t]/.test(body), blank });
    if (last) break;
    start = end + 1;
    n++;
  }
  return lines;
}

const ACTIVATION_WORDS = ACTIVATIONS.map((a) => a.word as string);
const LOSS_WORDS = LOSSES.map((l) => l.word as string);
const STATEMENT_WORDS = KEYWORDS.map((k) => k.word).filter((w) => w !== 'within' && w !== 'every' && w !== 'seed');

export function parseCell(text: string): ParseResult {
  const errors: Diagnostic[] = [];
  const statements: Statement[] = [];
  const err = (s: Span, message: string) => errors.push(diagnostic(text, s.start, s.end, message));
  const lines = splitLines(text);

  const num = (t: Token | undefined, what: string, at: Span): NumberRef | undefined => {
    if (!t) { err({ start: at.end, end: at.end }, `expected ${what}`); return undefined; }
    const p = parseNumber(t.text);
    if (!p) { err(t, `'${t.text}' is not a number (write 0.15, .15, -2, 3.5e-5 or 0,15) — expected ${what}`); return undefined; }
    return { value: p.value, text: t.text, halfUnit: p.halfUnit, start: t.start, end: t.end };
  };
  let expanded = 0;
  const names = (toks: Token[]): NameRef[] | undefined => {
    const out: NameRef[] = [];
    let ok = true;
    for (const t of toks) {
      const e = expandName(t.text);
      if (typeof e === 'string') { err(t, e); ok = false; continue; }
      expanded += e.length;
      // Checked here, before millions of names are built, so the limit costs no memory.
      if (expanded > LIMITS.maxNeurons) { err(t, `this cell names more than ${LIMITS.maxNeurons.toLocaleString('en-US')} neurons, the limit`); return undefined; }
      if (e.length === 1 && isReservedWord(e[0])) { err(t, `'${t.text}' is a keyword of the language and cannot be used as a name`); ok = false; continue; }
      for (const name of e) out.push({ name, start: t.start, end: t.end });
    }
    return ok ? out : undefined;
  };
  const single = (t: Token | undefined, what: string, at: Span): NameRef | undefined => {
    if (!t) { err({ start: at.end, end: at.end }, `expected ${what}`); return undefined; }
    const r = names([t]);
    if (!r) return undefined;
    if (r.length !== 1) { err(t, `expected one ${what}, not a list`); return undefined; }
    return r[0];
  };
  const posInt = (t: Token | undefined, what: string, example: string, at: Span, min = 1): number | undefined => {
    const n = num(t, `${what}: ${example}`, at);
    if (!n) return undefined;
    if (!Number.isInteger(n.value) || n.value < min) { err(n, `${what} must be a whole number of at least ${min}, not ${n.text}`); return undefined; }
    return n.value;
  };
  const extra = (toks: Token[], from: number) => {
    if (toks.length > from) err({ start: toks[from].start, end: toks[toks.length - 1].end }, `unexpected '${text.slice(toks[from].start, toks[toks.length - 1].end)}' at the end of the line`);
  };

  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (line.blank) continue;
    const toks = tokenize(text, line.start, line.end);
    if (toks.length === 0) continue;
    const head = toks[0];
    const span = { start: head.start, end: toks[toks.length - 1].end };
    const base = { line: line.number, ...span };
    const word = head.text;
    const push = (s: Statement) => statements.push(s);

    // Indented continuation lines of `data` and `check`.
    const block = (): Line[] => {
      const out: Line[] = [];
      while (li + 1 < lines.length && (lines[li + 1].indented || lines[li + 1].blank)) {
        li++;
        if (!lines[li].blank) out.push(lines[li]);
      }
      return out;
    };

    switch (word) {
      case 'input': {
        if (toks.length < 2) { err(head, "'input' needs at least one neuron name: input i1 i2"); break; }
        const n = names(toks.slice(1));
        if (n) push({ ...base, kind: 'input', names: n });
        break;
      }
      case 'layer': {
        const last = toks[toks.length - 1];
        if (toks.length < 3) {
          err(toks.length === 2 ? toks[1] : head, "'layer' needs neuron names and then an activation: layer h1 h2 sigmoid");
          break;
        }
        if (!ACTIVATION_WORDS.includes(last.text)) {
          const near = nearestName(last.text, ACTIVATION_WORDS);
          err(last, near
            ? `'${last.text}' is not an activation — did you mean '${near}'? (one of ${ACTIVATION_WORDS.join(', ')})`
            : `this layer has no activation: end the line with one of ${ACTIVATION_WORDS.join(', ')} ('${last.text}' is not one)`);
          break;
        }
        const n = names(toks.slice(1, -1));
        if (n) push({ ...base, kind: 'layer', names: n, activation: last.text as Activation });
        break;
      }
      case 'bias': {
        // bias NAME -> NEURONS [=] NUMBER
        const arrow = toks.findIndex((t) => t.text === '->');
        if (arrow !== 2) { err(toks[Math.min(2, toks.length - 1)], "expected 'bias NAME -> NEURONS = NUMBER'"); break; }
        const name = single(toks[1], 'bias name', head);
        let rest = toks.slice(3);
        let valueTok: Token | undefined;
        const eq = rest.findIndex((t) => t.text === '=');
        if (eq >= 0) { valueTok = rest[eq + 1]; extra(rest, eq + 2); rest = rest.slice(0, eq); }
        else if (rest.length >= 2) { valueTok = rest[rest.length - 1]; rest = rest.slice(0, -1); }
        if (rest.length === 0) { err(toks[2], "'bias' needs the neurons it is added to: bias b1 -> h1 h2 = 0.35"); break; }
        const to = names(rest);
        const value = num(valueTok, 'the bias value', toks[toks.length - 1]);
        if (name && to && value) push({ ...base, kind: 'bias', name, to, value });
        break;
      }
      case 'freeze':
      case 'unfreeze': {
        if (toks.length < 2) { err(head, `'${word}' needs parameter names: ${word} b1 b2`); break; }
        const n = names(toks.slice(1));
        if (n) push({ ...base, kind: word, names: n });
        break;
      }
      case 'init': {
        const kind = toks[1];
        let init: InitSpec | undefined;
        let next = 2;
        if (kind?.text === 'xavier') init = { kind: 'xavier' };
        else if (kind?.text === 'uniform') {
          const lo = num(toks[2], 'the lower bound: init uniform A B', kind);
          const hi = num(toks[3], 'the upper bound: init uniform A B', toks[2] ?? kind);
          next = 4;
          if (lo && hi) {
            if (!(lo.value < hi.value)) err({ start: lo.start, end: hi.end }, `init uniform needs A < B, got ${lo.text} and ${hi.text}`);
            else init = { kind: 'uniform', low: lo.value, high: hi.value };
          }
          if (!lo || !hi) break;
        } else { err(kind ?? head, "expected 'init xavier [seed N]' or 'init uniform A B [seed N]'"); break; }
        let seed = 1;
        if (toks[next]?.text === 'seed') {
          const s = num(toks[next + 1], 'a seed number', toks[next]);
          if (!s) break;
          // The generator takes 32 bits: beyond them two seeds would give the same weights.
          if (!Number.isInteger(s.value) || s.value < 0 || s.value > 0xffffffff) { err(s, `a seed is a whole number from 0 to 4,294,967,295, not ${s.text}`); break; }
          seed = s.value;
          next += 2;
        }
        extra(toks, next);
        if (init) push({ ...base, kind: 'init', init, seed });
        break;
      }
      case 'loss': {
        const t = toks[1];
        if (!t || !LOSS_WORDS.includes(t.text)) {
          const near = t ? nearestName(t.text, LOSS_WORDS) : undefined;
          err(t ?? head, `${t ? `'${t.text}' is not a loss` : "'loss' needs a loss name"}${near ? ` — did you mean '${near}'?` : ''} (one of ${LOSS_WORDS.join(', ')})`);
          break;
        }
        extra(toks, 2);
        push({ ...base, kind: 'loss', loss: t.text as LossName });
        break;
      }
      case 'rate': {
        const n = num(toks[1], 'the learning rate: rate 0.5', head);
        if (!n) break;
        if (!(n.value > 0)) { err(n, `the learning rate must be positive, not ${n.text}`); break; }
        extra(toks, 2);
        push({ ...base, kind: 'rate', value: n.value });
        break;
      }
      case 'mode': {
        const t = toks[1];
        if (t?.text === 'batch' || t?.text === 'sample') { extra(toks, 2); push({ ...base, kind: 'mode', mode: { kind: t.text } }); break; }
        if (t?.text === 'minibatch') {
          const k = posInt(toks[2], 'the minibatch size', 'mode minibatch 2', t);
          if (k === undefined) break;
          extra(toks, 3);
          push({ ...base, kind: 'mode', mode: { kind: 'minibatch', size: k } });
          break;
        }
        err(t ?? head, "expected 'mode batch', 'mode sample' or 'mode minibatch K'");
        break;
      }
      case 'sample': {
        const arrow = toks.findIndex((t) => t.text === '->');
        if (arrow < 0) { err(head, "a sample needs '->' between inputs and targets: sample i1=0.05 i2=0.10 -> o1=0.01"); break; }
        const left = pairs(toks.slice(1, arrow), err, num);
        const right = pairs(toks.slice(arrow + 1), err, num);
        if (left && right) {
          if (right.length === 0) { err(toks[arrow], 'a sample needs at least one target after ->'); break; }
          push({ ...base, kind: 'sample', inputs: left, targets: right });
        }
        break;
      }
      case 'data': {
        extra(toks, 1);
        const rowsLines = block();
        if (rowsLines.length === 0) {
          // A table written flush left would read as weight lines and bad names; report it once.
          const stray: Line[] = [];
          const tableLike = (l: Line) => {
            const t = tokenize(text, l.start, l.end);
            return t.length > 0 && !t.some((x) => x.text === '=') && (t.some((x) => x.text === '->') || t.every((x) => parseNumber(x.text)));
          };
          while (li + 1 < lines.length && !lines[li + 1].blank && tableLike(lines[li + 1])) stray.push(lines[++li]);
          if (stray.length) err({ start: stray[0].start, end: stray[stray.length - 1].end }, "the header and rows of 'data' are indented under it (a space or a tab first)");
          else err(head, "'data' needs an indented header (x1 x2 -> y) and rows below it");
          break;
        }
        const h = tokenize(text, rowsLines[0].start, rowsLines[0].end);
        const arrow = h.findIndex((t) => t.text === '->');
        if (arrow < 0) { err(h[0], "the data header needs '->' between input and target names: x1 x2 -> y"); break; }
        const ins = names(h.slice(0, arrow));
        const outs = names(h.slice(arrow + 1));
        if (!ins || !outs) break;
        if (ins.length === 0) { err(h[arrow], 'the data header needs input names before ->: x1 x2 -> y'); break; }
        if (outs.length === 0) { err(h[arrow], 'the data header needs at least one target name after ->'); break; }
        const rows: { line: number; start: number; end: number; inputs: number[]; targets: number[] }[] = [];
        let ok = true;
        for (const rl of rowsLines.slice(1)) {
          const all = tokenize(text, rl.start, rl.end);
          const r = all.filter((t) => t.text !== '->');
          const rowSpan = { start: all[0].start, end: all[all.length - 1].end };
          if (r.length === 0) { err(rowSpan, 'this row has no numbers'); ok = false; continue; }
          const values: number[] = [];
          for (const t of r) {
            const n = num(t, 'a number', t);
            if (n) values.push(n.value); else ok = false;
          }
          if (values.length !== r.length) continue;
          if (values.length !== ins.length + outs.length) {
            err(rowSpan, `this row has ${plural(values.length, 'number')}, the header names ${ins.length + outs.length} (${plural(ins.length, 'input')}, ${plural(outs.length, 'target')})`);
            ok = false;
            continue;
          }
          // The arrow is optional in rows, but where it is written it must split them as the header does.
          const arrows = all.filter((t) => t.text === '->');
          const before = arrows.length ? all.indexOf(arrows[0]) : ins.length;
          if (arrows.length > 1 || before !== ins.length) {
            err(arrows.length > 1 ? arrows[1] : arrows[0], arrows.length > 1 ? "a row has at most one '->'" : `'->' stands after ${plural(before, 'number')} in this row, but the header has ${plural(ins.length, 'input')} before '->'`);
            ok = false;
            continue;
          }
          rows.push({ line: rl.number, ...rowSpan, inputs: values.slice(0, ins.length), targets: values.slice(ins.length) });
        }
        if (ok && rows.length === 0) { err(h[0], "'data' has a header but no rows"); break; }
        if (ok) push({ ...base, kind: 'data', inputs: ins, targets: outs, rows });
        break;
      }
      case 'forward': case 'step': case 'gradcheck': case 'reset':
        extra(toks, 1);
        push({ ...base, kind: word });
        break;
      case 'train': {
        const n = posInt(toks[1], 'the number of epochs', 'train 100', head);
        if (n === undefined) break;
        let every: number | undefined;
        if (toks[2]?.text === 'every') {
          every = posInt(toks[3], 'K in train N every K', 'train 100 every 10', toks[2]);
          if (every === undefined) break;
          extra(toks, 4);
        } else extra(toks, 2);
        push({ ...base, kind: 'train', epochs: n, every });
        break;
      }
      case 'digits': {
        const n = posInt(toks[1], 'the number of significant digits', 'digits 9', head);
        if (n === undefined) break;
        if (n > 17) { err(toks[1], 'at most 17 significant digits exist in a double; use digits 17 or fewer'); break; }
        extra(toks, 2);
        push({ ...base, kind: 'digits', digits: n });
        break;
      }
      case 'check': {
        let within: number | undefined;
        if (toks[1]?.text === 'within') {
          const n = num(toks[2], 'a tolerance: check within 0.001', toks[1]);
          if (!n) { block(); break; }
          if (!(n.value >= 0)) { err(n, `a tolerance cannot be negative (${n.text})`); block(); break; }
          within = n.value;
          extra(toks, 3);
        } else extra(toks, 1);
        const items: CheckItem[] = [];
        const checkLines = block();
        if (checkLines.length === 0) {
          // Check lines written flush left would each read as an unknown statement or parameter ('E');
          // report them once, as what they are.
          const stray: Line[] = [];
          while (li + 1 < lines.length && !lines[li + 1].blank && looksLikeCheckLine(text, lines[li + 1])) stray.push(lines[++li]);
          if (stray.length) err({ start: stray[0].start, end: stray[stray.length - 1].end }, "check lines are indented under 'check' (a space or a tab first): write '  QUANTITY = NUMBER'");
          else err(head, "'check' needs indented lines below it, each 'QUANTITY = NUMBER', e.g.   dE/dw5 = 0.0822");
          break;
        }
        for (const cl of checkLines) {
          const item = parseCheckLine(text, cl, err);
          if (item) items.push(item);
        }
        push({ ...base, kind: 'check', within, items });
        break;
      }
      default: {
        // NAME FROM -> TO [=] NUMBER, or NAME = NUMBER.
        if (toks.length >= 3 && toks[2].text === '->') {
          const name = single(head, 'weight name', head);
          const from = single(toks[1], 'source neuron', head);
          const to = single(toks[3], 'target neuron', toks[2]);
          let vi = 4;
          if (toks[vi]?.text === '=') vi++;
          const value = num(toks[vi], `the weight value: ${head.text} ${toks[1].text} -> ${toks[3]?.text ?? 'TO'} = 0.15`, toks[vi - 1] ?? toks[toks.length - 1]);
          if (toks[vi]) extra(toks, vi + 1);
          if (name && from && to && value) push({ ...base, kind: 'weight', name, from, to, value });
          break;
        }
        if (toks.length >= 2 && toks[1].text === '=') {
          const name = single(head, 'parameter name', head);
          const value = num(toks[2], 'a value', toks[1]);
          extra(toks, 3);
          if (name && value) push({ ...base, kind: 'set', name, value });
          break;
        }
        const near = nearestName(word, STATEMENT_WORDS);
        err(head, `unknown statement '${word}'${near ? ` — did you mean '${near}'?` : ''}; a line is a keyword (${STATEMENT_WORDS.slice(0, 6).join(', ')}, …) or a weight 'NAME FROM -> TO = NUMBER'`);
        // An unknown `data`/`check`-like word may have an indented block; skip it so its rows don't each error.
        if (li + 1 < lines.length && lines[li + 1].indented) block();
      }
    }
  }
  return { statements, errors };
}

function pairs(
  toks: Token[],
  err: (s: Span, m: string) => void,
  num: (t: Token | undefined, what: string, at: Span) => NumberRef | undefined,
): { name: NameRef; value: number }[] | undefined {
  // Tokens come as NAME = NUMBER triples, since '=' is its own token.
  const out: { name: NameRef; value: number }[] = [];
  let ok = true;
  for (let i = 0; i < toks.length;) {
    const n = toks[i];
    if (toks[i + 1]?.text !== '=') { err(n, `expected NAME=NUMBER, got '${n.text}'`); ok = false; i++; continue; }
    const e = expandName(n.text);
    if (typeof e === 'string' || e.length !== 1) { err(n, typeof e === 'string' ? e : `expected one name, not a list, before '='`); ok = false; i += 3; continue; }
    const v = num(toks[i + 2], `a value for ${n.text}`, toks[i + 1]);
    if (v) out.push({ name: { name: e[0], start: n.start, end: n.end }, value: v.value }); else ok = false;
    i += 3;
  }
  return ok ? out : undefined;
}

const NEURON_Q = /^(net|out)\(([A-Za-z][A-Za-z0-9_]*)\)$/;

/** `E = 0.3`, `dE/dw5 = 0.08`, `w5' = 0.36`: a check line (a parameter's plain `w5 = 0.3` is a statement). */
function looksLikeCheckLine(text: string, line: Line): boolean {
  const body = text.slice(line.start, line.end).split('#')[0];
  const eq = body.lastIndexOf('=');
  if (eq < 0) return false;
  const q = parseQuantity(body.slice(0, eq));
  return typeof q !== 'string' && q.kind !== 'value';
}

function parseCheckLine(text: string, line: Line, err: (s: Span, m: string) => void): CheckItem | undefined {
  const raw = text.slice(line.start, line.end);
  const hash = raw.indexOf('#');
  const body = hash >= 0 ? raw.slice(0, hash) : raw;
  const eq = body.lastIndexOf('=');
  const lead = body.length - body.trimStart().length;
  const lineSpan = { start: line.start + lead, end: line.start + body.trimEnd().length };
  if (eq < 0) { err(lineSpan, "a check line is 'QUANTITY = NUMBER', e.g. dE/dw5 = 0.0822"); return undefined; }
  const qText = body.slice(0, eq).trim();
  const vText = body.slice(eq + 1).trim();
  const qStart = line.start + lead;
  const qEnd = qStart + qText.length;
  const vStart = line.start + eq + 1 + (body.slice(eq + 1).length - body.slice(eq + 1).trimStart().length);
  const vSpan = { start: vStart, end: vStart + vText.length };
  const p = parseNumber(vText);
  if (!p) { err(vText ? vSpan : { start: vSpan.start, end: vSpan.start }, vText ? `'${vText}' is not a number (write 0.15, .15, -2, 3.5e-5 or 0,15)` : 'expected a number after ='); return undefined; }
  const q = parseQuantity(qText);
  if (typeof q === 'string') { err({ start: qStart, end: Math.max(qEnd, qStart + 1) }, q); return undefined; }
  return {
    line: line.number, start: lineSpan.start, end: lineSpan.end, quantity: qText.replace(/\s+/g, ''), qStart, qEnd,
    value: { value: p.value, text: vText, halfUnit: p.halfUnit, ...vSpan }, parsed: q,
  };
}

/** Parses a check quantity (spaces ignored, ∂ read as d); returns an error message when it is not one. */
export function parseQuantity(qText: string): Quantity | string {
  let q = qText.replace(/\s+/g, '').replace(/∂/g, 'd');
  let sample: number | undefined;
  const sel = /\[(\d+)\]$/.exec(q);
  if (sel) {
    sample = Number(sel[1]);
    q = q.slice(0, sel.index);
    if (sample < 1) return 'samples are numbered from 1: [1] is the first';
  }
  const withSample = <T extends object>(x: T) => (sample === undefined ? x : { ...x, sample });
  const NAME = '[A-Za-z][A-Za-z0-9_]*';
  let m: RegExpExecArray | null;
  if (q === 'E') return withSample({ kind: 'E' as const });
  if ((m = new RegExp(`^E\\((${NAME})\\)$`).exec(q))) return withSample({ kind: 'E' as const, neuron: m[1] });
  if ((m = NEURON_Q.exec(q))) return withSample({ kind: m[1] as 'net' | 'out', neuron: m[2] });
  if ((m = new RegExp(`^dE/d(net|out)\\((${NAME})\\)$`).exec(q))) return withSample({ kind: `dE/d${m[1]}` as 'dE/dnet' | 'dE/dout', neuron: m[2] });
  if ((m = new RegExp(`^dout\\((${NAME})\\)/dnet\\((${NAME})\\)$`).exec(q))) {
    if (m[1] !== m[2]) return `dout(${m[1]})/dnet(${m[2]}) is not a factor of the chain rule: use the same neuron twice`;
    return withSample({ kind: 'dout/dnet' as const, neuron: m[1] });
  }
  if ((m = new RegExp(`^dnet\\((${NAME})\\)/d(${NAME})$`).exec(q))) return withSample({ kind: 'dnet/dparam' as const, neuron: m[1], param: m[2] });
  if ((m = new RegExp(`^dE/d(${NAME})$`).exec(q))) return withSample({ kind: 'dE/dparam' as const, param: m[1] });
  if ((m = new RegExp(`^(${NAME})['’]$`).exec(q))) {
    if (sample !== undefined) return `${m[1]}' is the value after one step over all samples; it takes no [k]`;
    return { kind: 'after', param: m[1] };
  }
  if ((m = new RegExp(`^(${NAME})$`).exec(q))) {
    if (sample !== undefined) return `${m[1]} is a parameter value; it takes no [k]`;
    return { kind: 'value', param: m[1] };
  }
  return `'${qText}' is not a quantity check knows: E, E(o1), net(h1), out(h1), dE/dw5, dE/dout(h1), dE/dnet(h1), dout(h1)/dnet(h1), dnet(o1)/dw5, w5' (optionally [k] for sample k)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
