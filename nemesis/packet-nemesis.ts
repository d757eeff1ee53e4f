/**
 * Packet loss: on each target, packets to and from every other node are dropped at random with
 * a probability (iptables `statistic` match) in the SPLITBRAIN-PACKET chain. Independent of
 * partitions, which use their own chain, so both can be in force at once.
 */
import type { Db } from '../cluster/db.js';
import type { StartedCluster } from '../cluster/runtime/runtime.js';
import { NemesisHealError } from './errors.js';
import { IptablesChain, sweepChain } from './iptables-chain.js';
import { computePacketLossRules, PACKET_CHAIN } from './iptables.js';
import { findLeader, type FindLeaderOptions } from './leader.js';
import { createSerializer, type CompletedNemesisOp, type Nemesis, type NemesisOp } from './nemesis.js';
import { createRng } from './random.js';
import { computeTargets, type TargetKind } from './targets.js';

/** The plan a `start-packet-loss` op carries. */
export interface PacketLossPlan {
  targets: TargetKind;
  /** The nodes, when the schedule drew them; absent for `leader`. */
  nodes?: string[];
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
  const chain = new IptablesChain(cluster, PACKET_CHAIN);
  const serial = createSerializer();
  const rng = createRng(opts.seed ?? 0);
  const addresses = Object.fromEntries(cluster.nodes.map((n) => [n.name, n.address]));
  const names = cluster.nodes.map((n) => n.name);

  const heal = async (): Promise<CompletedNemesisOp> => {
    const nodes = chain.nodes();
    const r = await chain.heal();
    const value = { healed: r.count, nodes };
    return r.errors.length > 0
      ? { f: 'stop-packet-loss', value, error: r.errors.join('; ') }
      : { f: 'stop-packet-loss', value };
  };

  const start = async (op: NemesisOp): Promise<CompletedNemesisOp> => {
    const plan = op.value as PacketLossPlan;
    if (chain.inForce) await heal();
    if (chain.inForce)
      return { f: op.f, value: { injected: 0, targets: plan.targets }, error: 'previous packet loss not healed' };
    const leader =
      plan.nodes === undefined && plan.targets === 'leader'
        ? await findLeader(opts.db, cluster, opts.leader)
        : undefined;
    const nodes = plan.nodes ?? computeTargets(plan.targets, names, rng, leader);
    if (nodes.length === 0) {
      return { f: op.f, value: { injected: 0, targets: plan.targets, skipped: 'no target node (no leader known)' } };
    }
    const r = await chain.apply(computePacketLossRules(nodes, addresses, plan.probability));
    const value = { injected: r.count, targets: plan.targets, nodes, probability: plan.probability, rules: r.rules };
    return r.errors.length > 0 ? { f: op.f, value, error: r.errors.join('; ') } : { f: op.f, value };
  };

  return {
    fs: ['start-packet-loss', 'stop-packet-loss'],
    setup: () => serial(async () => void (await Promise.all(cluster.nodes.map((n) => sweepChain(n, PACKET_CHAIN))))),
    invoke: (op) => serial(() => (op.f === 'start-packet-loss' ? start(op) : heal())),
    teardown: () =>
      serial(async () => {
        if (!chain.inForce) return [];
        const done = await heal();
        if (done.error === undefined) return [done];
        const left = chain.inForce ? await chain.sweep() : [];
        if (chain.inForce) throw new NemesisHealError([`packet loss: ${done.error}`, ...left]);
        return [done];
      }),
  };
}
