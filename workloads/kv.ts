/**
 * The `kv` workload: many independent cas-registers, one per key. Each key gets at most
 * `opsPerKey` ops that did not certainly fail from a few workers, then they move on to a fresh
 * key, so every key's sub-history stays small and the checker (model `kv`, key by key) stays fast;
 * the keys they left are re-read for a while (REVISIT_SHARE).
 */
import type { Key } from '../src/history/index.js';
import { budget, independent, sequence } from './generator/index.js';
import { atRate, registerOps } from './register.js';
import type { Workload, WorkloadOptions } from './workload.js';

/** Ops per key before moving on, by default. */
export const DEFAULT_OPS_PER_KEY = 200;
/** Workers sharing one key, by default. */
export const DEFAULT_THREADS_PER_KEY = 5;

/**
 * Share of ops that re-read one of the last REVISITED_KEYS keys a group left. Writes to a key
 * stop when its group moves on, but the cluster can still lose them (a crash of every node
 * before they reached disk): a re-read shows that within a second of the cluster serving again,
 * where on the key in use a new write usually lands first and hides it. About 40 extra reads a key.
 */
export const REVISIT_SHARE = 0.1;
/** How many of the keys a group left it re-reads: the last two cover the seconds an outage takes. */
export const REVISITED_KEYS = 2;

/** Builds the `kv` workload. */
export function kvWorkload(opts: WorkloadOptions): Workload {
  const opsPerKey = opts.opsPerKey ?? DEFAULT_OPS_PER_KEY;
  const threadsPerKey = Math.min(opts.threadsPerKey ?? DEFAULT_THREADS_PER_KEY, opts.concurrency);
  return {
    name: 'kv',
    model: 'kv',
    keyed: true,
    generator: () =>
      atRate(
        independent(opts.concurrency, {
          threadsPerKey,
          perKey: (key) => budget(opsPerKey, registerOps(opts.seed * 1_000_003 + key, true)),
          revisit: { op: { f: 'read', value: null }, share: REVISIT_SHARE, keys: REVISITED_KEYS, seed: opts.seed },
        }),
        opts.rate,
        opts.seed,
      ),
    finalGenerator: (keys: readonly Key[]) => sequence(keys.map((key) => ({ f: 'read', key, value: null }))),
  };
}
