/**
 * The bundled raftkv as an adapter: the DB from cluster/db, the HTTP client from workloads, and
 * raftkv's injectable bugs as `--bug` choices. Reads are always linearizable (ReadIndex). Its
 * flags tune Raft's flow control on every node's command line.
 */
import { BUG_NAMES } from '../../cluster/raftkv/index.js';
import { RaftkvDb } from '../../cluster/db/index.js';
import { raftkvClientPool } from '../../workloads/index.js';
import { defineAdapter, type Adapter } from '../index.js';
import { splitbrainVersion } from '../runner/index.js';
import type { FlagBuiltAdapter } from './flag-built-adapter.js';

/** How raftkv's nodes are started, beyond the bugs a run switches on (the node's defaults when absent). */
export interface RaftkvTuning {
  /** Most log entries one append message carries. */
  maxEntriesPerMsg?: number;
  /** Most append messages in flight to one follower. */
  maxInflightMsgs?: number;
}

/** The tuning flags, by name: the node takes the same names. */
const TUNING_FLAGS = { maxEntriesPerMsg: 'max-entries-per-msg', maxInflightMsgs: 'max-inflight-msgs' } as const;

/** raftkv with the given tuning. */
export function raftkvAdapterWith(tuning: RaftkvTuning = {}): Adapter {
  const extraArgs = Object.entries(TUNING_FLAGS).flatMap(([key, flag]) => {
    const v = tuning[key as keyof RaftkvTuning];
    return v === undefined ? [] : [`--${flag}`, String(v)];
  });
  return defineAdapter({
    name: 'raftkv',
    workloads: ['kv', 'register', 'cas-register'],
    readConsistencies: ['linearizable'],
    bugs: BUG_NAMES,
    db: () => new RaftkvDb({ extraArgs }),
    client: ({ endpoints, opTimeoutMs }) => raftkvClientPool({ endpoints, opTimeoutMs }),
    versions: async () => ({ raftkv: await splitbrainVersion() }),
  });
}

/** raftkv: 5 nodes of the bundled Raft KV store, as the nodes start by default. */
export const raftkvAdapter = raftkvAdapterWith();

/** `--db raftkv` with its flags. */
export const raftkvFlagAdapter: FlagBuiltAdapter = {
  name: 'raftkv',
  summary: 'raftkv',
  flags: {
    [TUNING_FLAGS.maxEntriesPerMsg]: {
      type: 'number',
      describe: 'raftkv: most log entries one append message carries (default 512)',
    },
    [TUNING_FLAGS.maxInflightMsgs]: {
      type: 'number',
      describe:
        'raftkv: most append messages in flight to one follower (default 1024); with --max-entries-per-msg 1 and this 1, a catching-up follower gets one entry per round trip, which gives the figure-8 nemesis its window',
    },
  },
  build(argv) {
    const tuning: RaftkvTuning = {};
    for (const [key, flag] of Object.entries(TUNING_FLAGS)) {
      const given = argv[flag];
      if (given === undefined) continue;
      const n = Number(given);
      if (!Number.isInteger(n) || n < 1 || n > 1_000_000)
        throw new Error(`--${flag} must be a whole number from 1 to 1000000, got ${String(given)}`);
      tuning[key as keyof RaftkvTuning] = n;
    }
    if (Object.keys(tuning).length === 0) return { adapter: raftkvAdapter, label: 'raftkv', params: {} };
    return { adapter: raftkvAdapterWith(tuning), label: 'raftkv', params: { raftkv: tuning } };
  },
};
