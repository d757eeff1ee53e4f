/** The versions results.json records: splitbrain's, Node's, and the DB's. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { ETCD_BINARY, splitbrainRoot } from '../../cluster/db/index.js';

/** Collects versions; a version that cannot be found is recorded as "unknown", never an error. */
export async function versions(dbName: string): Promise<Record<string, string>> {
  const out: Record<string, string> = { node: process.version };
  try {
    const pkg = JSON.parse(await readFile(path.join(splitbrainRoot(), 'package.json'), 'utf8')) as { version?: string };
    out.splitbrain = pkg.version ?? 'unknown';
  } catch {
    out.splitbrain = 'unknown';
  }
  if (dbName === 'raftkv') out.raftkv = out.splitbrain;
  if (dbName === 'etcd') {
    const r = await execa(ETCD_BINARY, ['--version'], { reject: false, timeout: 5000 });
    out.etcd = /etcd Version: (\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
  }
  return out;
}
