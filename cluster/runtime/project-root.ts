/** Finds the project's root folder (where package.json is), from source or from dist/. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding splitbrain's package.json and dist/, found by walking up from this module
 * (cluster/runtime/ in source, dist/cluster/runtime/ once built).
 */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'cluster'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the splitbrain project root (package.json) above ${import.meta.url}`);
    dir = up;
  }
}
