/**
 * The `lock` workload, the seeds' Chubby-style lock service: each worker thread takes one of a
 * few named locks, holds it a while and releases it, over and over; model `mutex`, one lock per
 * key. Whether a worker acquires or releases next follows what its last op did: after an `ok`
 * acquire it releases; after anything else it tries to acquire again soon. A release by a worker
 * that lost its lock without knowing (its session expired while it was cut off or its server
 * paused) is where two holders show up in the history; for the checker to see them, that release
 * must be invoked after the next holder's acquire returned, so holds last longer than a session
 * takes to expire (`holdMs`, `--lock-hold`).
 */
import {
  empty,
  nextInt,
  seedRandom,
  type GenContext,
  type GenEvent,
  type GenResult,
  type Generator,
  type RandomState,
  type Worker,
} from './generator/index.js';
import type { Workload, WorkloadOptions } from './workload.js';

/** Named locks the workers share. */
export const LOCK_COUNT = 3;
/**
 * Mean time a lock is held before its release is invoked (ms), unless `holdMs` says otherwise:
 * longer than a lock session lasts once cut off (1.5 s with ZooKeeper), so a holder whose server
 * is paused or partitioned away by a fault of the default nemesis (held 0.5-3 s) can lose its lock
 * and release it only after another worker took it.
 */
export const DEFAULT_HOLD_MS = 4000;
/** Mean pause before an acquire is tried again after one that did not succeed (ms): waiters stay close. */
export const RETRY_MS = 200;

/** Builds the `lock` workload. */
export function lockWorkload(opts: WorkloadOptions): Workload {
  return {
    name: 'lock',
    model: 'mutex',
    keyed: true,
    generator: () => lockOps(new Map(), seedRandom(opts.seed), opts.holdMs ?? DEFAULT_HOLD_MS),
    // A lock has nothing to read back at the end.
    finalGenerator: () => empty,
  };
}

/** Per thread: when its next op is due (ns) and whether it holds its lock. */
interface ThreadState {
  due: number;
  holds: boolean;
}

const lockOf = (thread: number): number => thread % LOCK_COUNT;

function lockOps(threads: ReadonlyMap<number, ThreadState>, rng: RandomState, holdMs: number): Generator {
  return {
    op(ctx: GenContext): GenResult {
      const ready = ctx.free.filter((w): w is Worker & { process: number } => w.process !== 'nemesis');
      if (ready.length === 0) return 'pending';
      // The free worker whose next op is due first.
      const next = ready
        .map((w) => ({ w, s: threads.get(w.thread) ?? { due: 0, holds: false } }))
        .sort((a, b) => a.s.due - b.s.due)[0]!;
      const op = {
        f: next.s.holds ? 'release' : 'acquire',
        key: lockOf(next.w.thread),
        value: null,
        thread: next.w.thread,
        time: Math.max(ctx.time, next.s.due),
      };
      return { op, next: lockOps(threads, rng, holdMs) };
    },
    update(ctx: GenContext, event: GenEvent): Generator {
      if (event.type === 'invoke' || event.thread === undefined || event.process === 'nemesis') return this;
      const holds = event.f === 'acquire' && event.type === 'ok';
      // Uniform over half to one and a half times the mean.
      const mean = holds ? holdMs : RETRY_MS;
      const [jitter, rng2] = nextInt(rng, Math.max(1, Math.round(mean)));
      const updated = new Map(threads);
      updated.set(event.thread, { holds, due: ctx.time + (mean / 2 + jitter) * 1e6 });
      return lockOps(updated, rng2, holdMs);
    },
  };
}
