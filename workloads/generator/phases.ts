/** `phases`: generators one after another, each starting only once the last one's ops completed. */
import type { Generator, GenResult } from './generator.js';

/**
 * Runs each generator until it is exhausted and every op in flight has completed, then the next:
 * the final reads, for instance, begin only after the main phase has fully drained.
 */
export function phases(...gens: Generator[]): Generator {
  return phasesFrom(gens);
}

function phasesFrom(gens: readonly Generator[]): Generator {
  return {
    op(ctx): GenResult {
      let rest = gens;
      while (rest.length > 0) {
        const r = rest[0]!.op(ctx);
        if (r === 'pending') return 'pending';
        if (r !== undefined) return { op: r.op, next: phasesFrom([r.next, ...rest.slice(1)]) };
        if (ctx.free.length < ctx.threads) return 'pending';
        rest = rest.slice(1);
      }
      return undefined;
    },
    update: (ctx, event) =>
      gens.length === 0 ? phasesFrom(gens) : phasesFrom([gens[0]!.update(ctx, event), ...gens.slice(1)]),
  };
}
