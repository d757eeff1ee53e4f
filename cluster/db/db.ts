/**
 * A DB installs and runs one system on the nodes of a started cluster: the bundled raftkv, or
 * etcd. As Jepsen's db protocol: a required core (setup, teardown) and optional capabilities
 * (kill, pause, leader lookup, clock sensitivity) that the nemesis asks for with type guards.
 */
import type { StartedCluster, StartedNode } from '../runtime/index.js';

export interface DbOptions {
  /** Injectable bugs to switch on (raftkv only). */
  bugs?: string[];
  /** The run this setup is part of, for a DB that writes run-level files or log lines (the runner fills it). */
  run?: DbRunContext;
}

/** What the runner tells a DB about the run: where run-level files go, the history's clock and the run log. */
export interface DbRunContext {
  /** Where a DB that records inter-node messages writes them (messages.jsonl in the run folder). */
  messagesFile: string;
  /** The history clock: nanoseconds since the test began. */
  now(): number;
  /** Appends one line to the run log (splitbrain.log). */
  log(line: string): void;
}

export interface Db {
  readonly name: string;
  /** Start the system on every node and wait until it serves. */
  setup(cluster: StartedCluster, opts: DbOptions): Promise<void>;
  /** Stop it everywhere and copy its logs out. Idempotent. */
  teardown(cluster: StartedCluster): Promise<void>;
  /** The base URL (or endpoint) a client uses to reach this node's DB. */
  clientEndpoint(node: StartedNode): string;
}

/** Can be killed with SIGKILL and started again from its data directory. */
export interface Killable {
  kill(node: StartedNode): Promise<void>;
  start(node: StartedNode): Promise<void>;
}

/** Can be paused with SIGSTOP and resumed with SIGCONT. */
export interface Pausable {
  pause(node: StartedNode): Promise<void>;
  resume(node: StartedNode): Promise<void>;
}

/** Can say which node leads now (asked of the DB itself). */
export interface LeaderAware {
  leader(cluster: StartedCluster): Promise<string | undefined>;
}

/** One node's Raft state as the node reports it. */
export interface RaftNodeStatus {
  term: number;
  /** `leader`, `follower`, `candidate` or `pre-candidate`. */
  role: string;
  /** The highest log index the node knows to be committed. */
  commit: number;
  /** The index of the last entry in its log, committed or not. */
  lastIndex: number;
}

/**
 * Can report each node's term, role, commit index and last log index. Moves that must strike
 * between two Raft steps (figure 8: a leader commits old entries before its own first one has
 * spread) time their cuts by it.
 */
export interface RaftStatusAware {
  /** The node's state, or undefined when it does not answer (down, paused, cut off from us). */
  raftStatus(node: StartedNode): Promise<RaftNodeStatus | undefined>;
}

/** Says whether its processes read wall-clock time through libc (so libfaketime affects them). */
export interface ClockAware {
  readonly clockSkewEffective: boolean;
  /**
   * Why clock offsets cannot reach the DB's processes on this cluster (say, its image's libc cannot
   * preload libfaketime), or undefined. Asked before the run: the clock fault is then skipped with
   * the reason (refused when named explicitly).
   */
  clockSkewProblem?(cluster: StartedCluster): Promise<string | undefined>;
}

export const isKillable = (db: Db): db is Db & Killable => 'kill' in db && 'start' in db;
export const isPausable = (db: Db): db is Db & Pausable => 'pause' in db && 'resume' in db;
export const isLeaderAware = (db: Db): db is Db & LeaderAware => 'leader' in db;
export const isRaftStatusAware = (db: Db): db is Db & RaftStatusAware => 'raftStatus' in db;
export const isClockAware = (db: Db): db is Db & ClockAware => 'clockSkewEffective' in db;
