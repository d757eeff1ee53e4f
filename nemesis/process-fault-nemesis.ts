/**
 * One mechanism for faults done to the DB's process node by node and undone node by node:
 * kill/start and pause/resume are each a `ProcessFault` (what to do to one node, how to check it
 * landed, how to undo it) handed to `createProcessFaultNemesis`, which does the rest the same
 * way for both: resolve the plan's targets (asking the DB for the leader when the plan says
 * `leader`), skip nodes that already have the fault, act on the others in parallel recording
 * pids and per-node failures, and on the heal op or at teardown undo every node it faulted.
 */
import type { Db } from '../cluster/db/index.js';
import type { StartedCluster, StartedNode } from '../cluster/runtime/index.js';
import { findDbDaemon } from './daemons.js';
import { findLeader, type FindLeaderOptions } from './leader.js';
import {
  completeOp,
  createSerializer,
  forEachNode,
  healingTeardown,
  type CompletedNemesisOp,
  type Nemesis,
  type NemesisOp,
} from './nemesis.js';
import { createRng } from '../workloads/index.js';
import { resolveTargets, type TargetPlan } from './targets.js';

/** What one process fault does to a node and how it is undone. */
export interface ProcessFault {
  /** The op that injects the fault (`kill`) and the one that heals it (`start`). */
  inject: string;
  heal: string;
  /** The state a faulted node is in, for the skip reason ("every target is already down"). */
  state: string;
  /** Prefix of teardown's leftovers when undo fails ("kill: could not restart"). */
  healFailure: string;
  /**
   * Does the fault on one node and checks that it landed: resolves when it did, throws saying
   * why not. `notePid` records the pid it acted on, for the history.
   */
  act(node: StartedNode, notePid: (pid: number) => void): Promise<void>;
  /** Undoes the fault on one node; throws when it cannot. */
  undo(node: StartedNode): Promise<void>;
  /** The pid running after undo, for faults whose heal starts a new process; the heal op records them. */
  pidAfterUndo?(node: StartedNode): number | undefined;
}

/** What a process-fault nemesis needs: the cluster, the DB (which also names the leader), a seed. */
export interface ProcessFaultNemesisOptions {
  cluster: StartedCluster;
  db: Db;
  leader?: FindLeaderOptions;
  seed?: number;
}

/** Makes the nemesis that handles a process fault's inject and heal ops. */
export function createProcessFaultNemesis(fault: ProcessFault, opts: ProcessFaultNemesisOptions): Nemesis {
  const { cluster, db } = opts;
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const names = cluster.nodes.map((n) => n.name);
  /** Nodes the fault is (or may be, after a half-failed act) in force on; heal undoes them all. */
  const faulted = new Set<string>();

  const inject = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as TargetPlan;
    const wanted = await resolveTargets(plan, names, rng, () => findLeader(db, cluster, opts.leader));
    // A node whose process another fault already stopped (a kill from another timeline) is
    // skipped, not an error: the cluster's state, not the injector, is why nothing happens there.
    const down = (n: string): boolean => findDbDaemon(db, cluster.node(n))?.isRunning() === false;
    const nodes = wanted.filter((n) => !faulted.has(n) && !down(n));
    if (nodes.length === 0) {
      const why =
        wanted.length === 0
          ? 'no target node (no leader known)'
          : wanted.every((n) => faulted.has(n))
            ? `every target is already ${fault.state}`
            : 'every target is down';
      return { f: op.f, value: { injected: 0, targets: plan.targets, skipped: why } };
    }
    const pids: Record<string, number> = {};
    const r = await forEachNode(nodes, async (name) => {
      faulted.add(name);
      await fault.act(cluster.node(name), (pid) => (pids[name] = pid));
    });
    return completeOp(op.f, { injected: r.done, targets: plan.targets, nodes, pids }, r.errors);
  };

  const heal = async (): Promise<CompletedNemesisOp> => {
    const nodes = [...faulted].sort();
    const pids: Record<string, number> = {};
    const r = await forEachNode(nodes, async (name) => {
      const node = cluster.node(name);
      await fault.undo(node);
      faulted.delete(name);
      const pid = fault.pidAfterUndo?.(node);
      if (pid !== undefined) pids[name] = pid;
    });
    const value = { healed: r.done, nodes, ...(fault.pidAfterUndo !== undefined ? { pids } : {}) };
    return completeOp(fault.heal, value, r.errors);
  };

  return {
    fs: [fault.inject, fault.heal],
    setup: async () => {},
    invoke: (op) => serial(() => (op.f === fault.inject ? inject(op) : heal())),
    teardown: healingTeardown(serial, () => faulted.size > 0, heal, fault.healFailure),
  };
}
