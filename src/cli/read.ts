/** Reading the notebook file, bounded: a notebook is text a person wrote. */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

/** Files larger than this are refused rather than read. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reads at most MAX_FILE_BYTES, in chunks, so that a pipe or a device like /dev/zero cannot hang
 *  the command or exhaust memory. Returns the bytes, or why they could not be read. */
export function readFile(file: string): Uint8Array | string {
  let fd: number | undefined;
  try {
    if (statSync(file).isDirectory()) return 'is a directory';
    fd = openSync(file, 'r');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_FILE_BYTES) return `is too large (more than ${MAX_FILE_BYTES.toLocaleString('en-US')} bytes)`;
      chunks.push(chunk.subarray(0, n));
    }
    return new Uint8Array(Buffer.concat(chunks, total));
  } catch (e) {
    return readError(e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readError(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return e instanceof Error ? e.message : String(e);
}
