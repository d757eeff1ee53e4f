/**
 * A test is one value, as Jepsen's test map: where it runs, what it runs against, what the
 * clients do, what breaks, how the history is judged, and the options of the run. The CLI builds
 * it from flags (src/cli/commands/test.ts); user adapters and config files will build the same
 * value. `runTest(test, io)` runs it; the runner adds the run folder, the history and the results.
 *
 * Phases of a run, in order, each with a time bound (`PHASE_TIMEOUTS`), each failure an
 * infrastructure error (exit 3) with its cause on one line and details in splitbrain.log:
 * 1. `start-cluster`: the runtime creates the nodes.
 * 2. `check-faults`: the nemesis package is opened on the cluster: which faults can be injected
 *    (a fault named explicitly that cannot is refused, exit 64) and the interval.
 * 3. `setup-db`: start the DB on every node and wait until it serves.
 * 4. `setup-nemesis`, then `run`: clients and nemesis together for `timeLimitS`.
 * 5. `heal`: the nemesis's final phase undoes every fault.
 * 6. `settle`: wait until the DB serves again, then `final-reads` read every key.
 * 7. `teardown`: heal, stop the DB, collect node logs, remove the cluster (always, also on errors and Ctrl-C).
 * 8. `check` and `report`: the analysis step (src/analysis) judges history.jsonl and writes
 *    results.json, the HTML report and the JUnit file.
 */
import type { DbOptions, Db } from '../../cluster/db/index.js';
import type { Runtime } from '../../cluster/runtime/index.js';
import type { NemesisPackage } from '../../nemesis/index.js';
import type { ClientEndpoint, ClientPool, Workload } from '../../workloads/index.js';
import type { Checker } from '../analysis/index.js';

/** One test. Every key is required unless marked optional; nothing in it is mutated by a run. */
export interface TestSpec {
  /** Names the store folder: `<storeRoot>/<name>/<timestamp>/`. Letters, digits, `.`, `_`, `-`. */
  name: string;
  /** Node names, e.g. n1..n5. */
  nodes: string[];
  /** Places the nodes: Docker containers or local processes. */
  runtime: Runtime;
  /** The system under test, set up on every node with `dbOptions`. */
  db: Db;
  /** The DB's switches, e.g. raftkv's injectable bugs. */
  dbOptions: DbOptions;
  /** Opens the pool of clients that turn ops into requests to the nodes' endpoints. */
  client: (endpoints: ClientEndpoint[]) => ClientPool;
  /** The ops: the generator of the run phase, the final reads, and the model the checker uses. */
  workload: Workload;
  /** What breaks: the package the nemesis folder builds, opened by the runner on the cluster. */
  nemesis: NemesisPackage;
  /** Judges the recorded history with the workload's model. */
  checker: Checker;
  /** Versions of the system under test for results.json (the adapter's `versions`). */
  versions?: () => Promise<Record<string, string>>;
  options: TestOptions;
}

/** How a test runs and where its results go. */
export interface TestOptions {
  /** Concurrent client processes. */
  concurrency: number;
  /** Seconds of client load and faults. */
  timeLimitS: number;
  /** Seconds to let the cluster recover after healing, before the final reads. */
  settleS: number;
  /** Seeds the workload and nemesis schedules; recorded so a run can be replayed. */
  seed: number;
  /** The store folder that holds every run's folder. */
  storeRoot: string;
  /** Also write a JUnit XML file here. */
  junitPath?: string;
  /** The exact command line, argv with the program, recorded in results.json. */
  command: string[];
  /** The run's parameters as results.json (`test`) and the report show them (db, runtime, workload, bugs...). */
  params: Record<string, unknown>;
}
