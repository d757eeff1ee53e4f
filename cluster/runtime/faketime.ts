/**
 * libfaketime glue. A daemon started with `fakeTime` reads its wall clock offset from a file on
 * every call (FAKETIME_NO_CACHE), so rewriting that file moves a running process's Date.now();
 * monotonic clocks stay real (FAKETIME_DONT_FAKE_MONOTONIC) so timers and timeouts keep working.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Where Debian's libfaketime package puts the library (host and image alike). */
export const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/** The file name of the offset file inside a node's clock folder. */
export const CLOCK_FILE = 'offset';

/**
 * Formats an offset in milliseconds the way libfaketime reads a relative time: a sign, seconds
 * with three decimals, and the `s` unit (`+2.500s`, `-1.200s`). "ms" is not a unit it knows: it
 * would read `+2500ms` as 2500 minutes.
 */
export function formatOffset(offsetMs: number): string {
  if (!Number.isFinite(offsetMs)) throw new Error(`clock offset must be a finite number of ms, got ${offsetMs}`);
  const sign = offsetMs < 0 ? '-' : '+';
  return `${sign}${(Math.abs(offsetMs) / 1000).toFixed(3)}s`;
}

/** Writes the offset file atomically (a temporary file, then rename), so a reader never sees it half written. */
export async function writeOffsetFile(file: string, offsetMs: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${formatOffset(offsetMs)}\n`);
  await rename(tmp, file);
}

/** The environment that makes a process read its wall clock through libfaketime from `file`. */
export function fakeTimeEnv(file: string, library = LIBFAKETIME): Record<string, string> {
  return {
    LD_PRELOAD: library,
    FAKETIME_TIMESTAMP_FILE: file,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    FAKETIME_NO_CACHE: '1',
  };
}

/** Says whether libfaketime is installed on this host. */
export function hostHasFaketime(): boolean {
  return existsSync(LIBFAKETIME);
}
