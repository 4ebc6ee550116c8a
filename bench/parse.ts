/**
 * Number reading: how fast `parseCell` reads a `data` table (issue 10: 2,000 rows × 74 numbers in
 * well under 30 ms), against a peer measured in the same run — the plain way, `split` into lines and
 * words and `Number` each — and at three sizes, to show the time grows linearly. Prints numbers,
 * asserts nothing. Run: `npx tsx bench/parse.ts`.
 */
import { parseCell } from '../src/engine/language/parser';

const COLUMNS = 74;

/** A table of `rows` rows of 73 inputs and one target, numbers as a student's export would write them. */
function table(rows: number): string {
  const header = `  ${Array.from({ length: COLUMNS - 1 }, (_, j) => `x${j + 1}`).join(' ')} -> y`;
  const lines = [`data`, header];
  for (let k = 0; k < rows; k++) {
    const row = Array.from({ length: COLUMNS }, (_, j) => (((k * 31 + j * 17) % 1000) / 997 - 0.5).toFixed(6));
    lines.push(`  ${row.join(' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The peer: split into lines and words, `Number` each word (no commas, no errors, no positions). */
function naive(text: string): number {
  let sum = 0;
  const lines = text.split('\n');
  for (let i = 2; i < lines.length; i++) {
    for (const w of lines[i].trim().split(/\s+/)) if (w && w !== '->') sum += Number(w);
  }
  return sum;
}

/** Median of `repeats` runs after two warm-ups, in ms. */
function time(run: () => unknown, repeats = 15): number {
  run();
  run();
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    run();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(repeats / 2)];
}

console.log('number reading: a data table of 74 numbers a row (median of 15 runs)\n');
console.log('rows     numbers   parseCell ms  numbers/µs   split+Number ms  numbers/µs   ratio');
for (const rows of [500, 2000, 8000]) {
  const text = table(rows);
  const numbers = rows * COLUMNS;
  const check = parseCell(text);
  if (check.errors.length || check.statements[0]?.kind !== 'data') throw new Error('the bench table does not parse');
  const engine = time(() => parseCell(text));
  const peer = time(() => naive(text));
  console.log(
    `${String(rows).padEnd(8)} ${String(numbers).padEnd(9)} ${engine.toFixed(2).padStart(12)}  ${(numbers / engine / 1000).toFixed(1).padStart(10)}   ` +
    `${peer.toFixed(2).padStart(15)}  ${(numbers / peer / 1000).toFixed(1).padStart(10)}   ${(engine / peer).toFixed(2).padStart(5)}`,
  );
}
console.log('\nratio: parseCell time / split+Number time (parseCell also checks every number against the grammar and the header, and keeps the line and span of each row)');
