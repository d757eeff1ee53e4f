/**
 * The seeded fault schedule behind `--nemesis`, `--nemesis-interval` and `--seed`. One fault at
 * a time, so each fault window is attributable to one kind: a quiet gap, then a fault held for
 * about an interval, then its heal, and again. Kinds come round-robin in a freshly shuffled
 * order each round, so every requested kind is tried early instead of whenever the dice say.
 * Targets, grudges, offsets and probabilities are drawn here, so a seed replays a schedule
 * exactly; only `leader` targets are left for the nemesis to resolve when the op is due.
 */
import { FAULT_FS, type FaultName } from './faults.js';
import { listGenerator, type GeneratorContext, type GeneratorStep, type NemesisGenerator } from './generator.js';
import { computeGrudge, PARTITION_KINDS, type PartitionKind } from './grudge.js';
import type { NemesisOp } from './nemesis.js';
import { createRng, type Rng } from './random.js';
import { computeTargets, TARGET_KINDS, type TargetKind } from './targets.js';

/** Everything the schedule draws from. */
export interface ScheduleOptions {
  nodes: readonly string[];
  faults: readonly FaultName[];
  seed: number;
  /** Seconds: the mean time a fault is held; quiet gaps are half to one interval. Default 10. */
  intervalS?: number;
  /** Whether the DB can name its leader; without it no `leader` shape or target is drawn. */
  leaderAware?: boolean;
  partitionKinds?: readonly PartitionKind[];
  targetKinds?: readonly TargetKind[];
  /** Largest clock bump or strobe offset, milliseconds. Default 5000. */
  maxClockOffsetMs?: number;
  /** How often a strobe flips, milliseconds. Default 200. */
  strobePeriodMs?: number;
}

/** The default `--nemesis-interval`, seconds. */
export const DEFAULT_INTERVAL_S = 10;

const NS_PER_S = 1e9;

/** Roughly how long a schedule takes to try every requested kind once, in seconds (mean quiet + hold per kind). */
export function computeCoverageSeconds(faults: number, intervalS = DEFAULT_INTERVAL_S): number {
  return faults * intervalS * 1.75;
}

interface State {
  rng: number;
  /** Kinds left in this round, in order. */
  round: readonly FaultName[];
  /** The heal owed for the fault in force, if any. */
  owed?: NemesisOp;
}

/** Makes the seeded, endless schedule; stop it by aborting the interpreter, then run `createFinalHeal`. */
export function createSchedule(opts: ScheduleOptions): NemesisGenerator {
  if (opts.faults.length === 0) return listGenerator([]);
  if (opts.nodes.length === 0) throw new Error('a nemesis schedule needs at least one node');
  const intervalS = opts.intervalS ?? DEFAULT_INTERVAL_S;
  if (!(intervalS > 0)) throw new Error(`--nemesis-interval must be a positive number of seconds, got ${intervalS}`);
  return scheduleFrom({ ...opts, intervalS }, { rng: opts.seed >>> 0, round: [] });
}

function scheduleFrom(opts: ScheduleOptions & { intervalS: number }, state: State): NemesisGenerator {
  return {
    op(ctx: GeneratorContext): GeneratorStep {
      const rng = createRng(state.rng);
      if (state.owed !== undefined) {
        const hold = opts.intervalS * rng.between(0.75, 1.25);
        const op = { ...state.owed, time: ctx.time + Math.round(hold * NS_PER_S) };
        return { op, next: scheduleFrom(opts, { rng: rng.state(), round: state.round }) };
      }
      const round = state.round.length > 0 ? state.round : rng.shuffle(opts.faults);
      const [fault, ...rest] = round as [FaultName, ...FaultName[]];
      const quiet = opts.intervalS * rng.between(0.5, 1.0);
      const start = computeStartOp(fault, opts, rng);
      const op = { ...start, time: ctx.time + Math.round(quiet * NS_PER_S) };
      const owed = { f: FAULT_FS[fault].stop };
      return { op, next: scheduleFrom(opts, { rng: rng.state(), round: rest, owed }) };
    },
  };
}

/** Draws the op that starts one fault: its name and a concrete plan. */
export function computeStartOp(fault: FaultName, opts: ScheduleOptions, rng: Rng): NemesisOp {
  const nodes = opts.nodes;
  const leaderOk = opts.leaderAware === true;
  const targetKinds = (opts.targetKinds ?? TARGET_KINDS).filter((k) => k !== 'leader' || leaderOk);
  const drawTargets = (kinds: readonly TargetKind[]): { targets: TargetKind; nodes?: string[] } => {
    const targets: TargetKind = kinds.length > 0 ? rng.pick(kinds) : 'one';
    return targets === 'leader' ? { targets } : { targets, nodes: computeTargets(targets, nodes, rng) };
  };
  const maxOffset = opts.maxClockOffsetMs ?? 5000;
  const drawOffset = (): number => (rng.next() < 0.5 ? -1 : 1) * Math.round(rng.between(100, maxOffset));
  switch (fault) {
    case 'partition': {
      const kinds = (opts.partitionKinds ?? PARTITION_KINDS).filter((k) => k !== 'leader' || leaderOk);
      const partition = rng.pick(kinds.length > 0 ? kinds : (['one'] as const));
      if (partition === 'leader') return { f: 'start-partition', value: { partition } };
      return { f: 'start-partition', value: { partition, grudge: computeGrudge(partition, nodes, rng) } };
    }
    case 'kill':
      return { f: 'kill', value: drawTargets(targetKinds) };
    case 'pause':
      return { f: 'pause', value: drawTargets(targetKinds) };
    case 'clock': {
      // Clock targets never include `all`: skewing every node alike changes nothing relative.
      const who = computeTargets(rng.pick(['one', 'minority', 'majority'] as const), nodes, rng);
      if (rng.next() < 0.5) {
        return { f: 'bump-clock', value: { offsets: Object.fromEntries(who.map((n) => [n, drawOffset()])) } };
      }
      return { f: 'strobe-clock', value: { nodes: who, deltaMs: drawOffset(), periodMs: opts.strobePeriodMs ?? 200 } };
    }
    case 'packet': {
      const probability = rng.pick([0.1, 0.2, 0.3, 0.5]);
      return { f: 'start-packet-loss', value: { ...drawTargets(targetKinds.filter((k) => k !== 'all')), probability } };
    }
    case 'packet-delay': {
      const delayMs = rng.pick([50, 100, 200]);
      return {
        f: 'start-packet-delay',
        value: { ...drawTargets(targetKinds), delayMs, jitterMs: Math.round(delayMs / 2) },
      };
    }
  }
}

/**
 * Makes the final phase that heals everything, due at once: network faults first, then clocks,
 * then paused nodes are continued and killed nodes restarted, so the cluster can serve the
 * final reads. Each heal is harmless when its fault is not in force.
 */
export function createFinalHeal(faults: readonly FaultName[]): NemesisGenerator {
  const order: FaultName[] = ['packet-delay', 'packet', 'partition', 'clock', 'pause', 'kill'];
  return listGenerator(order.filter((f) => faults.includes(f)).map((f) => ({ f: FAULT_FS[f].stop })));
}
