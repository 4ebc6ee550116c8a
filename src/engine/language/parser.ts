/**
 * The cell language's parser: one statement a line, `data` and `check` blocks indented under their
 * keyword. Every error of the cell is collected (with offsets), not just the first, so the editor can
 * underline them all at once — up to a cap, past which they are only counted.
 *
 * Each statement word has its parse function (language/statements/); a line whose first word is
 * none of them is a weight `NAME FROM -> TO = NUMBER`, a parameter `NAME = NUMBER`, or an error.
 */
import { CellParser, type LineTokens } from './cell';
import { nearestName } from './names';
import { tokenize } from './scanner';
import { parseCheck } from './statements/check';
import { parseBias, parseFreeze, parseInit, parseInput, parseLayer, parseWeightOrSet } from './statements/network';
import { parseNotation } from './statements/notation';
import { parseDecay, parseOptimizer } from './statements/optimizer';
import { parseData, parseSample } from './statements/samples';
import { parseCommand, parseDigits, parseLoss, parseMode, parseRate, parseTrain } from './statements/settings';
import { parseVary } from './statements/vary';
import type { ParseResult } from './syntax';
import { KEYWORDS } from './vocabulary';

type ParseStatement = (p: CellParser, line: LineTokens) => void;

const STATEMENTS: Readonly<Record<string, ParseStatement>> = {
  input: parseInput,
  layer: parseLayer,
  bias: parseBias,
  freeze: parseFreeze,
  unfreeze: parseFreeze,
  init: parseInit,
  loss: parseLoss,
  rate: parseRate,
  mode: parseMode,
  optimizer: parseOptimizer,
  decay: parseDecay,
  sample: parseSample,
  data: parseData,
  forward: parseCommand,
  step: parseCommand,
  gradcheck: parseCommand,
  reset: parseCommand,
  train: parseTrain,
  digits: parseDigits,
  check: parseCheck,
  notation: parseNotation,
  vary: parseVary,
};

const STATEMENT_WORDS = KEYWORDS.map((k) => k.word).filter((w) => w !== 'within' && w !== 'every' && w !== 'seed' && w !== 'notes');

export function parseCell(text: string): ParseResult {
  const p = new CellParser(text);
  for (let line = p.scanner.next(); line; line = p.scanner.next()) {
    if (line.blank) continue;
    const toks = tokenize(text, line.start, line.end);
    if (toks.length === 0) continue;
    const head = toks[0];
    const lt: LineTokens = { toks, head, base: { line: line.number, start: head.start, end: toks[toks.length - 1].end } };
    const parse = Object.hasOwn(STATEMENTS, head.text) ? STATEMENTS[head.text] : undefined;
    if (parse) parse(p, lt);
    else if (!parseWeightOrSet(p, lt)) unknownStatement(p, lt);
  }
  return { statements: p.statements, errors: p.errors.finish(), lines: p.lines };
}

function unknownStatement(p: CellParser, { head }: LineTokens): void {
  p.error(head, 'unknown-statement', () => {
    const near = nearestName(head.text, STATEMENT_WORDS);
    return { word: head.text, keywords: STATEMENT_WORDS.slice(0, 6), ...(near ? { near } : {}) };
  });
  // An unknown `data`/`check`-like word may have an indented block; skip it so its rows don't each error.
  if (p.scanner.peek()?.indented) p.scanner.block(() => undefined);
}
