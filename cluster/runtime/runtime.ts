/**
 * A runtime places the nodes of a cluster: Docker containers on a private internal bridge, or
 * local processes, each in its own network namespace when running as root. A node is a host,
 * as in Jepsen: it has an address, commands can be run in it, and long-running daemons (the
 * DB) are started in it. The DB and the nemesis act on nodes only through these interfaces, so
 * they work the same in both runtimes.
 *
 * Lifecycle is typed by state (as testcontainers separates TestContainer and
 * StartedTestContainer): only a started cluster has nodes to exec in, signal or read logs from.
 */

/** The runtimes, by the name `--runtime` accepts. */
export const RUNTIME_NAMES = ['docker', 'local', 'ssh'] as const;
/** A runtime's name. */
export type RuntimeName = (typeof RUNTIME_NAMES)[number];

/** What to create. Addresses are chosen by the runtime. */
export interface ClusterSpec {
  /** A short id labelling everything this run creates, so `cluster clean` can sweep a crashed run. */
  runId: string;
  /** Node names, e.g. ["n1", "n2", "n3"]. */
  nodes: string[];
  /** Folder on the host where each node's logs and data are collected (`<dir>/<node>/`). */
  logDir: string;
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A long-running process inside a node (a DB server). */
export interface DaemonSpec {
  /** A name unique within the node, e.g. "raftkv" or "etcd"; used for log file names. */
  name: string;
  /**
   * argv; argv[0] is resolved inside the node. In the docker and local runtimes
   * `process.execPath` (the host's node binary) and the project folder (so its `dist/`) exist at
   * the same paths inside a node; the ssh runtime puts the remote host's node and a copy of the
   * project files named (with what they import) in their place.
   */
  command: string[];
  env?: Record<string, string>;
  /** Working directory inside the node. */
  cwd?: string;
  /** Wrap the process in libfaketime so the nemesis can skew its wall clock. */
  fakeTime?: boolean;
}

export interface Daemon {
  readonly name: string;
  /** The pid as seen from where signals are sent (host pid for local, container pid for docker). */
  readonly pid: number;
  /** True until the process exits; a SIGSTOPped process is still running. */
  isRunning(): boolean;
  /** True while SIGSTOPped by `signal('SIGSTOP')` and not yet continued. The runtime tracks it itself. */
  isPaused(): boolean;
  signal(sig: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void>;
  /** Resolves with the exit code (or signal number + 128) once the process has exited. */
  exited(): Promise<number>;
}

export interface StartedNode {
  readonly name: string;
  /** The node's IP address, reachable from the host running splitbrain. */
  readonly address: string;
  /** Run one command to completion inside the node (its network namespace / container). */
  exec(command: string[], opts?: { timeoutMs?: number; input?: string }): Promise<ExecResult>;
  /** Start a daemon inside the node; stdout and stderr go to `<logDir>/<node>/<name>.log`. */
  spawn(spec: DaemonSpec): Promise<Daemon>;
  /** A writable directory inside the node for the DB's data, and its path as seen from inside. */
  readonly dataDir: string;
  /**
   * Set this node's wall-clock offset (milliseconds, may be negative) for daemons spawned with
   * fakeTime; 0 resets it. Written atomically to the libfaketime timestamp file.
   */
  setClockOffset(offsetMs: number): Promise<void>;
  /** Copy the node's log files into `<logDir>/<node>/` on the host. */
  collectLogs(): Promise<void>;
  /** The daemons spawned in this node so far (latest first per name), so a nemesis can find them. */
  daemons(): readonly Daemon[];
}

/**
 * What faults this cluster can take. A nemesis asks before it starts and refuses up front,
 * quoting `reasons`, instead of failing midway.
 */
export interface ClusterCapabilities {
  /** Each node has its own network stack, so iptables rules run in one node cut off that node alone. */
  readonly iptables: boolean;
  /** libfaketime is present, so daemons spawned with `fakeTime` follow `setClockOffset`. */
  readonly faketime: boolean;
  /** For each capability that is false: why, and what to do to get it. */
  readonly reasons: readonly string[];
}

export interface StartedCluster extends AsyncDisposable {
  readonly runtime: RuntimeName;
  readonly runId: string;
  readonly nodes: readonly StartedNode[];
  readonly capabilities: ClusterCapabilities;
  node(name: string): StartedNode;
  /** Stop every daemon, remove every container, namespace, bridge and rule this cluster created. Idempotent. */
  teardown(): Promise<void>;
}

export interface Runtime {
  readonly name: RuntimeName;
  /** Why this runtime cannot run here, or undefined when it can. */
  unavailableReason(): Promise<string | undefined>;
  start(spec: ClusterSpec): Promise<StartedCluster>;
  /**
   * Remove anything any earlier run left behind (by label / name prefix), or only what the run
   * `runId` left when given. Returns one line per thing removed.
   */
  clean(runId?: string): Promise<string[]>;
}
