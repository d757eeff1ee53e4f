/**
 * Workloads: what the clients do during a test. A workload pairs a seeded generator of ops (built
 * from the combinators in generator/) with the checker model that judges the history; a client
 * (one per DB, in clients/) turns each op into a request and its answer into ok, fail or info.
 * Generators are values, so a schedule replays from its seed and tests drive them without sleeps.
 */
import { casRegisterWorkload, registerWorkload } from './register.js';
import { kvWorkload } from './kv.js';
import { lockWorkload } from './lock.js';
import { WORKLOAD_NAMES, type Workload, type WorkloadName, type WorkloadOptions } from './workload.js';

export {
  createRng,
  independent,
  limit,
  mix,
  NEMESIS_WORKER,
  phases,
  repeat,
  sequence,
  stagger,
  timeLimit,
  timeline,
  withNemesis,
  type GenContext,
  type GenEvent,
  type Generator,
  type Rng,
  type TimedOp,
  type Worker,
} from './generator/index.js';
export { WORKLOAD_NAMES, type Workload, type WorkloadName, type WorkloadOptions } from './workload.js';
export { registerWorkload, casRegisterWorkload } from './register.js';
export { kvWorkload } from './kv.js';
export { DEFAULT_HOLD_MS, lockWorkload } from './lock.js';
export {
  ETCD_READ_CONSISTENCIES,
  etcdClientPool,
  indeterminate,
  isReadOnly,
  maelstromClientPool,
  raftkvClientPool,
  SINGLE_KEY,
  type Client,
  type ClientEndpoint,
  type ClientOp,
  type ClientOptions,
  type ClientPool,
  type Completion,
  type EtcdReadConsistency,
} from './clients/index.js';

/** Builds a workload by name; throws naming the valid choices for an unknown one. */
export function workloadByName(name: string, opts: WorkloadOptions): Workload {
  switch (name as WorkloadName) {
    case 'register':
      return registerWorkload(opts);
    case 'cas-register':
      return casRegisterWorkload(opts);
    case 'kv':
      return kvWorkload(opts);
    case 'lock':
      return lockWorkload(opts);
    default:
      throw new Error(`unknown workload '${name}'; choose one of: ${WORKLOAD_NAMES.join(', ')}`);
  }
}
