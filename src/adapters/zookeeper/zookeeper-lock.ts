/**
 * ZooKeeper's lock recipe for the `lock` workload: to acquire lock K, create an ephemeral
 * sequential znode under `/sblock-K`; the lowest sequence number holds the lock; anyone else
 * watches the znode just below its own and checks again when it goes. Releasing deletes one's
 * znode; a session that ends (closed, or expired because its client was cut off or paused) loses
 * its znodes, and so the lock, without its client hearing of it until it next talks to the
 * ensemble. That is the classic way two clients both believe they hold a lock.
 *
 * Outcomes, so the `mutex` model judges honestly:
 * - acquire `ok` once this znode is the lowest; if the wait runs out the znode is deleted and the
 *   acquire is `fail`. If the outcome is unknown (a lost connection), the session is closed and
 *   the acquire recorded `fail`: while its znode existed no other client could take the lock, so
 *   no other op can tell it from one that never happened.
 * - release: deleting the znode `ok`; a znode that is already gone, or a session ZooKeeper told us
 *   has expired, `fail` (the lock was lost before, not by this release); a release that cannot be
 *   sent because the connection is down `info`, and the client closes the session, so the lock
 *   goes when the session expires (an effect, though later); a lost answer `info`.
 *
 * Lock sessions last LOCK_SESSION_TIMEOUT_MS once their client is cut off; the workload holds a
 * lock longer than that, so a holder can release after another client took the lock.
 */
import zookeeper from 'node-zookeeper-client';
import type { Completion } from '../../index.js';
import { call, codeOf, ZK_ERROR, type ZkClient } from './znode.js';

/**
 * Session timeout of a lock client (ms): shorter than the longest fault of the default nemesis
 * (3 s), so a holder cut off by one loses its lock; ZooKeeper accepts 2 to 20 ticks (1-10 s here).
 */
export const LOCK_SESSION_TIMEOUT_MS = 1500;

/** The locks one client (one session) holds: lock key -> its znode path. */
export type HeldLocks = Map<string, string>;

/** The parent znode of a lock. */
export const lockDir = (key: unknown): string => `/sblock-${encodeURIComponent(String(key))}`;

/** Acquires lock `key` within `deadline` (ms since the epoch). `uncertain` is called before a `fail` that closes the session. */
export async function acquire(zk: ZkClient, held: HeldLocks, key: string, deadline: number): Promise<Completion> {
  if (held.has(key)) return { type: 'fail', error: 'already held by this client' };
  const dir = lockDir(key);
  await call<string>((cb) => zk.create(dir, cb)).catch((e: unknown) => {
    if (codeOf(e) !== ZK_ERROR.nodeExists) throw e;
  });
  const mine = await call<string>((cb) =>
    zk.create(`${dir}/m-`, Buffer.alloc(0), zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, cb),
  );
  const name = mine.slice(dir.length + 1);
  for (;;) {
    const children = (await call<string[]>((cb) => zk.getChildren(dir, cb))).sort();
    const at = children.indexOf(name);
    if (at < 0) return { type: 'fail', error: 'lock znode vanished (session expired)' };
    if (at === 0) {
      held.set(key, mine);
      return { type: 'ok' };
    }
    // Wait for the znode just below ours to go, or for the deadline.
    const below = `${dir}/${children[at - 1]}`;
    const gone = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now()));
      zk.exists(
        below,
        () => {
          clearTimeout(timer);
          resolve(true);
        },
        (err, stat) => {
          if (err) {
            clearTimeout(timer);
            reject(err);
          } else if (!stat) {
            clearTimeout(timer);
            resolve(true);
          }
        },
      );
    });
    if (!gone) {
      await call<void>((cb) => zk.remove(mine, -1, cb));
      return { type: 'fail', error: 'timed out waiting for the lock' };
    }
  }
}

/** Releases lock `key`. */
export async function release(zk: ZkClient, held: HeldLocks, key: string): Promise<Completion> {
  const mine = held.get(key);
  if (!mine) return { type: 'fail', error: 'not held by this client' };
  held.delete(key);
  const state = zk.getState();
  if (state === zookeeper.State.EXPIRED)
    return { type: 'fail', error: 'lock already lost: the session expired (release not sent)' };
  if (state !== zookeeper.State.SYNC_CONNECTED)
    return { type: 'info', error: `not connected (${String(state)}): release not sent; session closed` };
  try {
    await call<void>((cb) => zk.remove(mine, -1, cb));
    return { type: 'ok' };
  } catch (e) {
    if (codeOf(e) === ZK_ERROR.noNode)
      return { type: 'fail', error: 'lock already lost: its znode is gone (session expired)' };
    return { type: 'info', error: String(e) };
  }
}
