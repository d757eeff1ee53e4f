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

/**
 * Like `limit`, but an op that completes `fail` is given back: it certainly did nothing, so
 * refusals during an outage (not leader, connection refused) do not use up a key's ops.
 */
export function budget(n: number, gen: Generator): Generator {
  return {
    op(ctx): GenResult {
      if (n <= 0) return undefined;
      const r = gen.op(ctx);
      if (r === undefined || r === 'pending') return r;
      return { op: r.op, next: budget(n - 1, r.next) };
    },
    update: (ctx, event) => budget(event.type === 'fail' ? n + 1 : n, gen.update(ctx, event)),
  };
}
