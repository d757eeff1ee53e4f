/** `stagger`: spaces a generator's ops out in time, to give a rate. */
import type { Generator, GenResult } from './generator.js';
import { nextRandom, seedRandom, type RandomState } from './random.js';

/**
 * Delays the ops of `gen` so consecutive ops are a random 0..2*`meanNs` apart (mean `meanNs`),
 * across all workers together: `stagger(1e9 / rate, g)` issues about `rate` ops per second while
 * workers keep up. As in Jepsen, falling behind does not cause a catch-up burst.
 */
export function stagger(meanNs: number, gen: Generator, seed: number): Generator {
  return staggerFrom(meanNs, gen, seedRandom(seed), undefined);
}

function staggerFrom(meanNs: number, gen: Generator, rng: RandomState, nextTime: number | undefined): Generator {
  return {
    op(ctx): GenResult {
      const r = gen.op(ctx);
      if (r === undefined || r === 'pending') return r;
      const time = Math.max(r.op.time ?? ctx.time, nextTime ?? ctx.time, ctx.time);
      const [u, nextRng] = nextRandom(rng);
      return { op: { ...r.op, time }, next: staggerFrom(meanNs, r.next, nextRng, time + u * 2 * meanNs) };
    },
    update: (ctx, event) => staggerFrom(meanNs, gen.update(ctx, event), rng, nextTime),
  };
}
