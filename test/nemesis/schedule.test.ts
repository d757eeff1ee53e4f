/**
 * The default schedule as data: what issue 11 asks of it, checked over many seeds of a 60 s run
 * with every fault kind raftkv takes: kinds overlap, 20+ fault events a minute, faults aim at
 * the leader at least half the time, every run kills the whole cluster once early, holds stay
 * short, and a seed replays exactly.
 */
import { describe, expect, it } from 'vitest';
import { classifyF, type FaultName } from '../../nemesis/index.js';
import { FAULT_FS } from '../../nemesis/faults.js';
import {
  DEFAULT_INTERVAL_S,
  HOLD_S,
  KILL_ALL_AT_S,
  planSchedule,
  type ScheduleOptions,
} from '../../nemesis/schedule.js';
import { type TimedOp } from '../../workloads/index.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const FAULTS: FaultName[] = ['partition', 'kill', 'pause', 'clock', 'packet'];
const SEEDS = Array.from({ length: 50 }, (_, i) => i + 1);
const opts = (seed: number, more: Partial<ScheduleOptions> = {}): ScheduleOptions => ({
  nodes: NODES,
  faults: FAULTS,
  seed,
  durationS: 60,
  leaderAware: true,
  ...more,
});

/** Each kind's spans in force (s), from a start op to the next heal of that kind. */
function spans(plan: readonly TimedOp[]): { fault: FaultName; from: number; to: number }[] {
  const open = new Map<FaultName, number>();
  const out: { fault: FaultName; from: number; to: number }[] = [];
  for (const { at, op } of plan) {
    const c = classifyF(op.f);
    if (c === undefined) continue;
    if (c.phase === 'start' && !open.has(c.fault)) open.set(c.fault, at / 1e9);
    if (c.phase === 'stop' && open.has(c.fault)) {
      out.push({ fault: c.fault, from: open.get(c.fault)!, to: at / 1e9 });
      open.delete(c.fault);
    }
  }
  return out;
}

const aimsAtLeader = (op: TimedOp['op']): boolean => {
  const v = (op.value ?? {}) as { targets?: unknown; partition?: unknown };
  return v.targets === 'leader' || ['leader', 'lagging-followers', 'leader-pair'].includes(String(v.partition));
};

describe('the default nemesis schedule', () => {
  it('overlaps fault kinds: in every seed, some moment has two or more kinds in force', () => {
    for (const seed of SEEDS) {
      const s = spans(planSchedule(opts(seed)));
      const overlapping = s.some((a) => s.some((b) => a.fault !== b.fault && a.from < b.to && b.from < a.to));
      expect(overlapping, `seed ${seed}`).toBe(true);
    }
  });

  it('has 20 or more fault events a minute in every seed', () => {
    for (const seed of SEEDS) expect(planSchedule(opts(seed)).length, `seed ${seed}`).toBeGreaterThanOrEqual(20);
  });

  it('aims at least half of the partitions at the leader, and kills, pauses and clock faults at it too', () => {
    const starts = SEEDS.flatMap((seed) => planSchedule(opts(seed))).filter(
      (t) => classifyF(t.op.f)?.phase === 'start',
    );
    const share = (fault: FaultName): number => {
      const mine = starts.filter((t) => classifyF(t.op.f)?.fault === fault);
      return mine.filter((t) => aimsAtLeader(t.op)).length / mine.length;
    };
    expect(share('partition')).toBeGreaterThanOrEqual(0.5);
    for (const fault of ['kill', 'pause', 'clock', 'packet'] as const)
      expect(share(fault), fault).toBeGreaterThan(0.25);
  });

  it('kills every node at once early in every run', () => {
    for (const seed of SEEDS) {
      const killAlls = planSchedule(opts(seed)).filter(
        (t) => t.op.f === 'kill' && (t.op.value as { targets?: string }).targets === 'all',
      );
      const early = killAlls.some((t) => t.at / 1e9 >= KILL_ALL_AT_S[0] && t.at / 1e9 <= KILL_ALL_AT_S[1]);
      expect(early, `seed ${seed}`).toBe(true);
    }
  });

  it('holds a single fault 0.5-3 s and heals it; combined moves chain faults without a heal between', () => {
    for (const s of SEEDS.flatMap((seed) => spans(planSchedule(opts(seed, { faults: ['kill'] }))))) {
      expect(s.to - s.from).toBeGreaterThanOrEqual(HOLD_S[0] - 1e-9);
      expect(s.to - s.from).toBeLessThanOrEqual(HOLD_S[1] + 1e-9);
    }
    // Lag-then-leader: followers cut off to fall behind, then the leader and a partner, no stop between.
    const partitions = planSchedule(opts(3, { faults: ['partition'], durationS: 600 })).map((t) => t.op);
    const shapeOf = (op: TimedOp['op'] | undefined): unknown =>
      (op?.value as { partition?: unknown } | undefined)?.partition;
    const chained = partitions.some(
      (op, i) =>
        op.f === 'start-partition' &&
        shapeOf(op) === 'lagging-followers' &&
        partitions[i + 1]?.f === 'start-partition' &&
        shapeOf(partitions[i + 1]) === 'leader-pair',
    );
    expect(chained).toBe(true);
    // Lease step: the leader's clock ahead, reset, then the leader cut off straight away.
    const clocked = planSchedule(opts(3, { faults: ['clock', 'partition'], durationS: 600 }));
    const step = clocked.findIndex((t, i) => t.op.f === 'reset-clock' && clocked[i + 1]?.op.f === 'start-partition');
    expect(step).toBeGreaterThan(0);
    expect(aimsAtLeader(clocked[step + 1]!.op)).toBe(true);
    expect(clocked[step + 1]!.at - clocked[step]!.at).toBeLessThan(0.1e9);
  });

  it('replays exactly from a seed, and another seed gives another schedule', () => {
    expect(planSchedule(opts(17))).toEqual(planSchedule(opts(17)));
    expect(planSchedule(opts(17))).not.toEqual(planSchedule(opts(18)));
  });

  it('draws no leader target for a DB that cannot name its leader, and ends every fault with its own heal op', () => {
    const plan = SEEDS.flatMap((seed) => planSchedule(opts(seed, { leaderAware: false })));
    expect(plan.some((t) => aimsAtLeader(t.op))).toBe(false);
    const heals = new Set(Object.values(FAULT_FS).map((f) => f.stop));
    expect(plan.filter((t) => classifyF(t.op.f)?.phase === 'stop').every((t) => heals.has(t.op.f))).toBe(true);
    expect(DEFAULT_INTERVAL_S).toBeGreaterThan(0);
  });

  it('figure-8 alone: one start op a move, its stop due right after, early in the run, with a seeded plan', () => {
    for (const seed of SEEDS.slice(0, 10)) {
      const plan = planSchedule({ nodes: NODES, faults: ['figure-8'], seed, durationS: 60, leaderAware: true });
      const starts = plan.filter((o) => o.op.f === 'start-figure-8');
      expect(starts.length).toBeGreaterThanOrEqual(3);
      expect(starts[0]!.at / 1e9).toBeLessThan(4);
      for (const [i, o] of plan.entries()) {
        if (o.op.f !== 'start-figure-8') continue;
        const v = o.op.value as { probability: number; draws: number[] };
        expect(v.probability).toBeGreaterThan(0);
        expect(v.draws.every((d) => d >= 0 && d < 1)).toBe(true);
        expect(plan[i + 1]?.op.f).toBe('stop-figure-8');
      }
      expect(planSchedule({ nodes: NODES, faults: ['figure-8'], seed, durationS: 60, leaderAware: true })).toEqual(
        plan,
      );
    }
  });

  it("adding figure-8 leaves the other kinds' timelines as they were", () => {
    const base = planSchedule(opts(7));
    const withMove = planSchedule(opts(7, { faults: [...FAULTS, 'figure-8'] }));
    expect(withMove.filter((o) => !o.op.f.includes('figure-8'))).toEqual(base);
  });
});
