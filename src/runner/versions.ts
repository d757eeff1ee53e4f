/** The versions results.json records: splitbrain's, Node's, and what the adapter reports of its system. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../cluster/runtime/index.js';

/** splitbrain's own version from its package.json, or "unknown". */
export async function splitbrainVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(path.join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Collects versions; a version that cannot be found is recorded as "unknown", never an error. */
export async function versions(ofSystem?: () => Promise<Record<string, string>>): Promise<Record<string, string>> {
  const own = { node: process.version, splitbrain: await splitbrainVersion() };
  const system = await (ofSystem?.() ?? Promise.resolve({})).catch(() => ({}));
  return { ...own, ...system };
}
