/**
 * The three ways the ZooKeeper client reads a key (`--read-consistency`), strongest first.
 *
 * ZooKeeper answers every read from the server the session is connected to, so:
 * - `local`: getData alone, the server's own copy; sequentially consistent, stale while the
 *   server lags the leader or is cut off from it.
 * - `sync`: sync, then getData. The server first catches up with what its leader had committed.
 *   But sync is not a quorum operation: a leader answers its own clients' syncs at once, and a
 *   leader that was paused or cut off still believes it leads until its next tick notices the
 *   missing followers, so for that moment it serves its stale copy (ZOOKEEPER-1675).
 * - `linearizable`: getData, then a multi that checks the version read. The multi is a write, so
 *   it is ordered by the leader and committed by a quorum (a deposed leader cannot commit it); if
 *   it commits, the znode still had the version read, so the value read was current at that
 *   commit, which lies between the read's invocation and its response. If the version moved in
 *   between, the read starts over, until its deadline.
 */
import { checkVersion, codeOf, getData, ZK_ERROR, type ZkClient } from './znode.js';
import { syncPath } from './zookeeper-sync.js';

/** Read modes, the default first. */
export const ZK_READ_CONSISTENCIES = ['linearizable', 'sync', 'local'] as const;

/** Reads `path`'s value (null when there is no znode) the way `consistency` says; `deadline` in ms since the epoch. */
export async function readValue(zk: ZkClient, path: string, consistency: string, deadline: number): Promise<unknown> {
  if (consistency === 'linearizable') return checkedRead(zk, path, deadline);
  if (consistency === 'sync') await syncPath(zk, path);
  return (await getData(zk, path))?.value ?? null;
}

/** getData confirmed by a quorum-committed version check; rejects when the value kept moving until `deadline`. */
async function checkedRead(zk: ZkClient, path: string, deadline: number): Promise<unknown> {
  let attempts = 0;
  while (attempts === 0 || Date.now() < deadline) {
    attempts++;
    const got = await getData(zk, path);
    try {
      // Version -1 checks only that the znode exists: for a key never written, NO_NODE confirms it.
      await checkVersion(zk, path, got ? got.version : -1);
      if (got) return got.value;
    } catch (e) {
      const code = codeOf(e);
      if (!got && code === ZK_ERROR.noNode) return null;
      if (code !== ZK_ERROR.badVersion && code !== ZK_ERROR.noNode) throw e;
    }
  }
  throw new Error(`the value changed under each of ${attempts} checked reads`);
}
