/**
 * Nemesis generators as values (Jepsen's generator protocol, cut down to what a nemesis needs).
 * `op(ctx)` returns the next op, stamped with the time it is due, together with the generator
 * that follows it, or undefined when the generator is exhausted. Nothing here sleeps or reads a
 * clock: the context carries the time, and the interpreter (run-nemesis.ts) does the waiting.
 */
import type { NemesisOp } from './nemesis.js';

/** What a generator sees when asked for its next op. */
export interface GeneratorContext {
  /** Nanoseconds since the test began, from the run's monotonic clock. */
  time: number;
}

/** An op together with the time (ns since the test began) at which it should be invoked. */
export interface ScheduledOp extends NemesisOp {
  time: number;
}

/** One step of a generator: the op due next, and the generator after it. */
export interface GeneratorStep {
  op: ScheduledOp;
  next: NemesisGenerator;
}

/** An immutable source of nemesis ops. */
export interface NemesisGenerator {
  op(ctx: GeneratorContext): GeneratorStep | undefined;
}

/** Makes a generator that yields the given ops in order, each due at once. */
export function listGenerator(ops: readonly NemesisOp[]): NemesisGenerator {
  return {
    op(ctx) {
      const [first, ...rest] = ops;
      return first === undefined ? undefined : { op: { ...first, time: ctx.time }, next: listGenerator(rest) };
    },
  };
}

/** Makes a generator that runs each generator to exhaustion, then the next. */
export function phases(...gens: readonly NemesisGenerator[]): NemesisGenerator {
  return {
    op(ctx) {
      const [first, ...rest] = gens;
      if (first === undefined) return undefined;
      const step = first.op(ctx);
      if (step === undefined) return phases(...rest).op(ctx);
      return { op: step.op, next: phases(step.next, ...rest) };
    },
  };
}

/** Makes a generator that ends once an op would be due at or after `endNs`. */
export function untilTime(endNs: number, gen: NemesisGenerator): NemesisGenerator {
  return {
    op(ctx) {
      const step = gen.op(ctx);
      if (step === undefined || step.op.time >= endNs) return undefined;
      return { op: step.op, next: untilTime(endNs, step.next) };
    },
  };
}

/**
 * Runs a generator against a simulated clock in which every op completes instantly, collecting
 * at most `limit` ops. For tests and `describe` output: it shows what a seed will do.
 */
export function simulate(gen: NemesisGenerator, limit: number, startNs = 0): ScheduledOp[] {
  const out: ScheduledOp[] = [];
  let ctx: GeneratorContext = { time: startNs };
  let g: NemesisGenerator = gen;
  while (out.length < limit) {
    const step = g.op(ctx);
    if (step === undefined) break;
    out.push(step.op);
    ctx = { time: Math.max(ctx.time, step.op.time) };
    g = step.next;
  }
  return out;
}
