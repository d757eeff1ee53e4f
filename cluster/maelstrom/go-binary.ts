/**
 * Recognising a Go program, whose clock libfaketime cannot move: the Go runtime reads the time
 * from the vDSO, not through libc. Every Go executable carries its build info behind a fixed
 * magic (`\xff Go buildinf:`), which is what `go version FILE` looks for too.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** Go writes the build info near the start of its data; reading this much of a file finds it. */
const SCAN_BYTES = 64 * 1024 * 1024;

/** True when `file` is a Go executable; false when it is not, cannot be read, or is a script. */
export function isGoBinary(file: string): boolean {
  let fd: number | undefined;
  try {
    const size = Math.min(statSync(file).size, SCAN_BYTES);
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(size);
    readSync(fd, buf, 0, size, 0);
    return buf.subarray(0, 4).toString('latin1') === '\x7fELF' && buf.includes(MAGIC);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
