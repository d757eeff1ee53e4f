/**
 * The leaves of a schedule: an endless stream of ops drawn from a seeded function, a fixed
 * sequence of ops, and the empty generator.
 */
import type { GenContext, GenOp, Generator, GenResult } from './generator.js';
import { seedRandom, type RandomState } from './random.js';

/** Draws one op from a random state, returning it with the next state. */
export type OpSource = (rng: RandomState) => [GenOp, RandomState];

/** An endless generator: whenever a worker is free, the next op drawn from `source`. */
export function repeat(source: OpSource, seed: number): Generator {
  return repeatFrom(source, seedRandom(seed));
}

function repeatFrom(source: OpSource, rng: RandomState): Generator {
  const self: Generator = {
    op(ctx: GenContext): GenResult {
      if (ctx.free.length === 0) return 'pending';
      const [op, nextRng] = source(rng);
      return { op, next: repeatFrom(source, nextRng) };
    },
    update: () => self,
  };
  return self;
}

/** Emits the given ops once each, in order, as workers become free. */
export function sequence(ops: readonly GenOp[]): Generator {
  return sequenceFrom(ops, 0);
}

function sequenceFrom(ops: readonly GenOp[], at: number): Generator {
  const self: Generator = {
    op(ctx: GenContext): GenResult {
      if (at >= ops.length) return undefined;
      const op = ops[at]!;
      if (op.thread !== undefined ? !ctx.free.some((w) => w.thread === op.thread) : ctx.free.length === 0) {
        return 'pending';
      }
      return { op, next: sequenceFrom(ops, at + 1) };
    },
    update: () => self,
  };
  return self;
}

/** A generator with nothing to give. */
export const empty: Generator = { op: () => undefined, update: () => empty };

/** An op due a fixed time (ns) after a timeline starts. */
export interface TimedOp {
  at: number;
  op: GenOp;
}

/**
 * Emits the given ops in order, each due `at` ns after `originNs` on the run's clock (a schedule
 * planned as data, such as the nemesis's). The origin is fixed up front: an interpreter may ask,
 * wait until the op is due and ask again, and the answer must not move.
 */
export function timeline(ops: readonly TimedOp[], originNs: number): Generator {
  return timelineFrom(ops, 0, originNs);
}

function timelineFrom(ops: readonly TimedOp[], at: number, origin: number): Generator {
  const self: Generator = {
    op(ctx: GenContext): GenResult {
      if (at >= ops.length) return undefined;
      if (ctx.free.length === 0) return 'pending';
      const { at: offset, op } = ops[at]!;
      return { op: { ...op, time: origin + offset }, next: timelineFrom(ops, at + 1, origin) };
    },
    update: () => self,
  };
  return self;
}
