/**
 * Where Porcupine's test histories live (../shared, outside the repo) and the verdict
 * histories/porcupine/FORMAT.md lists for each. Shared by the corpus test and the bench.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root, found by walking up to package.json (works from test/ and from dist/test/). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith('/dist')) {
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** The corpus folder, `../shared/histories/porcupine` next to the repo. */
export const CORPUS_DIR = resolve(repoRoot(), '../shared/histories/porcupine');

/** True when the corpus is present (it is not part of the repo). */
export const CORPUS_PRESENT = existsSync(join(CORPUS_DIR, 'FORMAT.md'));

const LINEARIZABLE_ETCD = new Set([
  2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102,
]);

/** One corpus history with how to read it and what the checker must say. */
export interface CorpusEntry {
  name: string;
  path: string;
  format: 'porcupine-etcd' | 'porcupine-kv';
  model: 'cas-register' | 'kv-append';
  expected: boolean;
}

/** Every non-empty corpus history (102 etcd logs, 6 kv logs) with its expected verdict. */
export function corpusEntries(): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  for (const name of readdirSync(join(CORPUS_DIR, 'jepsen')).sort()) {
    const n = Number(/^etcd_(\d+)\.log$/.exec(name)?.[1]);
    if (Number.isNaN(n) || n === 95) continue; // 095 is empty: the cluster never started
    entries.push({
      name,
      path: join(CORPUS_DIR, 'jepsen', name),
      format: 'porcupine-etcd',
      model: 'cas-register',
      expected: LINEARIZABLE_ETCD.has(n),
    });
  }
  for (const name of readdirSync(join(CORPUS_DIR, 'kv')).sort()) {
    entries.push({
      name,
      path: join(CORPUS_DIR, 'kv', name),
      format: 'porcupine-kv',
      model: 'kv-append',
      expected: name.includes('-ok'),
    });
  }
  return entries;
}
