/** `stagger`: spaces a generator's ops out in time, to give a rate. */
import type { Generator, GenResult } from './generator.js';
import { nextRandom, seedRandom, type RandomState } from './random.js';

/**
 * How far behind its schedule a stagger may fall and still catch up (ns): enough to absorb timer
 * lateness, far too little to fire a backlog at once after every worker was stuck in an outage.
 */
export const CATCH_UP_NS = 10e6;

/**
 * Delays the ops of `gen` so consecutive ops are a random 0..2*`meanNs` apart (mean `meanNs`),
 * across all workers together: `stagger(1e9 / rate, g)` issues about `rate` ops per second while
 * workers keep up. Schedules are computed from the previous op's due time, not from when it was
 * actually invoked, so timer lateness does not erode the rate; but a schedule more than
 * CATCH_UP_NS behind (every worker was blocked) restarts from now rather than bursting.
 */
export function stagger(meanNs: number, gen: Generator, seed: number): Generator {
  return staggerFrom(meanNs, gen, seedRandom(seed), undefined);
}

function staggerFrom(meanNs: number, gen: Generator, rng: RandomState, nextTime: number | undefined): Generator {
  return {
    op(ctx): GenResult {
      const r = gen.op(ctx);
      if (r === undefined || r === 'pending') return r;
      const base = nextTime === undefined || nextTime < ctx.time - CATCH_UP_NS ? ctx.time : nextTime;
      const time = Math.max(r.op.time ?? base, base);
      const [u, nextRng] = nextRandom(rng);
      return { op: { ...r.op, time }, next: staggerFrom(meanNs, r.next, nextRng, time + u * 2 * meanNs) };
    },
    update: (ctx, event) => staggerFrom(meanNs, gen.update(ctx, event), rng, nextTime),
  };
}
