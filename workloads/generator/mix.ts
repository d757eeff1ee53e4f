/** `mix`: a random choice among generators for every op. */
import type { Generator, GenResult } from './generator.js';
import { nextInt, seedRandom, type RandomState } from './random.js';

/**
 * Each op comes from one of `gens` chosen at random (seeded); an exhausted generator drops out,
 * and the mix is exhausted when all are.
 */
export function mix(gens: readonly Generator[], seed: number): Generator {
  return mixFrom(gens, seedRandom(seed));
}

function mixFrom(gens: readonly Generator[], rng: RandomState): Generator {
  return {
    op(ctx): GenResult {
      let live = gens;
      let state = rng;
      while (live.length > 0) {
        const [i, nextState] = nextInt(state, live.length);
        state = nextState;
        const r = live[i]!.op(ctx);
        if (r === 'pending') return 'pending';
        if (r !== undefined) {
          const replaced = live.slice();
          replaced[i] = r.next;
          return { op: r.op, next: mixFrom(replaced, state) };
        }
        live = live.filter((_, j) => j !== i);
      }
      return undefined;
    },
    update: (ctx, event) =>
      mixFrom(
        gens.map((g) => g.update(ctx, event)),
        rng,
      ),
  };
}
