/**
 * Asking the DB who leads, for faults aimed at the leader. A cluster in the middle of an
 * election has no leader for a moment, so this asks a few times before giving up.
 */
import { isLeaderAware, type Db } from '../cluster/db/index.js';
import type { StartedCluster } from '../cluster/runtime/index.js';

/** Options for `findLeader`; `sleep` is injected so tests need not wait. */
export interface FindLeaderOptions {
  attempts?: number;
  delayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Returns the current leader as the DB reports it, or undefined if it names none after a few tries. */
export async function findLeader(
  db: Db | undefined,
  cluster: StartedCluster,
  { attempts = 5, delayMs = 500, sleep = defaultSleep }: FindLeaderOptions = {},
): Promise<string | undefined> {
  if (db === undefined || !isLeaderAware(db)) return undefined;
  for (let i = 0; i < attempts; i++) {
    const leader = await db.leader(cluster).catch(() => undefined);
    if (leader !== undefined) return leader;
    if (i < attempts - 1) await sleep(delayMs);
  }
  return undefined;
}

/** Waits the given milliseconds with a plain timer. */
export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A running leader sampler; `stop` ends it and returns what it saw. */
export interface LeaderWatch {
  stop(): Promise<{ time: number; leader: string | undefined }[]>;
}

/**
 * Asks the DB who leads every `intervalMs` until stopped, stamping each answer with the run's
 * clock, so `countLeaderChangesInWindows` can say how many leader changes a fault caused.
 * Without a LeaderAware DB it samples nothing.
 */
export function watchLeader(opts: {
  db: Db;
  cluster: StartedCluster;
  now: () => number;
  intervalMs?: number;
}): LeaderWatch {
  const samples: { time: number; leader: string | undefined }[] = [];
  const { db } = opts;
  if (!isLeaderAware(db)) return { stop: async () => samples };
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      const leader = await db.leader(opts.cluster).catch(() => undefined);
      samples.push({ time: opts.now(), leader });
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, opts.intervalMs ?? 500);
      });
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      return samples;
    },
  };
}
