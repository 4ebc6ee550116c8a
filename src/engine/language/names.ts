/** Names in the cell language: `NAME[N]` lists and "did you mean" suggestions. */

export const NAME_RE = /^[A-Za-z][A-Za-z0-9_]*$/;
const LIST_RE = /^([A-Za-z][A-Za-z0-9_]*)\[(\d+)\]$/;

/** Largest N accepted in `NAME[N]`; a layer wider than this is almost certainly a typo. */
export const MAX_LIST = 1_000_000;

/** `x[3]` → x1 x2 x3; a plain name → itself; otherwise an error message. */
export function expandName(token: string): string[] | string {
  const m = LIST_RE.exec(token);
  if (m) {
    const n = Number(m[2]);
    if (n < 1) return `'${token}' names no neurons: N in NAME[N] must be at least 1`;
    if (n > MAX_LIST) return `'${token}' is too long a list (at most ${MAX_LIST.toLocaleString('en-US')} names)`;
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = `${m[1]}${i + 1}`;
    return out;
  }
  if (NAME_RE.test(token)) return [token];
  return `'${token}' is not a name: a name is a letter, then letters, digits or _`;
}

/** Levenshtein distance, cut off early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The declared name closest to `name` (case-insensitive first), or undefined when nothing is close. */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const lower = name.toLowerCase();
  // Half the name's length, at least one edit: 'w9' → 'w1', but no 'b1' offered for a one-letter 'E'.
  const limit = Math.max(1, Math.floor(name.length / 2));
  let looked = 0;
  for (const c of candidates) {
    // A million generated names would make a typo slow to report; the first ones are enough.
    if (++looked > 200_000) break;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase(), Math.min(bestD, limit));
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= limit ? best : undefined;
}

/** "unknown name 'w9'" plus ", did you mean 'w8'?" when something is close. */
export function unknownNameMessage(what: string, name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near ? `unknown ${what} '${name}' — did you mean '${near}'?` : `unknown ${what} '${name}'`;
}
