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

  type Step = () => number;
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
    'leader-churn': [churnStep],
    mixed: [partitionStep, crashStep, churnStep, lossStep],
  };
  const loop = (): void => {
    if (t.now() >= until) return;
    const next = rng.pick(steps[family])();
    t.after(next, loop);
  };
  t.after(rng.int(100, 400), loop);
}
