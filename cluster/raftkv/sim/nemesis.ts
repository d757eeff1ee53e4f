/**
 * Seeded fault schedules for the simulator. Each run draws one family; every family mixes the
 * faults a real cluster meets (partitions, crashes, message loss) with timings that make the
 * classic Raft mistakes reachable: short leader isolations for deposed-leader reads, leader
 * crashes in quick succession for figure 8, whole-cluster power loss for unpersisted acks.
 */
import type { NodeId } from '../core/index.js';
import type { Rng } from './rng.js';

/** The fault schedule families. */
export type NemesisFamily = 'partitions' | 'crashes' | 'leader-churn' | 'mixed';

export const NEMESIS_FAMILIES: readonly NemesisFamily[] = ['partitions', 'crashes', 'leader-churn', 'mixed'];

/** What the nemesis can do to the simulated cluster. */
export interface FaultTarget {
  now(): number;
  after(delay: number, fn: () => void): void;
  nodeIds: NodeId[];
  /** The live node that believes it leads the highest term, if any. */
  leader(): NodeId | undefined;
  isAlive(id: NodeId): boolean;
  /** Drops messages between the groups (both ways) until healed. */
  partition(groups: NodeId[][], label: string): void;
  heal(): void;
  crash(id: NodeId): void;
  restart(id: NodeId): void;
  setLoss(rate: number): void;
  /** A live node's role, term and commit index; undefined when down. */
  status(id: NodeId): { role: string; term: number; commit: number } | undefined;
}

/** Drives one family of faults until `until`. */
export function runNemesis(family: NemesisFamily, t: FaultTarget, rng: Rng, until: number, baseLoss: number): void {
  const ids = t.nodeIds;
  const majority = Math.floor(ids.length / 2) + 1;

  const randomSplit = (): void => {
    const shuffled = rng.shuffle(ids);
    const cut = rng.chance(0.5) ? ids.length - majority : rng.int(1, ids.length - 1);
    t.partition([shuffled.slice(0, cut), shuffled.slice(cut)], 'random-split');
  };
  const isolate = (id: NodeId): void => {
    t.partition([[id], ids.filter((x) => x !== id)], `isolate ${id}`);
  };
  const crashFor = (id: NodeId, down: number): void => {
    if (!t.isAlive(id)) return;
    t.crash(id);
    t.after(down, () => t.restart(id));
  };
  const powerLoss = (down: number): void => {
    for (const id of ids) if (t.isAlive(id)) t.crash(id);
    for (const id of ids) t.after(down + rng.int(0, 30), () => t.restart(id));
  };
  const leaderOrRandom = (): NodeId => t.leader() ?? rng.pick(ids);

  /** Polls `cond` every millisecond until it holds (then runs `then`) or `timeout` passes. */
  const waitFor = (
    cond: () => NodeId | undefined,
    timeout: number,
    then: (id: NodeId) => void,
    otherwise: () => void,
  ): void => {
    const deadline = t.now() + timeout;
    const poll = (): void => {
      const id = cond();
      if (id !== undefined) then(id);
      else if (t.now() >= deadline) otherwise();
      else t.after(1, poll);
    };
    poll();
  };
  const leaderAmong = (group: NodeId[], minTerm: number): NodeId | undefined => {
    for (const id of group) {
      const s = t.status(id);
      if (s && s.role === 'leader' && s.term > minTerm) return id;
    }
    return undefined;
  };

  type Step = () => number;
  /**
   * The Raft paper's figure 8, as a schedule: the leader and one follower are cut off while
   * they take writes; the majority elects a leader that is isolated at once (its no-op stays
   * local); the old pair rejoins the rest and one of them leads again, re-replicating its
   * old-term entries; as soon as that leader's commit index moves it crashes and the isolated
   * leader rejoins. Correct Raft commits nothing old by counting, so nothing is lost.
   */
  const figure8Step: Step = () => {
    const s1 = t.leader();
    if (s1 === undefined) return rng.int(20, 80);
    const s2 = rng.pick(ids.filter((x) => x !== s1));
    const pair = [s1, s2];
    const rest = ids.filter((x) => !pair.includes(x));
    const term0 = t.status(s1)?.term ?? 0;
    t.partition([pair, rest], 'figure-8: old leader and one follower');
    waitFor(
      () => leaderAmong(rest, term0),
      rng.int(300, 700),
      (m) => {
        t.partition([pair, [m], rest.filter((x) => x !== m)], `figure-8: isolate new leader ${m}`);
        t.after(rng.int(5, 80), () => {
          const others = ids.filter((x) => x !== m);
          t.partition([[m], others], `figure-8: rejoin old pair, ${m} still isolated`);
          const commitAtHeal = Math.max(...others.map((id) => t.status(id)?.commit ?? 0));
          const termAtHeal = Math.max(...others.map((id) => t.status(id)?.term ?? 0));
          waitFor(
            () => {
              const l = leaderAmong(others, termAtHeal - 1);
              return l !== undefined && (t.status(l)?.commit ?? 0) > commitAtHeal ? l : undefined;
            },
            rng.int(300, 800),
            (l) => {
              crashFor(l, rng.int(100, 400));
              t.heal();
            },
            () => t.heal(),
          );
        });
      },
      () => t.heal(),
    );
    return rng.int(1200, 1800);
  };
  const partitionStep: Step = () => {
    if (rng.chance(0.5)) isolate(leaderOrRandom());
    else randomSplit();
    const hold = rng.int(100, 700);
    t.after(hold, () => t.heal());
    return hold + rng.int(50, 300);
  };
  const crashStep: Step = () => {
    if (rng.chance(0.2)) powerLoss(rng.int(10, 150));
    else crashFor(rng.chance(0.6) ? leaderOrRandom() : rng.pick(ids), rng.int(20, 400));
    return rng.int(100, 400);
  };
  const churnStep: Step = () => {
    const x = rng.next();
    if (x < 0.35) {
      isolate(leaderOrRandom());
      t.after(rng.int(30, 250), () => t.heal());
    } else if (x < 0.75) {
      crashFor(leaderOrRandom(), rng.int(10, 250));
    } else if (x < 0.85) {
      powerLoss(rng.int(5, 80));
    } else {
      randomSplit();
      t.after(rng.int(30, 250), () => t.heal());
    }
    return rng.int(40, 200);
  };
  const lossStep: Step = () => {
    t.setLoss(rng.pick([0.1, 0.2, 0.4]));
    const hold = rng.int(50, 300);
    t.after(hold, () => t.setLoss(baseLoss));
    return hold + rng.int(20, 200);
  };

  const steps: Record<NemesisFamily, Step[]> = {
    partitions: [partitionStep, partitionStep, lossStep],
    crashes: [crashStep, crashStep, lossStep],
    'leader-churn': [churnStep, churnStep, figure8Step],
    mixed: [partitionStep, crashStep, churnStep, lossStep, figure8Step],
  };
  const loop = (): void => {
    if (t.now() >= until) return;
    const next = rng.pick(steps[family])();
    t.after(next, loop);
  };
  t.after(rng.int(100, 400), loop);
}
