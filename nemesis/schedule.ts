/**
 * The seeded fault schedule behind `--nemesis`, `--nemesis-interval` and `--seed`, as Jepsen's
 * combined nemesis: every fault kind has its own independent timeline of episodes (a fault held
 * for 0.5-3 s, then its heal, then a quiet gap of about an interval), and the timelines are
 * merged, so faults of different kinds overlap. Raft bugs need chained situations (a node lags,
 * then the leader is lost with no heal between; a leader's clock steps back just before it is cut
 * off; every node dies right after acknowledged writes), so some episodes are such combined moves.
 * Faults aim at the leader in at least half of the episodes; `leader` is resolved by the nemesis
 * when the fault starts, everything else (grudges, other targets, offsets) is drawn here, so the
 * whole schedule is data that a seed replays exactly (`planSchedule`).
 */
import { createRng, sequence, timeline, type Generator, type Rng, type TimedOp } from '../workloads/index.js';
import type { BumpPlan, StrobePlan } from './clock-nemesis.js';
import type { Figure8Plan } from './figure-8-nemesis.js';
import { FAULT_FS, FAULTS, type FaultName } from './faults.js';
import { computeGrudge, isolateGrudge, type PartitionKind } from './grudge.js';
import type { NemesisOp } from './nemesis.js';
import { computeTargets, type TargetKind, type TargetPlan } from './targets.js';

/** Everything the schedule draws from. */
export interface ScheduleOptions {
  nodes: readonly string[];
  faults: readonly FaultName[];
  seed: number;
  /** Seconds of schedule to plan (the test's time limit); ops due later are left out. */
  durationS: number;
  /** Seconds: the mean quiet gap between two episodes of one kind. Default 5. */
  intervalS?: number;
  /** Whether the DB can name its leader; without it no `leader` target is drawn. */
  leaderAware?: boolean;
  /** Largest clock bump or strobe offset, milliseconds. Default 5000. */
  maxClockOffsetMs?: number;
  /** How often a strobe flips, milliseconds. Default 200. */
  strobePeriodMs?: number;
}

/**
 * The default `--nemesis-interval`, seconds: the mean quiet gap of each kind's timeline. With
 * five kinds that is about 50 fault events a minute, and stretches of calm in which a leader
 * commits enough for the next fault to have something to lose.
 */
export const DEFAULT_INTERVAL_S = 8;

/** Shortest and longest time a fault is held, seconds. */
export const HOLD_S = [0.5, 3] as const;

/** The window in which every run kills the whole cluster at least once, seconds after the schedule starts. */
export const KILL_ALL_AT_S = [4, 12] as const;

/**
 * Seconds after the schedule starts by which the opening's combined moves are over (lag-then-leader,
 * drawn at 7-8.5 s, lasts at most 5.5 s). Until then the other kinds draw nothing new: the
 * cluster restarted by the whole-cluster kill needs a second or two to elect a leader, and only
 * the reads it serves before new writes land show that acknowledged writes were lost; a pause
 * or kill of the new leader, or a partition from another kind, in that window hides them.
 */
export const OPENING_END_S = 14;

const NS_PER_S = 1e9;

/**
 * Roughly how long the schedule takes to try every requested kind once, in seconds: the kinds'
 * timelines run side by side, each starting within an interval, so the number of kinds does not matter.
 */
export function computeCoverageSeconds(_faults: number, intervalS = DEFAULT_INTERVAL_S): number {
  return intervalS * 1.1;
}

/** The whole schedule as data: every op with its due time (ns after the schedule starts), in time order. */
export function planSchedule(opts: ScheduleOptions): TimedOp[] {
  if (opts.faults.length === 0) return [];
  if (opts.nodes.length === 0) throw new Error('a nemesis schedule needs at least one node');
  const intervalS = opts.intervalS ?? DEFAULT_INTERVAL_S;
  if (!(intervalS > 0)) throw new Error(`--nemesis-interval must be a positive number of seconds, got ${intervalS}`);
  const endNs = opts.durationS * NS_PER_S;
  const all: (TimedOp & { order: number })[] = [];
  opts.faults.forEach((fault, k) => {
    // One stream per kind, so adding or removing a kind leaves the others' timelines as they were.
    const rng = createRng(opts.seed * 7919 + FAULTS.indexOf(fault) * 104729 + 1);
    const opening = openingOf(fault, opts, rng);
    let t = opening.atS;
    let quietUntilS = opening.quietUntilS;
    let first = opening.combined;
    while (t < opts.durationS) {
      const episode = drawEpisode(fault, { ...opts, intervalS }, rng, first);
      first = false;
      for (const step of episode.steps) {
        const at = Math.round((t + step.atS) * NS_PER_S);
        if (at < endNs) all.push({ at, op: step.op, order: k });
      }
      t += episode.lengthS + rng.between(0.5, 1.5) * intervalS;
      if (quietUntilS !== undefined) t = Math.max(t, quietUntilS + rng.between(0, 2));
      quietUntilS = undefined;
    }
  });
  all.sort((a, b) => a.at - b.at || a.order - b.order);
  return all.map(({ at, op }) => ({ at, op }));
}

/**
 * When a kind's timeline starts, whether its first episode is the kind's combined move, and until
 * when it then stays quiet. The opening is deliberate, so each combined move has the cluster to
 * itself once, early in every run: the lease step (clock) at once; lag-then-leader with its
 * whole-cluster kill (partition) once the lease step is over; every other kind only once that is
 * over too (OPENING_END_S), so the restarted cluster serves for a while undisturbed. Without
 * lag-then-leader (no partition, or a DB that cannot name its leader) the kill timeline opens
 * with the whole-cluster kill instead. From then on every kind draws at random, overlapping the others.
 */
function openingOf(
  fault: FaultName,
  opts: ScheduleOptions,
  rng: Rng,
): { atS: number; combined: boolean; quietUntilS?: number } {
  const leaderOk = opts.leaderAware === true;
  const lagThenLeaderFirst = leaderOk && opts.faults.includes('partition');
  const afterOpening = (): number => rng.between(OPENING_END_S, OPENING_END_S + 3);
  switch (fault) {
    case 'clock':
      return {
        atS: rng.between(0.5, 1.5),
        combined: true,
        ...(lagThenLeaderFirst ? { quietUntilS: OPENING_END_S } : {}),
      };
    case 'partition':
      return {
        atS: opts.faults.includes('clock') && leaderOk ? rng.between(7, 8.5) : rng.between(0.5, 1.5),
        combined: true,
      };
    case 'kill':
      return lagThenLeaderFirst
        ? { atS: afterOpening(), combined: false }
        : { atS: rng.between(KILL_ALL_AT_S[0], KILL_ALL_AT_S[0] + 3), combined: opts.nodes.length > 1 };
    case 'pause':
      return { atS: lagThenLeaderFirst ? afterOpening() : rng.between(11, 14), combined: leaderOk };
    case 'figure-8':
      // Once the cluster has a leader that clients have written to for a while.
      return { atS: rng.between(2, 4), combined: false };
    case 'packet':
    case 'packet-delay':
      return {
        atS: rng.between(1, 6),
        combined: false,
        ...(lagThenLeaderFirst ? { quietUntilS: OPENING_END_S } : {}),
      };
  }
}

/** Makes the seeded schedule as a generator for the nemesis process, starting at `originNs` on the run's clock. */
export function createSchedule(opts: ScheduleOptions, originNs = 0): Generator {
  return timeline(planSchedule(opts), originNs);
}

/** One fault episode: ops at offsets (seconds) from its start, and how long it lasts. */
interface Episode {
  steps: { atS: number; op: NemesisOp }[];
  lengthS: number;
}

/** A fault held for a while and then healed. */
function held(start: NemesisOp, holdS: number, fault: FaultName): Episode {
  return {
    steps: [
      { atS: 0, op: start },
      { atS: holdS, op: { f: FAULT_FS[fault].stop } },
    ],
    lengthS: holdS,
  };
}

/** Picks by weight: `[[w, x], ...]`. */
function weighted<T>(rng: Rng, choices: readonly (readonly [number, T])[]): T {
  const total = choices.reduce((s, [w]) => s + w, 0);
  let u = rng.next() * total;
  for (const [w, x] of choices) {
    if ((u -= w) < 0) return x;
  }
  return choices[choices.length - 1]![1];
}

/**
 * Draws one episode of a kind. `first` marks the kind's first episode, which is the kind's
 * combined move, so every run tries each of them early: the kill-all, lag-then-leader, the lease step.
 */
export function drawEpisode(fault: FaultName, opts: ScheduleOptions, rng: Rng, first = false): Episode {
  const nodes = opts.nodes;
  const leaderOk = opts.leaderAware === true;
  const hold = (): number => rng.between(HOLD_S[0], HOLD_S[1]);
  const drawTargets = (choices: readonly (readonly [number, TargetKind])[]): TargetPlan => {
    const usable = choices.filter(([, k]) => k !== 'leader' || leaderOk);
    const targets = weighted(rng, usable.length > 0 ? usable : [[1, 'one'] as const]);
    return targets === 'leader' ? { targets } : { targets, nodes: computeTargets(targets, nodes, rng) };
  };
  const maxOffset = opts.maxClockOffsetMs ?? 5000;
  switch (fault) {
    case 'partition': {
      // Each run tries the combined move early, then draws.
      const shape = weighted<PartitionKind | 'lag-then-leader'>(
        rng,
        leaderOk && first
          ? [[1, 'lag-then-leader']]
          : leaderOk
            ? [
                [30, 'leader'],
                [35, 'lag-then-leader'],
                [15, 'halves'],
                [10, 'majorities-ring'],
                [5, 'bridge'],
                [5, 'minority-third'],
              ]
            : [
                [25, 'one'],
                [30, 'halves'],
                [15, 'majorities-ring'],
                [15, 'bridge'],
                [15, 'minority-third'],
              ],
      );
      if (shape === 'lag-then-leader') {
        const killAll = opts.faults.includes('kill') && (first || rng.next() < 0.6) ? nodes : undefined;
        return lagThenLeader(rng, killAll);
      }
      const plan =
        shape === 'leader'
          ? { partition: shape }
          : { partition: shape, grudge: computeGrudge(shape, nodes, rng) ?? isolateGrudge(nodes, rng.pick(nodes)) };
      return held({ f: 'start-partition', value: plan }, hold(), 'partition');
    }
    case 'kill': {
      if (first && nodes.length > 1) {
        // Short, so the restarted cluster is back while the run still has writes to lose.
        return held({ f: 'kill', value: drawTargets([[1, 'all']]) }, rng.between(0.5, 1.5), 'kill');
      }
      const plan = drawTargets([
        [45, 'leader'],
        [15, 'all'],
        [15, 'majority'],
        [10, 'minority'],
        [15, 'one'],
      ]);
      return held({ f: 'kill', value: plan }, plan.targets === 'all' ? rng.between(0.5, 1.5) : hold(), 'kill');
    }
    case 'pause': {
      // The first pause is the leader's: continued after a new leader took writes, it answers the
      // reads that reached it while it was stopped before it hears of the new term.
      const plan = drawTargets(
        first && leaderOk
          ? [[1, 'leader']]
          : [
              [50, 'leader'],
              [20, 'one'],
              [20, 'minority'],
              [10, 'majority'],
            ],
      );
      // A paused leader must stay away long enough for a new one to commit writes: when it is
      // continued it answers the reads that queued up meanwhile before it hears of the new term.
      const holdS = plan.targets === 'leader' ? rng.between(1.5, HOLD_S[1]) : hold();
      return held({ f: 'pause', value: plan }, holdS, 'pause');
    }
    case 'clock': {
      const leaseStepOk = leaderOk && opts.faults.includes('partition');
      const move = weighted(
        rng,
        leaseStepOk && first
          ? [[1, 'lease-step']]
          : leaseStepOk
            ? [
                [40, 'lease-step'],
                [20, 'bump-leader'],
                [20, 'bump-all'],
                [20, 'strobe'],
              ]
            : leaderOk
              ? [
                  [30, 'bump-leader'],
                  [35, 'bump-all'],
                  [35, 'strobe'],
                ]
              : [
                  [50, 'bump-all'],
                  [50, 'strobe'],
                ],
      );
      const offset = (): number => (rng.next() < 0.5 ? -1 : 1) * Math.round(rng.between(100, maxOffset));
      if (move === 'lease-step') return leaseStep(rng, maxOffset);
      if (move === 'bump-leader') {
        const plan: BumpPlan = { targets: 'leader', offsetMs: offset() };
        return held({ f: 'bump-clock', value: plan }, hold(), 'clock');
      }
      if (move === 'bump-all') {
        const plan: BumpPlan = { offsets: Object.fromEntries(nodes.map((n) => [n, offset()])) };
        return held({ f: 'bump-clock', value: plan }, hold(), 'clock');
      }
      const strobe: StrobePlan = {
        ...(leaderOk && rng.next() < 0.5 ? { targets: 'leader' } : { nodes: [...nodes] }),
        deltaMs: offset(),
        periodMs: opts.strobePeriodMs ?? 200,
      };
      return held({ f: 'strobe-clock', value: strobe }, hold(), 'clock');
    }
    case 'packet': {
      const probability = rng.pick([0.2, 0.3, 0.5]);
      const plan = drawTargets([
        [50, 'leader'],
        [25, 'one'],
        [25, 'minority'],
      ]);
      return held({ f: 'start-packet-loss', value: { ...plan, probability } }, hold(), 'packet');
    }
    case 'packet-delay': {
      const delayMs = rng.pick([50, 100, 200]);
      const plan = drawTargets([
        [50, 'leader'],
        [25, 'one'],
        [25, 'minority'],
      ]);
      return held(
        { f: 'start-packet-delay', value: { ...plan, delayMs, jitterMs: Math.round(delayMs / 2) } },
        hold(),
        'packet-delay',
      );
    }
    case 'figure-8': {
      // The move heals itself as it ends; the stop op, due at once, runs right after it and
      // heals whatever an error left. A move runs for about FIGURE8_TYPICAL_S.
      const plan: Figure8Plan = { probability: rng.pick([0.3, 0.4, 0.5]), draws: [rng.next(), rng.next()] };
      return {
        steps: [
          { atS: 0, op: { f: 'start-figure-8', value: plan } },
          { atS: 0.001, op: { f: FAULT_FS['figure-8'].stop } },
        ],
        lengthS: FIGURE8_TYPICAL_S,
      };
    }
  }
}

/** Seconds a figure-8 move usually takes (two elections and a commit); the schedule's gap counts from there. */
const FIGURE8_TYPICAL_S = 5;

/**
 * A minority of followers is cut off long enough to fall behind, then, with no heal between, the
 * leader and one up-to-date follower are cut off instead: the laggers rejoin a majority that must
 * elect without the leader and holds a single up-to-date node, which is when a vote that ignores
 * log length elects a node missing committed entries (a correct vote waits for that one node).
 * With `killAll`, every node is also killed right after the switch and restarted: restarted
 * nodes know no leader, so none ignores a candidate as a disruption, and whichever of the
 * majority times out first (two in three: a lagger) stands for election.
 */
function lagThenLeader(rng: Rng, killAll: readonly string[] | undefined): Episode {
  const lagS = rng.between(1, 2.5);
  const leaderS = rng.between(1.5, 3);
  const steps: Episode['steps'] = [
    { atS: 0, op: { f: 'start-partition', value: { partition: 'lagging-followers' } } },
    { atS: lagS, op: { f: 'start-partition', value: { partition: 'leader-pair' } } },
  ];
  if (killAll !== undefined) {
    steps.push({ atS: lagS + 0.02, op: { f: 'kill', value: { targets: 'all', nodes: [...killAll].sort() } } });
    steps.push({ atS: lagS + rng.between(0.3, 0.8), op: { f: FAULT_FS.kill.stop } });
  }
  steps.push({ atS: lagS + leaderS, op: { f: 'stop-partition' } });
  return { steps, lengthS: lagS + leaderS };
}

/**
 * The leader's clock runs ahead, then steps back, and right after that the leader is cut off: a
 * leader that times its read lease on the wall clock now believes its lease runs for the size of
 * the step longer than it does, and answers reads while a new leader takes writes.
 */
function leaseStep(rng: Rng, maxOffsetMs: number): Episode {
  const aheadMs = Math.round(rng.between(Math.min(1500, maxOffsetMs), maxOffsetMs));
  const aheadS = rng.between(0.5, 1.5);
  const cutS = rng.between(2, 4);
  const bump: BumpPlan = { targets: 'leader', offsetMs: aheadMs };
  return {
    steps: [
      { atS: 0, op: { f: 'bump-clock', value: bump } },
      { atS: aheadS, op: { f: 'reset-clock' } },
      { atS: aheadS + 0.05, op: { f: 'start-partition', value: { partition: 'leader' } } },
      { atS: aheadS + 0.05 + cutS, op: { f: 'stop-partition' } },
    ],
    lengthS: aheadS + 0.05 + cutS,
  };
}

/**
 * Makes the final phase that heals everything, due at once: network faults first, then clocks,
 * then paused nodes are continued and killed nodes restarted, so the cluster can serve the
 * final reads. Each heal is harmless when its fault is not in force.
 */
export function createFinalHeal(faults: readonly FaultName[]): Generator {
  const order: FaultName[] = ['figure-8', 'packet-delay', 'packet', 'partition', 'clock', 'pause', 'kill'];
  return sequence(order.filter((f) => faults.includes(f)).map((f) => ({ f: FAULT_FS[f].stop })));
}
