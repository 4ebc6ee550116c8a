/**
 * The one place where diagnostics become English. Every code the engine can produce has one entry
 * here; the edges (command line, kernel, editor diagnostics, hovers) call `messageOf` and nothing
 * else turns a diagnostic into words, so no layer ever parses another layer's sentences.
 *
 * Lines named in a message (`related`) are the cell's lines unless the caller passes `lineOffset`,
 * which the command line uses to speak of the file's lines.
 */
import type { Diagnostic } from './diagnostics';

export type DiagnosticArg = string | number | readonly string[];
export type DiagnosticArgs = Readonly<Record<string, DiagnosticArg>>;

type Args = Record<string, DiagnosticArg | undefined>;
type Template = (a: Args) => string;

const str = (x: DiagnosticArg | undefined): string => (Array.isArray(x) ? x.join(', ') : String(x ?? ''));

const MESSAGES = {
  // Transitional: a message made before its code existed (see Diagnostic.message).
  legacy: (a) => str(a.text),

  // ---- language: the scanner and the parser ----

  // ---- semantics: the network, the samples, cross-cell planning ----

  // ---- commands: forward, step, train, check, gradcheck ----

} satisfies Record<string, Template>;

export type DiagnosticCode = keyof typeof MESSAGES;

/** The English of a diagnostic; `lineOffset` is added to every line it names (0: lines of the cell). */
export function messageOf(d: Pick<Diagnostic, 'code' | 'args' | 'related'>, lineOffset = 0): string {
  const args: Args = { ...d.args };
  for (const r of d.related ?? []) args[r.role] = r.line + lineOffset;
  const template: Template = MESSAGES[d.code];
  return template(args);
}
