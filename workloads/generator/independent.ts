/**
 * `independent`: lifts a single-object generator to many keys, as Jepsen's independent.clj does.
 * Worker threads are split into groups of `threadsPerKey`; each group works on one key at a time
 * with a fresh generator from `perKey(key)`, and when that generator is exhausted the group moves
 * on to a key no one has used. Every key's sub-history stays small, so it checks fast.
 */
import type { Key } from '../../src/history/index.js';
import { restrictContext, type GenContext, type Generator, type GenResult } from './generator.js';

/** How to lift a generator to independent keys. */
export interface IndependentOptions {
  /** Worker threads working on one key at once. */
  threadsPerKey: number;
  /** A fresh generator for a key (bounded: when exhausted the group takes a new key). */
  perKey: (key: number) => Generator;
}

interface Group {
  key: number;
  gen: Generator;
}

/** Builds the keyed generator; `threads` is the total number of worker threads. */
export function independent(threads: number, opts: IndependentOptions): Generator {
  const count = Math.max(1, Math.ceil(threads / opts.threadsPerKey));
  const groups: Group[] = [];
  for (let g = 0; g < count; g++) groups.push({ key: g, gen: opts.perKey(g) });
  return independentFrom(opts, groups, count, 0);
}

function independentFrom(
  opts: IndependentOptions,
  groups: readonly Group[],
  nextKey: number,
  start: number,
): Generator {
  const groupOf = (thread: number): number => Math.floor(thread / opts.threadsPerKey) % groups.length;
  return {
    op(ctx: GenContext): GenResult {
      const updated = groups.slice();
      let fresh = nextKey;
      for (let n = 0; n < updated.length; n++) {
        const g = (start + n) % updated.length;
        const sub = restrictContext(ctx, (w) => groupOf(w.thread) === g);
        if (sub.free.length === 0) continue;
        // A group whose key is exhausted takes fresh keys until one gives an op; the bound keeps a
        // perKey that is empty from the start from spinning forever.
        for (let tries = 0; tries < 3; tries++) {
          const r = updated[g]!.gen.op(sub);
          if (r === 'pending') break;
          if (r !== undefined) {
            updated[g] = { key: updated[g]!.key, gen: r.next };
            const thread = r.op.thread ?? sub.free[0]!.thread;
            const key: Key = updated[g]!.key;
            return {
              op: { ...r.op, key, thread },
              next: independentFrom(opts, updated, fresh, (g + 1) % updated.length),
            };
          }
          updated[g] = { key: fresh, gen: opts.perKey(fresh) };
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
      updated[g] = { key: groups[g]!.key, gen: groups[g]!.gen.update(ctx, event) };
      return independentFrom(opts, updated, nextKey, start);
    },
  };
}
