/**
 * The znode requests the ZooKeeper client and lock recipe share, as promises over
 * node-zookeeper-client's callbacks: a key's value is the JSON in its znode's data.
 */
import zookeeper from 'node-zookeeper-client';

/** A connected node-zookeeper-client session. */
export type ZkClient = zookeeper.Client;

/** ZooKeeper error codes the adapter tells apart. */
export const ZK_ERROR = {
  noNode: zookeeper.Exception.NO_NODE,
  nodeExists: zookeeper.Exception.NODE_EXISTS,
  badVersion: zookeeper.Exception.BAD_VERSION,
} as const;

/** The ZooKeeper error code of a rejection, or undefined for anything else (a timeout, a bug). */
export const codeOf = (e: unknown): number | undefined => (e as { getCode?: () => number }).getCode?.();

/** A znode's value and the version it has (setData with that version succeeds only if nobody wrote since). */
export interface Versioned {
  value: unknown;
  version: number;
}

/** Turns a node-style callback call into a promise. */
export function call<T>(
  fn: (cb: (err: Error | null | undefined | zookeeper.Exception, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** The znode's value and version from the connected server's copy, or undefined when there is no znode. */
export function getData(zk: ZkClient, path: string): Promise<Versioned | undefined> {
  return new Promise((resolve, reject) =>
    zk.getData(path, (err, data, stat) => {
      if (err) return codeOf(err) === ZK_ERROR.noNode ? resolve(undefined) : reject(err);
      const value = data && data.length > 0 ? (JSON.parse(data.toString('utf8')) as unknown) : null;
      resolve({ value, version: stat.version });
    }),
  );
}

/** Sets the znode's value if its version is `version` (-1: any version). */
export function setData(zk: ZkClient, path: string, value: unknown, version: number): Promise<void> {
  return call<unknown>((cb) => zk.setData(path, encode(value), version, cb)).then(() => undefined);
}

/** Creates the znode holding `value`. */
export function create(zk: ZkClient, path: string, value: unknown): Promise<void> {
  return call<string>((cb) => zk.create(path, encode(value), cb)).then(() => undefined);
}

/**
 * Commits, through ZooKeeper's leader and a quorum, a multi holding one check that the znode has
 * `version` (-1: that it exists). Rejects with BAD_VERSION or NO_NODE when it does not.
 * Transaction.check turns version 0 into -1 (`version || -1`), so the op's version is set again.
 */
export function checkVersion(zk: ZkClient, path: string, version: number): Promise<void> {
  const tx = zk.transaction().check(path, version);
  const ops = (tx as unknown as { ops: { version: number }[] }).ops;
  ops[ops.length - 1]!.version = version;
  return call<unknown>((cb) => tx.commit(cb)).then(() => undefined);
}

const encode = (value: unknown): Buffer => Buffer.from(JSON.stringify(value ?? null));
