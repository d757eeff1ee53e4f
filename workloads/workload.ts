/**
 * A workload is a partial test, as Jepsen's linearizable_register.clj: the ops a generator
 * yields, the final reads that close the run, and the checker model that judges the history.
 * The client is left to the DB (workloads/clients/).
 */
import type { Key } from '../src/history/index.js';
import type { Generator } from './generator/index.js';

/** The built-in workloads. */
export const WORKLOAD_NAMES = ['register', 'cas-register', 'kv', 'lock'] as const;
/** A built-in workload's name. */
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** What a workload needs to build its schedule. */
export interface WorkloadOptions {
  /** Worker threads (`--concurrency`). */
  concurrency: number;
  /** Target ops per second over all workers (`--rate`); 0 or Infinity means as fast as they go. */
  rate: number;
  seed: number;
  /** For keyed workloads: ops each key gets before the workload moves to a fresh key. */
  opsPerKey?: number;
  /** For keyed workloads: workers on one key at once. */
  threadsPerKey?: number;
  /** For `lock`: mean time a lock is held before its release (ms; `--lock-hold`). */
  holdMs?: number;
}

/** A workload: its generators and its checker model. */
export interface Workload {
  readonly name: WorkloadName;
  /** The checker model: `register`, `cas-register`, `kv` or `mutex`. */
  readonly model: 'register' | 'cas-register' | 'kv' | 'mutex';
  /** True when ops carry a `key`. */
  readonly keyed: boolean;
  /** The main phase's ops: endless; the runner bounds it with `timeLimit`. */
  generator(): Generator;
  /** One read of every key touched (`keys` as seen in the history; ignored when not keyed). */
  finalGenerator(keys: readonly Key[]): Generator;
}
