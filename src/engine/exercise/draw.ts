/**
 * Each student's numbers, drawn deterministically from (template seed, student id): the same
 * seed, id and template give the same numbers on every machine, in the command line and in VS Code.
 *
 * - The hash is 32-bit FNV-1a over the UTF-8 bytes of `SEED:ID` (SEED in decimal): small, fixed,
 *   and spreads ids that differ in one character (`s01`, `s02`) far apart.
 * - The generator is mulberry32 (math/init.ts, the one `init` uses), seeded with that hash.
 * - A draw takes one number of the generator per varied number, in the order the `vary` lines
 *   name them: value i of a grid of n is chosen with i = ⌊u · n⌋. A draw found degenerate is
 *   followed by the next draw of the same generator, so re-drawing is deterministic too.
 */
import { prng } from '../math/init';
import type { Varied } from './template';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** 32-bit FNV-1a of the UTF-8 bytes of `text`. */
export function fnv1a(text: string): number {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, FNV_PRIME);
  return h >>> 0;
}

/** The generator's seed for one student: FNV-1a of `SEED:ID`. */
export const studentHash = (seed: number, id: string): number => fnv1a(`${seed}:${id}`);

/** The student's draws, one after another: each is the text of every varied number, in order. */
export function drawsFor(seed: number, id: string, varied: readonly Varied[]): () => string[] {
  const rand = prng(studentHash(seed, id));
  return () => varied.map((v) => v.grid.text(Math.min(v.grid.count - 1, Math.floor(rand() * v.grid.count))));
}
