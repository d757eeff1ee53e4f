/**
 * The bundled raftkv as an adapter: the DB from cluster/db, the HTTP client from workloads, and
 * raftkv's injectable bugs as `--bug` choices. Reads are always linearizable (ReadIndex).
 */
import { BUG_NAMES } from '../../cluster/raftkv/index.js';
import { RaftkvDb } from '../../cluster/db/index.js';
import { raftkvClientPool } from '../../workloads/index.js';
import { defineAdapter } from '../index.js';
import { splitbrainVersion } from '../runner/index.js';

/** raftkv: 5 nodes of the bundled Raft KV store. */
export const raftkvAdapter = defineAdapter({
  name: 'raftkv',
  workloads: ['kv', 'register', 'cas-register'],
  readConsistencies: ['linearizable'],
  bugs: BUG_NAMES,
  db: () => new RaftkvDb(),
  client: ({ endpoints, opTimeoutMs }) => raftkvClientPool({ endpoints, opTimeoutMs }),
  versions: async () => ({ raftkv: await splitbrainVersion() }),
});
