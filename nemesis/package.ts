/**
 * A nemesis package (Jepsen's nemesis/combined.clj): the composed nemesis for the requested
 * faults, the seeded schedule that drives it, and the final generator that heals everything.
 *
 * A test holds the package as a value built from its options before any cluster exists
 * (`nemesisPackage`); the runner opens it on the started cluster, which probes what can be
 * injected there, fits the interval to the time limit and composes the nemesis
 * (`composeNemesisPackage`). The opened package also samples who leads while it is set up, so its
 * summary can count the leader changes each fault caused.
 */
import { isKillable, isLeaderAware, isPausable, isRaftStatusAware, type Db } from '../cluster/db/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';
import type { HistoryEvent } from '../src/history/index.js';
import { checkNemesisCapabilities, type NemesisCapabilities } from './capabilities.js';
import { createClockNemesis } from './clock-nemesis.js';
import { createFigure8Nemesis } from './figure-8-nemesis.js';
import type { FaultName, NemesisRequest } from './faults.js';
import { fitInterval } from './fit-interval.js';
import { createKillNemesis } from './kill-nemesis.js';
import { watchLeader, type LeaderWatch } from './leader.js';
import { composeNemesis, noopNemesis, validateNemesis, type CompletedNemesisOp, type Nemesis } from './nemesis.js';
import { createPacketDelayNemesis } from './packet-delay-nemesis.js';
import { createPacketNemesis } from './packet-nemesis.js';
import { createPartitionNemesis } from './partition-nemesis.js';
import { createPauseNemesis } from './pause-nemesis.js';
import { createFinalHeal, planSchedule, type ScheduleOptions } from './schedule.js';
import { summarizeNemesis, type LeaderSample, type NemesisSummary } from './summary.js';
import { timeline, type Generator, type TimedOp } from '../workloads/index.js';

/** How often the opened package asks the DB who leads. */
const LEADER_SAMPLE_MS = 1000;

/** What a test asks of its nemesis, as the flags say it. */
export interface NemesisPackageOptions {
  /** The faults asked for: an explicit list (each must run) or `all` (what cannot run is skipped). */
  request: NemesisRequest;
  /** Seconds a fault is held; undefined fits every fault into `timeLimitS`. */
  intervalS?: number;
  /** The run phase's length in seconds, for fitting the interval. */
  timeLimitS: number;
  seed: number;
  /** Tune the schedule (offsets, strobe period). */
  schedule?: Partial<Omit<ScheduleOptions, 'nodes' | 'faults' | 'seed' | 'intervalS' | 'durationS'>>;
}

/** The nemesis of a test: built before any cluster exists, opened by the runner on the started one. */
export interface NemesisPackage {
  /** What was asked: the faults, whether `all` was said, and the interval if one was given. */
  readonly request: NemesisRequest & { intervalS?: number };
  /**
   * Probes what can be injected on this cluster and DB and composes the nemesis for it. Throws
   * NemesisUnavailableError when a fault named explicitly cannot run. `now` is the run's clock,
   * which stamps the leader samples.
   */
  open(cluster: StartedCluster, db: Db, now: () => number): Promise<OpenNemesisPackage>;
}

/** The nemesis, its schedule and its final heal phase, composed for one cluster. */
export interface ComposedNemesisPackage {
  nemesis: Nemesis;
  /** The schedule as data: every op and when it is due (ns after the run phase starts). */
  plan: readonly TimedOp[];
  /** The schedule as a generator for the nemesis process, its times counted from `originNs` on the run's clock. */
  generator(originNs: number): Generator;
  final: Generator;
  faults: readonly FaultName[];
}

/** The nemesis's part of results.json: what each fault did, plus the faults skipped and caveats. */
export type NemesisReport = NemesisSummary & Pick<NemesisCapabilities, 'skipped' | 'notes'>;

/** A package opened on a cluster. */
export interface OpenNemesisPackage extends ComposedNemesisPackage {
  /** Which requested faults run here, which are skipped and why, and caveats to print. */
  capabilities: NemesisCapabilities;
  /** Seconds a fault is held: the one asked for, or fitted to the time limit. */
  intervalS: number;
  /** Sets the nemesis up and starts sampling who leads. */
  setup(): Promise<void>;
  /** Stops the sampling and heals everything the nemesis did; resolves with what it healed. */
  teardown(): Promise<CompletedNemesisOp[]>;
  /** Summarizes a finished history: per fault what it did and whether it bit. */
  summarize(history: readonly HistoryEvent[]): Promise<NemesisReport>;
}

/** Builds a test's nemesis package from its options. */
export function nemesisPackage(o: NemesisPackageOptions): NemesisPackage {
  return {
    request: { ...o.request, ...(o.intervalS !== undefined ? { intervalS: o.intervalS } : {}) },
    async open(cluster, db, now) {
      const capabilities = await checkNemesisCapabilities(cluster, db, o.request);
      const intervalS = o.intervalS ?? fitInterval(capabilities.faults.length, o.timeLimitS);
      const composed = composeNemesisPackage({
        cluster,
        db,
        faults: capabilities.faults,
        seed: o.seed,
        durationS: o.timeLimitS,
        intervalS,
        ...(o.schedule ? { schedule: o.schedule } : {}),
      });
      let watch: LeaderWatch | undefined;
      let samples: Promise<LeaderSample[]> | undefined;
      const stopWatch = (): Promise<LeaderSample[]> | undefined => {
        if (watch && !samples) samples = watch.stop().catch(() => []);
        return samples;
      };
      return {
        ...composed,
        capabilities,
        intervalS,
        async setup() {
          await composed.nemesis.setup();
          // Only a DB that can name its leader is sampled; without samples the summary says so.
          if (isLeaderAware(db)) watch = watchLeader({ db, cluster, now, intervalMs: LEADER_SAMPLE_MS });
        },
        async teardown() {
          await stopWatch();
          return composed.nemesis.teardown();
        },
        async summarize(history) {
          const summary = summarizeNemesis(history, capabilities.faults, await stopWatch());
          return { ...summary, skipped: capabilities.skipped, notes: capabilities.notes };
        },
      };
    },
  };
}

/** Options for `composeNemesisPackage`. */
export interface ComposeNemesisOptions {
  cluster: StartedCluster;
  db: Db;
  /** Faults to run: the `faults` of `checkNemesisCapabilities`. */
  faults: readonly FaultName[];
  seed: number;
  /** Seconds of schedule: the test's time limit. */
  durationS: number;
  /** `--nemesis-interval`, seconds. */
  intervalS?: number;
  /** Tune the schedule (offsets, strobe period). */
  schedule?: Partial<Omit<ScheduleOptions, 'nodes' | 'faults' | 'seed' | 'intervalS' | 'durationS'>>;
}

/**
 * How faults aimed at the leader ask for it: a few quick tries, so the fault starts when it was
 * due (an election in progress names no leader for a moment) instead of seconds later.
 */
const LEADER_LOOKUP = { attempts: 4, delayMs: 100 };

/** Builds the package for the given faults; with no faults, a noop nemesis and empty schedules. */
export function composeNemesisPackage(o: ComposeNemesisOptions): ComposedNemesisPackage {
  const { cluster, db, seed } = o;
  const leader = LEADER_LOOKUP;
  const parts: Nemesis[] = [];
  for (const fault of o.faults) {
    switch (fault) {
      case 'partition':
        parts.push(createPartitionNemesis({ cluster, db, seed, leader }));
        break;
      case 'packet':
        parts.push(createPacketNemesis({ cluster, db, seed, leader }));
        break;
      case 'packet-delay':
        parts.push(createPacketDelayNemesis({ cluster, seed }));
        break;
      case 'kill':
        if (!isKillable(db)) throw new Error(`--nemesis kill: the ${db.name} DB cannot be killed and restarted`);
        parts.push(createKillNemesis({ cluster, db, seed, leader }));
        break;
      case 'pause':
        if (!isPausable(db)) throw new Error(`--nemesis pause: the ${db.name} DB cannot be paused`);
        parts.push(createPauseNemesis({ cluster, db, seed, leader }));
        break;
      case 'clock':
        parts.push(createClockNemesis({ cluster, db, leader }));
        break;
      case 'figure-8':
        if (!isRaftStatusAware(db))
          throw new Error(`--nemesis figure-8: the ${db.name} DB does not report its Raft state`);
        parts.push(createFigure8Nemesis({ cluster, db }));
        break;
    }
  }
  const nemesis = validateNemesis(parts.length === 0 ? noopNemesis() : composeNemesis(parts));
  const plan = planSchedule({
    ...o.schedule,
    nodes: cluster.nodes.map((n) => n.name),
    faults: o.faults,
    seed,
    durationS: o.durationS,
    leaderAware: isLeaderAware(db),
    ...(o.intervalS !== undefined ? { intervalS: o.intervalS } : {}),
  });
  return {
    nemesis,
    plan,
    generator: (originNs) => timeline(plan, originNs),
    final: createFinalHeal(o.faults),
    faults: o.faults,
  };
}
