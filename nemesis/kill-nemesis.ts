/**
 * Crashes: `kill` SIGKILLs the DB on a target set through the DB's Killable capability, and
 * `start` restarts every node it killed, which must recover from its data directory. The pids
 * before and after go into the history so a reader can see a new process came up.
 */
import type { Db, Killable } from '../cluster/db.js';
import type { StartedCluster } from '../cluster/runtime/runtime.js';
import { findDbDaemon } from './daemons.js';
import { NemesisHealError } from './errors.js';
import { findLeader, type FindLeaderOptions } from './leader.js';
import { createSerializer, type CompletedNemesisOp, type Nemesis, type NemesisOp } from './nemesis.js';
import { createRng } from './random.js';
import { computeTargets, type TargetKind } from './targets.js';

/** The plan a `kill` or `pause` op carries. */
export interface TargetPlan {
  targets: TargetKind;
  /** The nodes, when the schedule drew them; absent for `leader`. */
  nodes?: string[];
}

/** What the kill nemesis needs: the cluster and a DB that can be killed and started. */
export interface KillNemesisOptions {
  cluster: StartedCluster;
  db: Db & Killable;
  leader?: FindLeaderOptions;
  seed?: number;
}

/** Makes the nemesis that handles `kill` and `start`. */
export function createKillNemesis(opts: KillNemesisOptions): Nemesis {
  const { cluster, db } = opts;
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const names = cluster.nodes.map((n) => n.name);
  const killed = new Set<string>();

  const kill = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as TargetPlan;
    const leader =
      plan.nodes === undefined && plan.targets === 'leader' ? await findLeader(db, cluster, opts.leader) : undefined;
    const wanted = plan.nodes ?? computeTargets(plan.targets, names, rng, leader);
    const nodes = wanted.filter((n) => !killed.has(n));
    if (nodes.length === 0) {
      const why = wanted.length === 0 ? 'no target node (no leader known)' : 'every target is already down';
      return { f: op.f, value: { injected: 0, targets: plan.targets, skipped: why } };
    }
    const pids: Record<string, number> = {};
    const errors: string[] = [];
    let injected = 0;
    await Promise.all(
      nodes.map(async (name) => {
        const node = cluster.node(name);
        const before = findDbDaemon(db, node);
        const wasRunning = before?.isRunning() ?? false;
        if (before !== undefined) pids[name] = before.pid;
        try {
          killed.add(name);
          await db.kill(node);
          if (before === undefined)
            injected++; // no handle to check with: trust the DB
          else if (!wasRunning) errors.push(`${name}: the DB process was not running, so nothing was killed`);
          else if (before.isRunning()) errors.push(`${name}: pid ${before.pid} still running after kill`);
          else injected++;
        } catch (e) {
          errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    const value = { injected, targets: plan.targets, nodes, pids };
    return errors.length > 0 ? { f: op.f, value, error: errors.join('; ') } : { f: op.f, value };
  };

  const start = async (): Promise<CompletedNemesisOp> => {
    const nodes = [...killed].sort();
    const pids: Record<string, number> = {};
    const errors: string[] = [];
    let healed = 0;
    await Promise.all(
      nodes.map(async (name) => {
        const node = cluster.node(name);
        try {
          await db.start(node);
          killed.delete(name);
          healed++;
          const after = findDbDaemon(db, node);
          if (after !== undefined) pids[name] = after.pid;
        } catch (e) {
          errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    const value = { healed, nodes, pids };
    return errors.length > 0 ? { f: 'start', value, error: errors.join('; ') } : { f: 'start', value };
  };

  return {
    fs: ['kill', 'start'],
    setup: async () => {},
    invoke: (op) => serial(() => (op.f === 'kill' ? kill(op) : start())),
    teardown: () =>
      serial(async () => {
        if (killed.size === 0) return [];
        const done = await start();
        if (done.error !== undefined) throw new NemesisHealError([`kill: could not restart: ${done.error}`]);
        return [done];
      }),
  };
}
