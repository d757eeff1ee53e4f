/**
 * Any Maelstrom-protocol binary as an adapter (`--db maelstrom --bin PATH`): the relay-backed DB
 * from cluster/maelstrom and the lin-kv client. Built per run, since the binary is a flag.
 */
import { MaelstromDb, type MaelstromDbOptions } from '../../cluster/maelstrom/index.js';
import { maelstromClientPool } from '../../workloads/index.js';
import { defineAdapter, type Adapter } from '../index.js';

/** The maelstrom adapter for one node program. */
export function maelstromAdapter(options: MaelstromDbOptions): Adapter {
  return defineAdapter({
    name: 'maelstrom',
    workloads: ['kv', 'register', 'cas-register'],
    db: () => new MaelstromDb(options),
    client: ({ endpoints, opTimeoutMs }) => maelstromClientPool({ endpoints, opTimeoutMs }),
  });
}
