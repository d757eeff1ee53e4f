/**
 * Any Maelstrom-protocol binary as an adapter (`--db maelstrom --bin PATH`): the relay-backed DB
 * from cluster/maelstrom and the lin-kv client. Built per run from its own flags, since the
 * binary is a flag: `--bin`, `--bin-arg` (repeatable) and `--record-messages`.
 */
import path from 'node:path';
import { MaelstromDb, type MaelstromDbOptions } from '../../cluster/maelstrom/index.js';
import { maelstromClientPool } from '../../workloads/index.js';
import { defineAdapter, type Adapter } from '../index.js';
import type { FlagBuiltAdapter } from './flag-built-adapter.js';

/** The maelstrom adapter for one node program. */
export function maelstromAdapter(options: MaelstromDbOptions): Adapter {
  return defineAdapter({
    name: 'maelstrom',
    workloads: ['kv', 'register', 'cas-register'],
    db: () => new MaelstromDb(options),
    client: ({ endpoints, opTimeoutMs }) => maelstromClientPool({ endpoints, opTimeoutMs }),
  });
}

/** `--db maelstrom` with its flags. */
export const maelstromFlagAdapter: FlagBuiltAdapter = {
  name: 'maelstrom',
  summary: 'maelstrom (with --bin)',
  flags: {
    bin: { type: 'string', describe: 'maelstrom: the node program (speaks Maelstrom JSON on stdin/stdout)' },
    'bin-arg': { type: 'string', array: true, describe: 'maelstrom: an argument for the node program (repeatable)' },
    'record-messages': {
      type: 'boolean',
      describe:
        'maelstrom: write every inter-node message to messages.jsonl; the report draws those around the counterexample',
    },
  },
  build(argv) {
    const bin = argv.bin;
    if (typeof bin !== 'string' || bin === '') throw new Error('--db maelstrom needs --bin PATH (the node program)');
    const binArgs = ((argv['bin-arg'] as unknown[] | undefined) ?? []).map(String);
    const recordMessages = argv['record-messages'] === true;
    return {
      adapter: maelstromAdapter({ bin, binArgs, recordMessages }),
      label: `maelstrom-${path.basename(bin).replace(/[^A-Za-z0-9._-]/g, '_')}`,
      params: { bin, binArgs, recordMessages },
    };
  },
};
