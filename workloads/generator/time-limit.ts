/** `timeLimit`: a generator that stops a fixed time after its first op. */
import type { Generator, GenResult } from './generator.js';

/**
 * Passes ops through for `durationNs` from the first time it is asked, then is exhausted. An op
 * scheduled past the deadline is not given.
 */
export function timeLimit(durationNs: number, gen: Generator, deadline?: number): Generator {
  return {
    op(ctx): GenResult {
      const end = deadline ?? ctx.time + durationNs;
      if (ctx.time >= end) return undefined;
      const r = gen.op(ctx);
      if (r === undefined) return undefined;
      if (r === 'pending') return 'pending';
      if ((r.op.time ?? ctx.time) >= end) return undefined;
      return { op: r.op, next: timeLimit(durationNs, r.next, end) };
    },
    update: (ctx, event) => timeLimit(durationNs, gen.update(ctx, event), deadline),
  };
}
