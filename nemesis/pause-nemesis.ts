/**
 * Pauses: `pause` SIGSTOPs the DB on a target set through the DB's Pausable capability, and
 * `resume` SIGCONTs every node it paused. The paused set is tracked here, because a container
 * engine (and `kill -0`) reports a stopped process as running.
 */
import type { Db, Pausable } from '../cluster/db.js';
import type { StartedCluster } from '../cluster/runtime/runtime.js';
import { findDbDaemon } from './daemons.js';
import { NemesisHealError } from './errors.js';
import type { TargetPlan } from './kill-nemesis.js';
import { findLeader, type FindLeaderOptions } from './leader.js';
import { createSerializer, type CompletedNemesisOp, type Nemesis, type NemesisOp } from './nemesis.js';
import { createRng } from './random.js';
import { computeTargets } from './targets.js';

/** What the pause nemesis needs: the cluster and a DB that can be paused and resumed. */
export interface PauseNemesisOptions {
  cluster: StartedCluster;
  db: Db & Pausable;
  leader?: FindLeaderOptions;
  seed?: number;
}

/** Makes the nemesis that handles `pause` and `resume`. */
export function createPauseNemesis(opts: PauseNemesisOptions): Nemesis {
  const { cluster, db } = opts;
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const names = cluster.nodes.map((n) => n.name);
  const paused = new Set<string>();

  const pause = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as TargetPlan;
    const leader =
      plan.nodes === undefined && plan.targets === 'leader' ? await findLeader(db, cluster, opts.leader) : undefined;
    const wanted = plan.nodes ?? computeTargets(plan.targets, names, rng, leader);
    const nodes = wanted.filter((n) => !paused.has(n));
    if (nodes.length === 0) {
      const why = wanted.length === 0 ? 'no target node (no leader known)' : 'every target is already paused';
      return { f: op.f, value: { injected: 0, targets: plan.targets, skipped: why } };
    }
    const pids: Record<string, number> = {};
    const errors: string[] = [];
    let injected = 0;
    await Promise.all(
      nodes.map(async (name) => {
        const node = cluster.node(name);
        try {
          paused.add(name);
          await db.pause(node);
          const d = findDbDaemon(db, node);
          if (d !== undefined) pids[name] = d.pid;
          if (d !== undefined && !d.isRunning())
            errors.push(`${name}: the DB process is not running, so nothing was paused`);
          else if (d !== undefined && !d.isPaused()) errors.push(`${name}: pid ${d.pid} is not paused after SIGSTOP`);
          else injected++;
        } catch (e) {
          errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    const value = { injected, targets: plan.targets, nodes, pids };
    return errors.length > 0 ? { f: op.f, value, error: errors.join('; ') } : { f: op.f, value };
  };

  const resume = async (): Promise<CompletedNemesisOp> => {
    const nodes = [...paused].sort();
    const errors: string[] = [];
    let healed = 0;
    await Promise.all(
      nodes.map(async (name) => {
        try {
          await db.resume(cluster.node(name));
          paused.delete(name);
          healed++;
        } catch (e) {
          errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    const value = { healed, nodes };
    return errors.length > 0 ? { f: 'resume', value, error: errors.join('; ') } : { f: 'resume', value };
  };

  return {
    fs: ['pause', 'resume'],
    setup: async () => {},
    invoke: (op) => serial(() => (op.f === 'pause' ? pause(op) : resume())),
    teardown: () =>
      serial(async () => {
        if (paused.size === 0) return [];
        const done = await resume();
        if (done.error !== undefined) throw new NemesisHealError([`pause: could not resume: ${done.error}`]);
        return [done];
      }),
  };
}
