/**
 * User text may hold anything; a terminal must not receive control sequences from a notebook. Each
 * control character but tab and newline — C0, DEL and C1 (U+009B is a CSI for some terminals) — is
 * shown escaped, `\x1b`, so the text still says what was there. Messages, the text printer and every
 * write of the command line go through this one function.
 */
export function escapeControl(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
