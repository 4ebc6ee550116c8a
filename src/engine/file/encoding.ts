/**
 * Bytes ⇄ text for `.bpnb` files: UTF-8 when the bytes are valid UTF-8, else Latin-1 (each byte the
 * character with its code), so that any file opens and writes back byte for byte.
 */

/** Where a file that is not UTF-8 first stops being so: 1-based line and column (in characters of
 *  the text read, the BOM not counted) and the offending byte's value. */
export interface DecodeNote {
  line: number;
  column: number;
  byte: number;
}

export interface Decoded {
  text: string;
  encoding: 'utf-8' | 'latin1';
  decodeNote?: DecodeNote;
}

export function decode(bytes: Uint8Array): Decoded {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const text = decodeLatin1(bytes);
    const at = firstInvalidUtf8(bytes);
    return { text, encoding: 'latin1', decodeNote: { ...positionIn(text, at), byte: bytes[at] } };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629:
 *  no overlong forms, no surrogates, nothing beyond U+10FFFF), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    const more = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (more === 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (i + more >= b.length) return i; // cut short by the end of the file
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= more; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return -1;
}

/** 1-based line and column of `offset`, lines ending at CRLF, LF or a lone CR as the reader splits them. */
function positionIn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) { line++; start = i + 1; }
  }
  return { line, column: offset - start + 1 };
}

function decodeLatin1(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return text;
}

/** Characters up to U+00FF become their byte; anything typed later beyond that is written as UTF-8
 *  rather than lost. */
export function encodeLatin1(text: string): Uint8Array {
  const utf8 = new TextEncoder();
  let size = 0;
  for (const ch of text) size += ch.codePointAt(0)! <= 0xff ? 1 : utf8.encode(ch).length;
  const bytes = new Uint8Array(size);
  let k = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c <= 0xff) bytes[k++] = c;
    else { const e = utf8.encode(ch); bytes.set(e, k); k += e.length; }
  }
  return bytes;
}
