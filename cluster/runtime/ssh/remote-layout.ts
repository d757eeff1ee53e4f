/**
 * Where a run lives on a remote host: everything under `<base>/<tag>/<node>/` (the bundle of
 * files copied over, data, logs, the clock file, supervisor records), so two nodes on hosts
 * that share a filesystem, or two runs on one host, never touch each other's files. Every
 * process a node starts carries the marker `SPLITBRAIN_SSH_DIR=<node folder>/` in its
 * environment: that is how teardown and `cluster clean` find them after a crash.
 */
import path from 'node:path';
import { RUN_ENV, runTag } from '../run-tag.js';

/** The folder on every host under which runs keep their files. */
export const REMOTE_BASE = '/tmp/splitbrain-ssh';

/** The environment variable marking every process a node starts, with its node folder as value. */
export const SSH_DIR_ENV = 'SPLITBRAIN_SSH_DIR';

/** The folders of one node of one run on its host. */
export interface NodeLayout {
  root: string;
  bundle: string;
  data: string;
  logs: string;
  clock: string;
  /** Supervisor records: `<daemon>.<n>.pid` and `<daemon>.<n>.exit`. */
  run: string;
}

/** The folder of a run on a host. */
export function remoteRunDir(runId: string): string {
  return path.posix.join(REMOTE_BASE, runTag(runId));
}

/** The folders of node `name` of run `runId`. */
export function nodeLayout(runId: string, name: string): NodeLayout {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.'))
    throw new Error(`node name '${name}' is not a file name`);
  const root = path.posix.join(remoteRunDir(runId), name);
  return {
    root,
    bundle: path.posix.join(root, 'bundle'),
    data: path.posix.join(root, 'data'),
    logs: path.posix.join(root, 'logs'),
    clock: path.posix.join(root, 'clock'),
    run: path.posix.join(root, 'run'),
  };
}

/** The marker environment of every process started for a node. */
export function markerEnv(runId: string, layout: NodeLayout): Record<string, string> {
  return { [RUN_ENV]: runId, [SSH_DIR_ENV]: `${layout.root}/` };
}
