/**
 * DBs: the Db protocol (db.ts, as Jepsen's db.clj: a required core plus optional capabilities
 * behind type guards) and the bundled implementations (src/adapters/ makes them adapters), acting on
 * nodes only through the runtime: the bundled raftkv and Debian's etcd.
 */
export { RaftkvDb } from './raftkv.js';
export { DaemonDb, withTimeout, type DaemonDbConfig } from './daemon-db.js';
export { EtcdDb, ETCD_BINARY } from './etcd.js';
export { ContainerDb, type ContainerDbConfig } from './container-db.js';
export {
  isClockAware,
  isKillable,
  isLeaderAware,
  isPausable,
  isRaftStatusAware,
  type ClockAware,
  type Db,
  type DbOptions,
  type DbRunContext,
  type Killable,
  type LeaderAware,
  type Pausable,
  type RaftNodeStatus,
  type RaftStatusAware,
} from './db.js';

export { probeJson, waitFor } from './http-probe.js';
export { hostPort, nodePort } from './ports.js';
