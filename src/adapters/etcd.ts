/**
 * Debian's etcd as an adapter: the DB from cluster/db, the v3 JSON gateway client from
 * workloads, with linearizable (default) or serializable (local, possibly stale) reads.
 */
import { execa } from 'execa';
import { ETCD_BINARY, EtcdDb } from '../../cluster/db/index.js';
import { ETCD_READ_CONSISTENCIES, etcdClientPool, type EtcdReadConsistency } from '../../workloads/index.js';
import { defineAdapter } from '../index.js';

/** etcd 3.4 from Debian's etcd-server. */
export const etcdAdapter = defineAdapter({
  name: 'etcd',
  workloads: ['kv', 'register', 'cas-register'],
  readConsistencies: ETCD_READ_CONSISTENCIES,
  db: () => new EtcdDb(),
  client: ({ endpoints, opTimeoutMs, readConsistency }) =>
    etcdClientPool({ endpoints, opTimeoutMs, readConsistency: readConsistency as EtcdReadConsistency }),
  versions: async () => {
    const r = await execa(ETCD_BINARY, ['--version'], { reject: false, timeout: 5000 });
    return { etcd: /etcd Version: (\S+)/.exec(r.stdout)?.[1] ?? 'unknown' };
  },
});
