/**
 * splitbrain as a library: `import { ... } from 'splitbrain'`. Everything a user needs to point
 * splitbrain at their own system, and nothing of its insides:
 *
 * - an adapter (`defineAdapter`): a DB, a client pool, the workloads it runs, its read modes;
 * - the DB contract (`Db`: setup, teardown, clientEndpoint) and its optional capabilities as
 *   small interfaces with type guards (`Killable`, `Pausable`, `LeaderAware`, `ClockAware`), and
 *   `DaemonDb`, the base class for a system that runs one process per node, and `ContainerDb`
 *   for a system shipped as a Docker image, described with testcontainers' `GenericContainer`;
 * - the client contract (`ClientPool` opens a `Client` per process, `invoke` answers `ok`, `fail`
 *   only when the op certainly did not take effect, else `info`; `close` ends the pool);
 * - workloads and their generator combinators, nemesis options, checkers, and user-written
 *   models (`Model`, with the `explain` hook and its helpers);
 * - a test as a value (`TestSpec`) and `runTest`, and `defineConfig` for `splitbrain.config.ts`.
 */

// Adapters and config files.
export {
  defineAdapter,
  defineConfig,
  type Adapter,
  type AdapterClientOptions,
  type AdapterOptions,
  type SplitbrainConfig,
  type TestConfig,
} from './adapter/index.js';

// The DB contract, its capabilities, and the one-daemon-per-node base class.
export {
  isClockAware,
  isKillable,
  isLeaderAware,
  isPausable,
  type ClockAware,
  type Db,
  type DbOptions,
  type Killable,
  type LeaderAware,
  type Pausable,
} from '../cluster/db/index.js';
export {
  ContainerDb,
  DaemonDb,
  hostPort,
  nodePort,
  probeJson,
  waitFor,
  withTimeout,
  type ContainerDbConfig,
  type DaemonDbConfig,
} from '../cluster/db/index.js';
// The container vocabulary ContainerDb takes, from splitbrain's own testcontainers (12.0.1), so a
// user's description is of the version splitbrain starts.
export { GenericContainer, Wait } from 'testcontainers';

// Where nodes run.
export {
  selectRuntime,
  type ClusterCapabilities,
  type Daemon,
  type DaemonSpec,
  type ExecResult,
  type Runtime,
  type RuntimeName,
  type StartedCluster,
  type StartedNode,
  type StartedNodeContainer,
} from '../cluster/runtime/index.js';

// The node image (Debian with iptables, iproute2, libfaketime), to build an adapter's image on.
export { ensureBaseImage as ensureNodeImage, type BuildOptions as NodeImageOptions } from '../cluster/images/index.js';

// Clients, workloads and generators.
export {
  SINGLE_KEY,
  WORKLOAD_NAMES,
  casRegisterWorkload,
  indeterminate,
  isReadOnly,
  kvWorkload,
  registerWorkload,
  workloadByName,
  independent,
  limit,
  mix,
  phases,
  repeat,
  sequence,
  stagger,
  timeLimit,
  type Client,
  type ClientEndpoint,
  type ClientOp,
  type ClientOptions,
  type ClientPool,
  type Completion,
  type GenContext,
  type Generator,
  type Workload,
  type WorkloadName,
  type WorkloadOptions,
} from '../workloads/index.js';

// What breaks.
export {
  FAULTS,
  nemesisPackage,
  parseNemesisOption,
  type FaultName,
  type NemesisPackage,
  type NemesisPackageOptions,
  type NemesisRequest,
} from '../nemesis/index.js';

// How a history is judged, and models users write themselves.
export { EXIT, linearizabilityChecker, modelChecker, type Checker } from './analysis/index.js';
export {
  CRASHED,
  MODELS,
  check,
  explainObservation,
  listOps,
  refer,
  type CheckResult,
  type FailureContext,
  type HistoryEvent,
  type Key,
  type Model,
  type ModelInput,
  type Operation,
  type StepResult,
  type ValueRules,
} from '../checker/index.js';

// A test as a value, and running it.
export { runTest, type RunIo, type RunOutcome, type TestOptions, type TestSpec } from './runner/index.js';
