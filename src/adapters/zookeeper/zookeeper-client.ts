/**
 * The ZooKeeper client, with node-zookeeper-client: one session per process, connected to one
 * server only (so a read is served by that server, as ZooKeeper serves every read). Per key a
 * znode `/sb-KEY` holding the JSON value: read = getData (none yet: null), write = setData
 * (create on first write), cas = getData then setData guarded by the version read, so a cas
 * that lost a race is refused by ZooKeeper itself. The `lock` workload uses ZooKeeper's lock
 * recipe (zookeeper-lock.ts). How a read is served is the read consistency (zookeeper-read.ts).
 *
 * The library retries requests after a connection loss; retries are off here, since a retried
 * setData that had in fact been applied would come back as a refusal and be recorded `fail`.
 */
import zookeeper from 'node-zookeeper-client';
import {
  indeterminate,
  type AdapterClientOptions,
  type Client,
  type ClientOp,
  type ClientPool,
  type Completion,
} from '../../index.js';
import { codeOf, create, getData, setData, ZK_ERROR, type ZkClient } from './znode.js';
import { acquire, LOCK_SESSION_TIMEOUT_MS, release, type HeldLocks } from './zookeeper-lock.js';
import { readValue } from './zookeeper-read.js';

/** The znode of a key. */
export function znodeOf(key: unknown): string {
  return `/sb-${encodeURIComponent(String(key ?? 'register'))}`;
}

/** Opens one ZooKeeper session per process, on the node the process number picks. */
export function zookeeperClientPool(options: AdapterClientOptions): ClientPool {
  const sessions = new Set<ZkClient>();
  return {
    open(process: number): Client {
      // A retired process's successor (process + threads) moves on to another server, so a
      // worker is not stuck on a server the nemesis has cut off or paused.
      const n = options.endpoints.length;
      const endpoint = options.endpoints[(process + Math.floor(process / n)) % n]!;
      let session: Promise<ZkClient> | undefined;
      const held: HeldLocks = new Map();
      // A lock client's session is short, so the lock recipe's hole (the holder's session expires
      // while it is cut off) is within reach of the nemesis's faults; see zookeeper-lock.ts.
      const connect = (f: string): Promise<ZkClient> =>
        (session ??= new Promise<ZkClient>((resolve, reject) => {
          const zk = zookeeper.createClient(new URL(endpoint.url).host, {
            sessionTimeout: f === 'acquire' || f === 'release' ? LOCK_SESSION_TIMEOUT_MS : 4000,
            spinDelay: 200,
            retries: 0,
          });
          sessions.add(zk);
          const timer = setTimeout(() => reject(new Error('connect timeout')), options.opTimeoutMs);
          zk.once('connected', () => {
            clearTimeout(timer);
            resolve(zk);
          });
          zk.connect();
        }));
      // Ends the session (its ephemeral lock znodes go with it); a later op of this client, as
      // after an acquire recorded fail, starts a fresh one.
      const retire = () => {
        const ending = session;
        session = undefined;
        held.clear();
        void ending?.then(
          (zk) => {
            zk.close();
            sessions.delete(zk);
          },
          () => undefined,
        );
      };
      return {
        invoke: async (op) => {
          let zk: ZkClient;
          try {
            zk = await connect(op.f);
          } catch (e) {
            // Nothing was sent: the op certainly did not happen.
            session = undefined;
            return { type: 'fail', error: (e as Error).message, node: endpoint.node };
          }
          const c = await withDeadline(
            invokeOn(zk, op, options.readConsistency, held, Date.now() + options.opTimeoutMs * 0.8),
            options.opTimeoutMs,
            op,
            endpoint.node,
          );
          // A process whose op may have happened is retired; its session goes with it.
          if (c.type === 'info') retire();
          // An acquire of unknown outcome: closing the session removes its lock znode, and while
          // that znode existed nobody else could take the lock, so it counts as never acquired.
          if (c.type === 'info' && op.f === 'acquire')
            return { type: 'fail', error: `${c.error ?? 'unknown outcome'}; session closed`, node: endpoint.node };
          return { ...c, node: endpoint.node };
        },
      };
    },
    close: async () => {
      for (const zk of sessions) zk.close();
      sessions.clear();
    },
  };
}

async function invokeOn(
  zk: ZkClient,
  op: ClientOp,
  readConsistency: string,
  held: HeldLocks,
  deadline: number,
): Promise<Completion> {
  const path = znodeOf(op.key);
  try {
    switch (op.f) {
      case 'acquire':
        return await acquire(zk, held, String(op.key), deadline);
      case 'release':
        return await release(zk, held, String(op.key));
      case 'read':
        return { type: 'ok', value: await readValue(zk, path, readConsistency, deadline) };
      case 'write': {
        await writeValue(zk, path, op.value);
        return { type: 'ok', value: op.value };
      }
      case 'cas': {
        const [expected, next] = op.value as [unknown, unknown];
        const got = await getData(zk, path);
        if (!got || got.value !== expected) return { type: 'fail', error: 'cas-mismatch' };
        try {
          await setData(zk, path, next, got.version);
        } catch (e) {
          if (codeOf(e) === ZK_ERROR.badVersion || codeOf(e) === ZK_ERROR.noNode)
            return { type: 'fail', error: 'cas-mismatch (version)' };
          throw e;
        }
        return { type: 'ok', value: op.value };
      }
      default:
        return { type: 'fail', error: `zookeeper client: unsupported op '${op.f}'` };
    }
  } catch (e) {
    return indeterminate(op, String(e), '');
  }
}

/** Writes a value, creating the znode on the first write (and overwriting if another client created it first). */
async function writeValue(zk: ZkClient, path: string, value: unknown): Promise<void> {
  try {
    await setData(zk, path, value, -1);
  } catch (e) {
    if (codeOf(e) !== ZK_ERROR.noNode) throw e;
    try {
      await create(zk, path, value);
    } catch (e2) {
      if (codeOf(e2) !== ZK_ERROR.nodeExists) throw e2;
      await setData(zk, path, value, -1);
    }
  }
}

/** The op's completion, or `indeterminate` once `ms` pass (a paused server never answers). */
async function withDeadline(p: Promise<Completion>, ms: number, op: ClientOp, node: string): Promise<Completion> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Completion>((r) => (timer = setTimeout(() => r(indeterminate(op, 'timeout', node)), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
