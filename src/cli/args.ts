/** The command line's arguments, read with `node:util` `parseArgs`; bad usage is a `UsageError`. */
import { parseArgs } from 'node:util';

export type OutputFormat = 'text' | 'markdown' | 'latex' | 'json';
export const FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'latex', 'json'];

export const USAGE = `Usage: bpnb run FILE.bpnb [--format text|markdown|latex|json]
       bpnb exercise TEMPLATE.bpnb --roster ROSTER.csv --out DIR [--seed S]
       bpnb grade DIR --template TEMPLATE.bpnb --roster ROSTER.csv [--seed S] [--csv FILE] [--feedback DIR2] [--answers]

run: runs every code cell of a Backprop Notebook in order and prints what each computed.
exercise: writes each student of the roster their own notebook DIR/ID.bpnb (the template's
  'vary' numbers drawn for them), its answer key DIR/key/ID.bpnb and worked solution DIR/key/ID.md.
grade: grades each submission DIR/ID.bpnb against the student's own numbers; writes the grades
  (default DIR/grades.csv) and each student's feedback (default DIR/feedback/ID.md).

Options:
  -f, --format FORMAT  run: text (default): tables as plain text
                       markdown: the worked solution as Markdown with $…$ math
                       latex: the worked solution as a LaTeX document
                       json: every cell's traces and errors as JSON
  --roster FILE        a CSV file with a header row naming a column 'id'
  --out DIR            exercise: the folder to write to
  --template FILE      grade: the template the exercise was made from
  --seed S             the template seed, a whole number (default 1): grade with the seed of the exercise
  --csv FILE           grade: where to write the grades
  --feedback DIR2      grade: where to write the feedback
  --answers            grade: feedback shows the exact values
  -h, --help           show this help
  -v, --version        show the version

Exit status: run: 0 all cells ran and every check passed, 1 a check failed, 2 an error.
exercise and grade: 0 done (whatever the students' marks), 2 an error.
`;

export interface RunArgs { command: 'run'; file: string; format: OutputFormat }
export interface ExerciseArgs { command: 'exercise'; template: string; roster: string; out: string; seed: number }
export interface GradeArgs {
  command: 'grade'; dir: string; template: string; roster: string; seed: number; csv?: string; feedback?: string; answers: boolean;
}
export type CliArgs = RunArgs | ExerciseArgs | GradeArgs;

export class UsageError extends Error {}

const OPTIONS = {
  format: { type: 'string', short: 'f' },
  roster: { type: 'string' },
  out: { type: 'string' },
  template: { type: 'string' },
  seed: { type: 'string' },
  csv: { type: 'string' },
  feedback: { type: 'string' },
  answers: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

type Command = CliArgs['command'];
const COMMANDS: Record<Command, { operand: string; options: readonly string[] }> = {
  run: { operand: 'FILE.bpnb', options: ['format'] },
  exercise: { operand: 'TEMPLATE.bpnb', options: ['roster', 'out', 'seed'] },
  grade: { operand: 'DIR', options: ['template', 'roster', 'seed', 'csv', 'feedback', 'answers'] },
};
const isCommand = (s: string): s is Command => Object.hasOwn(COMMANDS, s);
const isFormat = (s: string): s is OutputFormat => (FORMATS as readonly string[]).includes(s);

/**
 * Options are taken in the order given, so the first problem is the one reported. `strict: false`
 * with tokens lets the messages name the option as it was written (`-f`, `--fast`).
 */
export function readArgs(argv: readonly string[]): CliArgs | 'help' | 'version' {
  const { tokens } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const rest: string[] = [];
  const values = new Map<string, string | boolean>();
  const command = tokens.find((t) => t.kind === 'positional')?.value;
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (t.value === 'help') return 'help';
      rest.push(t.value);
    } else if (t.kind === 'option') {
      if (t.name === 'help' || t.name === 'version') {
        if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
        return t.name;
      }
      values.set(t.name, optionValue(t, command));
    }
  }
  if (rest.length === 0) throw new UsageError('missing command: bpnb run FILE.bpnb');
  if (!isCommand(rest[0])) throw new UsageError(`unknown command '${rest[0]}'${rest[0].endsWith('.bpnb') ? ` (did you mean 'bpnb run ${rest[0]}'?)` : ''}; the commands are run, exercise and grade`);
  const { operand } = COMMANDS[rest[0]];
  if (rest.length < 2) throw new UsageError(`missing ${operand === 'DIR' ? 'folder' : 'file'}: bpnb ${rest[0]} ${operand}`);
  if (rest.length > 2) throw new UsageError(`one ${operand === 'DIR' ? 'folder' : 'file'} at a time: unexpected '${rest[2]}'`);
  return commandArgs(rest[0], rest[1], values);
}

function optionValue(t: { name: string; rawName: string; value?: string }, command: string | undefined): string | boolean {
  const known = Object.hasOwn(OPTIONS, t.name);
  if (!known) throw new UsageError(`unknown option '${t.rawName}'`);
  if (command && isCommand(command) && !COMMANDS[command].options.includes(t.name)) throw new UsageError(`${t.rawName} is not an option of 'bpnb ${command}'`);
  if (OPTIONS[t.name as keyof typeof OPTIONS].type === 'boolean') {
    if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value`);
    return true;
  }
  if (t.value === undefined) throw new UsageError(t.name === 'format' ? `${t.rawName} needs a value: ${FORMATS.join(', ')}` : `${t.rawName} needs a value`);
  if (t.name === 'format' && !isFormat(t.value)) throw new UsageError(`unknown format '${t.value}': use ${FORMATS.join(', ')}`);
  return t.value;
}

function commandArgs(command: Command, operand: string, values: ReadonlyMap<string, string | boolean>): CliArgs {
  const text = (name: string) => values.get(name) as string | undefined;
  const needed = (name: string, what: string) => {
    const v = text(name);
    if (v === undefined) throw new UsageError(`bpnb ${command} needs --${name} ${what}`);
    return v;
  };
  if (command === 'run') return { command, file: operand, format: (text('format') ?? 'text') as OutputFormat };
  const seed = seedOf(text('seed'));
  if (command === 'exercise') return { command, template: operand, roster: needed('roster', 'ROSTER.csv'), out: needed('out', 'DIR'), seed };
  return {
    command, dir: operand, template: needed('template', 'TEMPLATE.bpnb'), roster: needed('roster', 'ROSTER.csv'), seed,
    ...(text('csv') !== undefined ? { csv: text('csv') } : {}), ...(text('feedback') !== undefined ? { feedback: text('feedback') } : {}),
    answers: values.get('answers') === true,
  };
}

/** The template seed: a whole number the generator takes (32 bits), 1 when not given. */
function seedOf(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n <= 0xffffffff)) throw new UsageError(`--seed takes a whole number from 0 to 4294967295, not '${text}'`);
  return n;
}
