/**
 * A liveness watch on every node, as Jepsen treats a DB process that exits on its own: each daemon
 * the DB spawns is watched, and one that exits by itself (not by the nemesis's SIGKILL, not at
 * teardown) is a failed test. raftkv exits with code 1 when its own invariant checks trip, and a
 * cluster that quietly lost nodes would otherwise run on and come back valid.
 */
import type { Daemon, StartedCluster } from '../../cluster/runtime/index.js';

/** A daemon that exited by itself during the run. */
export interface NodeDeath {
  node: string;
  daemon: string;
  pid: number;
  /** Exit code, or 128 + signal number. */
  code: number;
  /** Nanoseconds since the test began, on the run's clock. */
  time: number;
}

/** SIGKILL's exit status (128 + 9): the kill nemesis and teardown, not the node itself. */
const KILLED = 137;

/** A running watch; `stop` ends it (call it before teardown kills everything) and returns the deaths seen. */
export interface LivenessWatch {
  stop(): NodeDeath[];
}

/** Watches every daemon spawned on the cluster's nodes, polling for new ones every `intervalMs`. */
export function watchLiveness(opts: {
  cluster: StartedCluster;
  now: () => number;
  intervalMs?: number;
}): LivenessWatch {
  const deaths: NodeDeath[] = [];
  // Keyed by handle, not pid: each container has its own pid namespace, so daemons on different
  // Docker nodes often share a pid, and a pid key watched only one of them.
  const seen = new Set<Daemon>();
  let watching = true;
  const poll = (): void => {
    for (const node of opts.cluster.nodes) {
      for (const d of node.daemons()) {
        if (seen.has(d)) continue;
        seen.add(d);
        void d.exited().then((code) => {
          if (watching && code !== KILLED) {
            deaths.push({ node: node.name, daemon: d.name, pid: d.pid, code, time: opts.now() });
          }
        });
      }
    }
  };
  poll();
  const timer = setInterval(poll, opts.intervalMs ?? 250);
  return {
    stop() {
      poll();
      watching = false;
      clearInterval(timer);
      return deaths;
    },
  };
}
