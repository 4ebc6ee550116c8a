/** The command line's arguments, read with `node:util` `parseArgs`; bad usage is a `UsageError`. */
import { parseArgs } from 'node:util';

export type OutputFormat = 'text' | 'markdown' | 'latex' | 'json';
export const FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'latex', 'json'];

export const USAGE = `Usage: bpnb run FILE.bpnb [--format text|markdown|latex|json]

Runs every code cell of a Backprop Notebook in order and prints what each computed.

Options:
  -f, --format FORMAT  text (default): tables as plain text
                       markdown: the worked solution as Markdown with $…$ math
                       latex: the worked solution as a LaTeX document
                       json: every cell's traces and errors as JSON
  -h, --help           show this help
  -v, --version        show the version

Exit status: 0 all cells ran and every check passed, 1 a check failed, 2 an error.
`;

export interface RunArgs {
  file: string;
  format: OutputFormat;
}

export class UsageError extends Error {}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const isFormat = (s: string): s is OutputFormat => (FORMATS as readonly string[]).includes(s);

/**
 * Options are taken in the order given, so the first problem is the one reported. `strict: false`
 * with tokens lets the messages name the option as it was written (`-f`, `--fast`).
 */
export function readArgs(argv: readonly string[]): RunArgs | 'help' | 'version' {
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const rest: string[] = [];
  let format: OutputFormat = 'text';
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (t.value === 'help') return 'help';
      rest.push(t.value);
    } else if (t.kind === 'option') {
      if (t.name === 'help' || t.name === 'version') {
        if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
        return t.name;
      }
      if (t.name !== 'format') throw new UsageError(`unknown option '${t.rawName}'`);
      if (t.value === undefined) throw new UsageError(`${t.rawName} needs a value: ${FORMATS.join(', ')}`);
      if (!isFormat(t.value)) throw new UsageError(`unknown format '${t.value}': use ${FORMATS.join(', ')}`);
      format = t.value;
    }
  }
  if (rest.length === 0) throw new UsageError('missing command: bpnb run FILE.bpnb');
  if (rest[0] !== 'run') throw new UsageError(`unknown command '${rest[0]}'${rest[0].endsWith('.bpnb') ? ` (did you mean 'bpnb run ${rest[0]}'?)` : ''}`);
  if (rest.length < 2) throw new UsageError('missing file: bpnb run FILE.bpnb');
  if (rest.length > 2) throw new UsageError(`one file at a time: unexpected '${rest[2]}'`);
  return { file: rest[1], format };
}
