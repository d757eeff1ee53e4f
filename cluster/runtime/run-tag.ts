/**
 * Names and places derived from a run id. Interface names are limited to 15 characters, so a
 * run gets a short tag, and everything it creates is named `sb-<tag>...` or labelled with its
 * id: that is how `cluster clean` finds what a crashed run left behind.
 */
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The Docker label every container and network of a run carries, with the run id as value. */
export const RUN_LABEL = 'splitbrain.run';

/** The environment variable every daemon carries, so orphaned processes can be found by run. */
export const RUN_ENV = 'SPLITBRAIN_RUN';

/** The environment variable naming the node a daemon runs in (the link proxy finds dialers by it). */
export const NODE_ENV = 'SPLITBRAIN_NODE';

/** Prefix of every network namespace, bridge, veth, container and network a run creates. */
export const NAME_PREFIX = 'sb-';

/** Makes a fresh run id: 8 lowercase hex characters, which is also its own tag. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/** Returns the short tag (at most 8 of [a-z0-9]) used in interface and namespace names for a run id. */
export function runTag(runId: string): string {
  if (/^[a-z0-9]{1,8}$/.test(runId)) return runId;
  return createHash('sha256').update(runId).digest('hex').slice(0, 8);
}

/**
 * The folder under which runs keep host-side scratch files (clock files, cluster state, the link
 * proxy's control socket). It is per user: a folder another user left in the shared temporary
 * directory must not stop a run (EACCES), nor let that user reach our sockets.
 */
export function scratchRoot(): string {
  return path.join(tmpdir(), `splitbrain-${process.getuid?.() ?? 'user'}`, 'runs');
}

/** The scratch folder of one run. */
export function runScratchDir(runId: string): string {
  return path.join(scratchRoot(), runTag(runId));
}
