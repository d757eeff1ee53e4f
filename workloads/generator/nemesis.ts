/**
 * `withNemesis`: the client generator and the nemesis generator side by side in one schedule,
 * as Jepsen's `gen/nemesis`. The nemesis is a special process (thread NEMESIS_THREAD, process
 * "nemesis") that the interpreter drives like any worker: its ops are invoked, recorded as an
 * `invoke` when the fault starts and an `info` when it has been applied, and fed back. Each side
 * sees only its own workers, so client combinators never hand an op to the nemesis or back.
 */
import type { GenContext, GenEvent, Generator, GenResult, Worker } from './generator.js';

/** The nemesis process's thread number (client threads are 0..threads-1). */
export const NEMESIS_THREAD = -1;

/** The nemesis worker as a generator sees it. */
export const NEMESIS_WORKER: Worker = { thread: NEMESIS_THREAD, process: 'nemesis' };

const clientSide = (ctx: GenContext): GenContext => ({
  time: ctx.time,
  threads: ctx.threads,
  free: ctx.free.filter((w) => w.thread !== NEMESIS_THREAD),
});

const nemesisSide = (ctx: GenContext): GenContext => ({
  time: ctx.time,
  threads: 1,
  free: ctx.free.filter((w) => w.thread === NEMESIS_THREAD),
});

/**
 * Runs `clients` on the client workers and `nemesis` on the nemesis process; whichever op is due
 * first is given first. Exhausted when both are.
 */
export function withNemesis(clients: Generator | undefined, nemesis: Generator | undefined): Generator {
  return {
    op(ctx): GenResult {
      const c = clients?.op(clientSide(ctx));
      const n = nemesis?.op(nemesisSide(ctx));
      const cOp = typeof c === 'object' ? c : undefined;
      const nOp = typeof n === 'object' ? n : undefined;
      if (nOp && (!cOp || (nOp.op.time ?? ctx.time) <= (cOp.op.time ?? ctx.time))) {
        return { op: { ...nOp.op, thread: NEMESIS_THREAD }, next: withNemesis(clients, nOp.next) };
      }
      if (cOp) {
        // An op that names no thread goes to a free client worker: left to the interpreter it could
        // land on the nemesis process, which takes no client ops.
        const thread = cOp.op.thread ?? clientSide(ctx).free[0]?.thread;
        if (thread === undefined) return 'pending';
        return { op: { ...cOp.op, thread }, next: withNemesis(cOp.next, nemesis) };
      }
      if (c === 'pending' || n === 'pending') return 'pending';
      return undefined;
    },
    update(ctx, event: GenEvent) {
      if (event.process === 'nemesis') return withNemesis(clients, nemesis?.update(nemesisSide(ctx), event));
      return withNemesis(clients?.update(clientSide(ctx), event), nemesis);
    },
  };
}
