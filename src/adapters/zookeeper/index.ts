/**
 * ZooKeeper (Debian's 3.8) as an adapter, the worked example of docs/adapters.md: written only
 * with splitbrain's public API (src/index.ts) and node-zookeeper-client.
 */
import { execa } from 'execa';
import { defineAdapter } from '../../index.js';
import { zookeeperClientPool } from './zookeeper-client.js';
import { ZooKeeperDb } from './zookeeper-db.js';
import { zookeeperImage } from './zookeeper-image.js';
import { ZK_READ_CONSISTENCIES } from './zookeeper-read.js';

/** ZooKeeper: reads `linearizable` (default), `sync` or `local` (zookeeper-read.ts). */
export const zookeeperAdapter = defineAdapter({
  name: 'zookeeper',
  workloads: ['kv', 'register', 'cas-register', 'lock'],
  readConsistencies: ZK_READ_CONSISTENCIES,
  db: () => new ZooKeeperDb(),
  client: zookeeperClientPool,
  image: zookeeperImage,
  versions: async () => {
    const r = await execa('dpkg-query', ['-W', '-f', '${Version}', 'zookeeper'], { reject: false, timeout: 5000 });
    return { zookeeper: r.exitCode === 0 && r.stdout ? r.stdout : 'unknown' };
  },
});
