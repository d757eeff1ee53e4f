/**
 * The DBs splitbrain can test, each an implementation of cluster/db.ts acting on nodes only
 * through the runtime: the bundled raftkv and Debian's etcd.
 */
import type { Db } from '../db.js';
import { EtcdDb } from './etcd.js';
import { RaftkvDb } from './raftkv.js';

export { RaftkvDb, RAFTKV_CLIENT_PORT, RAFTKV_PEER_PORT, type RaftkvDbOptions } from './raftkv.js';
export { DaemonDb, withTimeout, type DaemonDbConfig } from './daemon-db.js';
export { EtcdDb, ETCD_BINARY, ETCD_CLIENT_PORT, ETCD_PEER_PORT } from './etcd.js';
export { splitbrainRoot } from './project-root.js';

/** The DB names `--db` accepts (`maelstrom` is built from its binary: cluster/maelstrom). */
export const DB_NAMES = ['raftkv', 'etcd', 'maelstrom'] as const;
export type DbName = (typeof DB_NAMES)[number];

/** Builds a DB by name; throws naming the valid choices for an unknown one. */
export function dbByName(name: string): Db {
  switch (name as DbName) {
    case 'raftkv':
      return new RaftkvDb();
    case 'etcd':
      return new EtcdDb();
    case 'maelstrom':
      throw new Error(`the maelstrom DB runs a binary: build it with new MaelstromDb({ bin })`);
    default:
      throw new Error(`unknown db '${name}'; choose one of: ${DB_NAMES.join(', ')}`);
  }
}
