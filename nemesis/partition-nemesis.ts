/**
 * Partitions: a grudge applied as iptables DROP rules in the SPLITBRAIN-PARTITION chain of each
 * node (Jepsen's partitioner). `start-partition` takes `{partition: kind, grudge?}`; the
 * schedule computes random grudges itself so a seed replays them, and `leader` is resolved
 * here by asking the DB. `stop-partition` heals exactly the rules that went in.
 */
import type { Db } from '../cluster/db/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';
import { computeGrudge, describeGrudge, type Grudge, type PartitionKind } from './grudge.js';
import { PARTITION_CHAIN } from './iptables.js';
import { applyGrudge, linkFaultLayer } from './link-layer.js';
import { findLeader, type FindLeaderOptions } from './leader.js';
import { completeOp, createSerializer, type CompletedNemesisOp, type Nemesis, type NemesisOp } from './nemesis.js';
import { createRng } from '../workloads/index.js';

/** The plan a `start-partition` op carries. */
export interface PartitionPlan {
  partition: PartitionKind;
  /** The grudge to apply; absent for `leader`, and for shapes the nemesis should draw itself. */
  grudge?: Grudge;
}

/** Shapes drawn around the leader, which the nemesis asks the DB for when the partition starts. */
const LEADER_SHAPES: ReadonlySet<PartitionKind> = new Set(['leader', 'lagging-followers', 'leader-pair']);

/** What the partition nemesis needs: the cluster, and the DB when partitions aim at the leader. */
export interface PartitionNemesisOptions {
  cluster: StartedCluster;
  db?: Db;
  leader?: FindLeaderOptions;
  /** Seeds shapes drawn here when a plan carries no grudge. */
  seed?: number;
}

/** Makes the nemesis that handles `start-partition` and `stop-partition`. */
export function createPartitionNemesis(opts: PartitionNemesisOptions): Nemesis {
  const { cluster } = opts;
  const chain = linkFaultLayer(cluster, PARTITION_CHAIN, 'partition');
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const addresses = Object.fromEntries(cluster.nodes.map((n) => [n.name, n.address]));
  const names = cluster.nodes.map((n) => n.name);
  let current: { partition: PartitionKind; grudge: Grudge } | undefined;

  const heal = async (): Promise<CompletedNemesisOp> => {
    const done = await chain.healOp('stop-partition', current ? { partition: current.partition } : {});
    if (!chain.inForce) current = undefined;
    return done;
  };

  const start = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as PartitionPlan;
    // The partition in force is replaced, not healed first: see IptablesChain.apply.
    const prior = current;
    let grudge = plan.grudge;
    let leader: string | undefined;
    if (grudge === undefined) {
      if (LEADER_SHAPES.has(plan.partition)) leader = await findLeader(opts.db, cluster, opts.leader);
      grudge = computeGrudge(plan.partition, names, rng, { leader, previous: prior?.grudge });
    }
    if (grudge === undefined || Object.keys(grudge).length === 0) {
      const why = LEADER_SHAPES.has(plan.partition)
        ? 'the DB named no leader'
        : 'the shape cuts nothing with these nodes';
      // Nothing replaces the partition in force, so it stays (healing it here would end a cut the
      // history's fault windows still show, and cut short a combined move such as lag-then-leader).
      return {
        f: op.f,
        value: {
          injected: 0,
          partition: plan.partition,
          skipped: prior ? `${why}; the partition in force stays` : why,
        },
      };
    }
    const r = await applyGrudge(chain, grudge, addresses);
    current = { partition: plan.partition, grudge };
    const value = {
      injected: r.count,
      partition: plan.partition,
      ...(leader !== undefined ? { leader } : {}),
      grudge,
      cut: describeGrudge(grudge),
      rules: r.rules,
    };
    return completeOp(op.f, value, r.errors);
  };

  return {
    fs: ['start-partition', 'stop-partition'],
    // A crashed earlier run may have left our chain in a reused node; we own it, so sweep it.
    setup: () => serial(() => chain.sweepLeftovers()),
    invoke: (op) => serial(() => (op.f === 'start-partition' ? start(op) : heal())),
    teardown: () => serial(() => chain.teardown(heal, 'partition')),
  };
}
