/**
 * Generators as values, after Jepsen's generator protocol: `op(ctx)` returns the next op and the
 * generator that follows it, or `'pending'` (nothing now, maybe later: e.g. every worker is
 * busy), or `undefined` (exhausted). `update(ctx, event)` returns the generator that has seen a
 * history event. Both are pure: the interpreter may ask `op` and then discard the answer when a
 * completion arrives first, so asking again must be safe. Time comes from the context, never from
 * a clock, which is why schedules replay from a seed and tests need no sleeps.
 */
import type { HistoryEvent, Key } from '../../src/history/index.js';

/** A worker: a fixed thread slot and the process number it currently runs as. */
export interface Worker {
  readonly thread: number;
  readonly process: number | 'nemesis';
}

/** What a generator may look at when it is asked for an op. */
export interface GenContext {
  /** Nanoseconds since the test began. */
  readonly time: number;
  /** Workers with no op outstanding, in the order the interpreter prefers to use them. */
  readonly free: readonly Worker[];
  /** How many worker threads the test has in all. */
  readonly threads: number;
}

/**
 * An op a generator wants invoked. `time` is the earliest moment (ns) it may be invoked; the
 * interpreter waits until then. `thread` pins it to a worker; when absent the interpreter picks
 * a free one.
 */
export interface GenOp {
  f: string;
  key?: Key;
  value?: unknown;
  time?: number;
  thread?: number;
}

/** A history event as a generator sees it: with the worker thread that produced it. */
export type GenEvent = HistoryEvent & { thread?: number };

/** The answer of `op`: an op and what follows it, `'pending'`, or `undefined` when exhausted. */
export type GenResult = { op: GenOp; next: Generator } | 'pending' | undefined;

/** A schedule of ops. Implementations are immutable; see the module comment. */
export interface Generator {
  op(ctx: GenContext): GenResult;
  update(ctx: GenContext, event: GenEvent): Generator;
}

/** Restricts a context to the free workers that pass a filter. */
export function restrictContext(ctx: GenContext, keep: (w: Worker) => boolean): GenContext {
  return { time: ctx.time, threads: ctx.threads, free: ctx.free.filter(keep) };
}
