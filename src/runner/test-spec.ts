/**
 * A test is one plain object, as Jepsen's test map: what to run it on, what to run, what to break
 * and how to judge it. The runner adds the run's folder, its history and its results.
 *
 * Keys:
 * - `name`: names the store folder (`<store>/<name>/<timestamp>/`).
 * - `nodes`: node names, e.g. n1..n5.
 * - `runtime`: places the nodes (docker containers or local processes).
 * - `db` + `dbOptions`: the system under test (raftkv or etcd) and its switches (`--bug`).
 * - `client`: opens the DB's client pool for the node endpoints (`--op-timeout`, `--read-consistency`).
 * - `workload`: the generator of ops, the final reads and the checker model.
 * - `nemesis`: the faults requested (`--nemesis`), whether `all` was asked, the interval.
 * - `checker`: judges the recorded history with the workload's model.
 * - `concurrency`, `timeLimitS`, `seed`, `storeRoot`, `junitPath`, `command`: as the flags say.
 *
 * Phases, in order, each with a time bound (`PHASE_TIMEOUTS`), each failure an infrastructure
 * error (exit 3) with its cause on one line and details in splitbrain.log:
 * 1. `start-cluster`: the runtime creates the nodes.
 * 2. `check-faults`: which faults can be injected; a fault named explicitly that cannot is an error.
 * 3. `setup-db`: start the DB on every node and wait until it serves.
 * 4. `run`: clients and nemesis together for `timeLimitS`.
 * 5. `heal`: the nemesis's final phase undoes every fault.
 * 6. `settle`: wait until the DB serves again, then `final-reads` read every key.
 * 7. `teardown`: stop the DB, collect node logs, remove the cluster (always, also on errors and Ctrl-C).
 * 8. `check`: the checker judges history.jsonl.
 * 9. `report`: results.json, the HTML report, the JUnit file.
 */
import type { CheckResult } from '../../checker/result.js';
import type { Db, DbOptions } from '../../cluster/db.js';
import type { Runtime } from '../../cluster/runtime/runtime.js';
import type { FaultName } from '../../nemesis/index.js';
import type { ClientEndpoint, ClientPool, Workload } from '../../workloads/index.js';
import type { HistoryEvent } from '../history/event.js';

/** Judges a history with a model; a checker that throws yields `unknown`. */
export type Checker = (events: HistoryEvent[], model: string, opts: { timeLimitS: number }) => Promise<CheckResult>;

/** The faults a test asks for. */
export interface NemesisSpec {
  faults: FaultName[];
  /** True for `all` (and the default): faults that cannot run here are skipped, not refused. */
  all: boolean;
  /** `--nemesis-interval`, seconds; undefined lets the runner fit every fault into the time limit. */
  intervalS?: number;
}

/** One test. See the module comment for every key and phase. */
export interface TestSpec {
  name: string;
  nodes: string[];
  runtime: Runtime;
  db: Db;
  dbOptions: DbOptions;
  client: (endpoints: ClientEndpoint[]) => ClientPool;
  workload: Workload;
  nemesis: NemesisSpec;
  checker: Checker;
  concurrency: number;
  /** Target ops/s over all workers (for results; the workload's generator already applies it). */
  rate: number;
  timeLimitS: number;
  /** Seconds to let the cluster recover after healing, before the final reads. */
  settleS: number;
  /** Check budget, seconds. */
  checkTimeLimitS: number;
  seed: number;
  storeRoot: string;
  junitPath?: string;
  /** The exact command line, argv with the program. */
  command: string[];
  /** Extra parameters recorded in results.json (`test`). */
  params: Record<string, unknown>;
}
