/** `limit`: at most n ops from a generator. */
import type { Generator, GenResult } from './generator.js';

/** Passes through the first `n` ops of `gen`, then is exhausted. */
export function limit(n: number, gen: Generator): Generator {
  return {
    op(ctx): GenResult {
      if (n <= 0) return undefined;
      const r = gen.op(ctx);
      if (r === undefined || r === 'pending') return r;
      return { op: r.op, next: limit(n - 1, r.next) };
    },
    update: (ctx, event) => limit(n, gen.update(ctx, event)),
  };
}
