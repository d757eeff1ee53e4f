/**
 * `independent`: lifts a single-object generator to many keys, as Jepsen's independent.clj does.
 * Worker threads are split into groups of `threadsPerKey`; each group works on one key at a time
 * with a fresh generator from `perKey(key)`, and when that generator is exhausted the group moves
 * on to a key no one has used. Every key's sub-history stays small, so it checks fast.
 *
 * With `revisit`, a share of each group's ops goes instead to one of the last keys the group left:
 * nobody writes those any more, so a read of one shows at once whether the cluster still holds
 * its last acknowledged write (after every node crashed, say), with no new write racing to hide
 * the loss, and without waiting for the final reads.
 */
import type { Key } from '../../src/history/index.js';
import { restrictContext, type GenContext, type GenOp, type Generator, type GenResult } from './generator.js';
import { nextInt, nextRandom, seedRandom, type RandomState } from './random.js';

/** Re-reads of the keys a group has left. */
export interface RevisitOptions {
  /** The op sent to a left key (its key is set here), e.g. a read. */
  op: GenOp;
  /** Share of a group's ops that revisit, 0..1. */
  share: number;
  /** How many of the group's most recently left keys are revisited. */
  keys: number;
  seed: number;
}

/** How to lift a generator to independent keys. */
export interface IndependentOptions {
  /** Worker threads working on one key at once. */
  threadsPerKey: number;
  /** A fresh generator for a key (bounded: when exhausted the group takes a new key). */
  perKey: (key: number) => Generator;
  /** Re-reads of left keys; none when absent. */
  revisit?: RevisitOptions;
}

interface Group {
  key: number;
  gen: Generator;
  /** Keys this group left, most recent last (at most `revisit.keys`). */
  left: readonly number[];
}

/** Builds the keyed generator; `threads` is the total number of worker threads. */
export function independent(threads: number, opts: IndependentOptions): Generator {
  const count = Math.max(1, Math.ceil(threads / opts.threadsPerKey));
  const groups: Group[] = [];
  for (let g = 0; g < count; g++) groups.push({ key: g, gen: opts.perKey(g), left: [] });
  return independentFrom(opts, groups, count, 0, seedRandom(opts.revisit?.seed ?? 0));
}

function independentFrom(
  opts: IndependentOptions,
  groups: readonly Group[],
  nextKey: number,
  start: number,
  rng: RandomState,
): Generator {
  const groupOf = (thread: number): number => Math.floor(thread / opts.threadsPerKey) % groups.length;
  return {
    op(ctx: GenContext): GenResult {
      const updated = groups.slice();
      let fresh = nextKey;
      let draws = rng;
      for (let n = 0; n < updated.length; n++) {
        const g = (start + n) % updated.length;
        const sub = restrictContext(ctx, (w) => groupOf(w.thread) === g);
        if (sub.free.length === 0) continue;
        const revisit = opts.revisit;
        const left = updated[g]!.left;
        if (revisit !== undefined && left.length > 0) {
          const [u, afterU] = nextRandom(draws);
          draws = afterU;
          if (u < revisit.share) {
            const [i, afterI] = nextInt(draws, left.length);
            return {
              op: { ...revisit.op, key: left[i]!, thread: sub.free[0]!.thread },
              next: independentFrom(opts, updated, fresh, (g + 1) % updated.length, afterI),
            };
          }
        }
        // A group whose key is exhausted takes fresh keys until one gives an op; the bound keeps a
        // perKey that is empty from the start from spinning forever.
        for (let tries = 0; tries < 3; tries++) {
          const r = updated[g]!.gen.op(sub);
          if (r === 'pending') break;
          if (r !== undefined) {
            updated[g] = { ...updated[g]!, gen: r.next };
            const thread = r.op.thread ?? sub.free[0]!.thread;
            const key: Key = updated[g]!.key;
            return {
              op: { ...r.op, key, thread },
              next: independentFrom(opts, updated, fresh, (g + 1) % updated.length, draws),
            };
          }
          const keep =
            revisit === undefined || revisit.keys <= 0 ? [] : [...left, updated[g]!.key].slice(-revisit.keys);
          updated[g] = { key: fresh, gen: opts.perKey(fresh), left: keep };
          fresh++;
        }
      }
      return 'pending';
    },
    update(ctx, event) {
      if (event.thread === undefined || event.key === undefined) return this;
      const g = groupOf(event.thread);
      if (groups[g]!.key !== event.key) return this;
      const updated = groups.slice();
      updated[g] = { ...groups[g]!, gen: groups[g]!.gen.update(ctx, event) };
      return independentFrom(opts, updated, nextKey, start, rng);
    },
  };
}
