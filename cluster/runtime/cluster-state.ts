/**
 * The state file `cluster up` leaves beside a running cluster, so `cluster status` and
 * `cluster down` (other processes, later) can find it: `<scratch>/<tag>/cluster.json`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runScratchDir, scratchRoot } from './run-tag.js';
import type { RuntimeName } from './runtime.js';
import type { SshFlags } from './ssh/index.js';

/** What `cluster up` recorded about a cluster it left running. */
export interface ClusterState {
  runId: string;
  runtime: RuntimeName;
  db: string;
  logDir: string;
  createdAt: string;
  nodes: { name: string; address: string; endpoint?: string }[];
  /** For the ssh runtime: the flags `up` was given (hosts file path made absolute), so `down` can reconnect. */
  ssh?: SshFlags;
}

const FILE = 'cluster.json';

/** Writes the state file of a cluster. */
export async function writeClusterState(state: ClusterState): Promise<string> {
  const dir = runScratchDir(state.runId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, FILE);
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`);
  return file;
}

/** Reads every state file left by `cluster up`, oldest first. */
export async function readClusterStates(): Promise<ClusterState[]> {
  const root = scratchRoot();
  if (!existsSync(root)) return [];
  const states: ClusterState[] = [];
  for (const tag of await readdir(root)) {
    const text = await readFile(path.join(root, tag, FILE), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    try {
      states.push(JSON.parse(text) as ClusterState);
    } catch {
      // A half-written file from a crashed `up`; `cluster clean` removes it.
    }
  }
  return states.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
