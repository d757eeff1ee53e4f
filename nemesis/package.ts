/**
 * A nemesis package (Jepsen's nemesis/combined.clj): the composed nemesis for the requested
 * faults, the seeded schedule that drives it, and the final generator that heals everything.
 * The runner builds one after `checkNemesisCapabilities` has said which faults can run.
 */
import { isKillable, isLeaderAware, isPausable, type Db } from '../cluster/db.js';
import type { StartedCluster } from '../cluster/runtime/runtime.js';
import { createClockNemesis } from './clock-nemesis.js';
import type { FaultName } from './faults.js';
import type { NemesisGenerator } from './generator.js';
import { createKillNemesis } from './kill-nemesis.js';
import { composeNemesis, noopNemesis, validateNemesis, type Nemesis } from './nemesis.js';
import { createPacketDelayNemesis } from './packet-delay-nemesis.js';
import { createPacketNemesis } from './packet-nemesis.js';
import { createPartitionNemesis } from './partition-nemesis.js';
import { createPauseNemesis } from './pause-nemesis.js';
import { createFinalHeal, createSchedule, type ScheduleOptions } from './schedule.js';

/** Options for `createNemesisPackage`. */
export interface NemesisPackageOptions {
  cluster: StartedCluster;
  db: Db;
  /** Faults to run: the `faults` of `checkNemesisCapabilities`. */
  faults: readonly FaultName[];
  seed: number;
  /** `--nemesis-interval`, seconds. */
  intervalS?: number;
  /** Narrow or tune the schedule (shapes, targets, offsets). */
  schedule?: Partial<Omit<ScheduleOptions, 'nodes' | 'faults' | 'seed' | 'intervalS'>>;
}

/** The nemesis, its schedule and its final heal phase. */
export interface NemesisPackage {
  nemesis: Nemesis;
  generator: NemesisGenerator;
  final: NemesisGenerator;
  faults: readonly FaultName[];
}

/** Builds the package for the given faults; with no faults, a noop nemesis and empty schedules. */
export function createNemesisPackage(o: NemesisPackageOptions): NemesisPackage {
  const { cluster, db, seed } = o;
  const parts: Nemesis[] = [];
  for (const fault of o.faults) {
    switch (fault) {
      case 'partition':
        parts.push(createPartitionNemesis({ cluster, db, seed }));
        break;
      case 'packet':
        parts.push(createPacketNemesis({ cluster, db, seed }));
        break;
      case 'packet-delay':
        parts.push(createPacketDelayNemesis({ cluster, seed }));
        break;
      case 'kill':
        if (!isKillable(db)) throw new Error(`--nemesis kill: the ${db.name} DB cannot be killed and restarted`);
        parts.push(createKillNemesis({ cluster, db, seed }));
        break;
      case 'pause':
        if (!isPausable(db)) throw new Error(`--nemesis pause: the ${db.name} DB cannot be paused`);
        parts.push(createPauseNemesis({ cluster, db, seed }));
        break;
      case 'clock':
        parts.push(createClockNemesis({ cluster, db }));
        break;
    }
  }
  const nemesis = validateNemesis(parts.length === 0 ? noopNemesis() : composeNemesis(parts));
  const generator = createSchedule({
    ...o.schedule,
    nodes: cluster.nodes.map((n) => n.name),
    faults: o.faults,
    seed,
    leaderAware: isLeaderAware(db),
    ...(o.intervalS !== undefined ? { intervalS: o.intervalS } : {}),
  });
  return { nemesis, generator, final: createFinalHeal(o.faults), faults: o.faults };
}
