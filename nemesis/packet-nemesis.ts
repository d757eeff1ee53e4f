/**
 * Packet loss: on each target, packets to and from every other node are dropped at random with
 * a probability (iptables `statistic` match) in the SPLITBRAIN-PACKET chain. Independent of
 * partitions, which use their own chain, so both can be in force at once.
 */
import type { Db } from '../cluster/db/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';
import { PACKET_CHAIN } from './iptables.js';
import { applyPacketLoss, linkFaultLayer } from './link-layer.js';
import { findLeader, type FindLeaderOptions } from './leader.js';
import { completeOp, createSerializer, type CompletedNemesisOp, type Nemesis, type NemesisOp } from './nemesis.js';
import { createRng } from '../workloads/index.js';
import { resolveTargets, type TargetPlan } from './targets.js';

/** The plan a `start-packet-loss` op carries. */
export interface PacketLossPlan extends TargetPlan {
  /** Drop probability per packet, in (0, 1]. */
  probability: number;
}

/** What the packet-loss nemesis needs. */
export interface PacketNemesisOptions {
  cluster: StartedCluster;
  db?: Db;
  leader?: FindLeaderOptions;
  seed?: number;
}

/** Makes the nemesis that handles `start-packet-loss` and `stop-packet-loss`. */
export function createPacketNemesis(opts: PacketNemesisOptions): Nemesis {
  const { cluster } = opts;
  const chain = linkFaultLayer(cluster, PACKET_CHAIN, 'packet');
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const addresses = Object.fromEntries(cluster.nodes.map((n) => [n.name, n.address]));
  const names = cluster.nodes.map((n) => n.name);

  const heal = (): Promise<CompletedNemesisOp> => chain.healOp('stop-packet-loss');

  const start = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as PacketLossPlan;
    if (chain.inForce) await heal();
    if (chain.inForce)
      return { f: op.f, value: { injected: 0, targets: plan.targets }, error: 'previous packet loss not healed' };
    const nodes = await resolveTargets(plan, names, rng, () => findLeader(opts.db, cluster, opts.leader));
    if (nodes.length === 0) {
      return { f: op.f, value: { injected: 0, targets: plan.targets, skipped: 'no target node (no leader known)' } };
    }
    const r = await applyPacketLoss(chain, nodes, addresses, plan.probability);
    const value = { injected: r.count, targets: plan.targets, nodes, probability: plan.probability, rules: r.rules };
    return completeOp(op.f, value, r.errors);
  };

  return {
    fs: ['start-packet-loss', 'stop-packet-loss'],
    setup: () => serial(() => chain.sweepLeftovers()),
    invoke: (op) => serial(() => (op.f === 'start-packet-loss' ? start(op) : heal())),
    teardown: () => serial(() => chain.teardown(heal, 'packet loss')),
  };
}
