/**
 * The sentences of a counterexample's explanation, shared by the models' `explain` hooks and the
 * generic text. Every sentence states a fact read off the history (which op completed before
 * which began, who wrote what); the checker's verdict is what proves the violation, and the text
 * says so where it leans on it. Ops are named and times formatted by the context, so the HTML
 * report can name only the ops it draws and use its own time format.
 */
import type { FailureContext } from './model.js';
import type { Operation } from './result.js';
import { sameValue } from './values.js';

/** Formats a history time (ns) in the unit a person reads best, e.g. `12.5 ms`. */
export function describeNs(ns: number): string {
  const a = Math.abs(ns);
  if (a < 1e3) return `${ns} ns`;
  if (a < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (a < 1e9) return `${(ns / 1e6).toFixed(1)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

/**
 * A "time" that is only a position in the history file (imported logs number their lines), as
 * the explanation should say it: `position 775`, never `775 ns`.
 */
export function describePosition(position: number): string {
  return `position ${position}`;
}

/** The model's explanation of a failure, or the generic one when it has none for this op. */
export function explainWith<S>(
  explain: ((ctx: FailureContext<S>) => string | undefined) | undefined,
  ctx: FailureContext<S>,
): string {
  return explain?.(ctx) ?? explainGeneric(ctx);
}

/**
 * An op for a sentence: `write 35 (op 12)`, `write 5 (op 3, crashed)`, or `write 35 (not
 * shown)` for an op the text may not name.
 */
export function refer(ctx: FailureContext<unknown>, op: Operation): string {
  const name = ctx.name(op) ?? 'not shown';
  const d = ctx.describe(op);
  // Fold a description's own trailing remark, e.g. "(crashed)", into the one parenthesis.
  const m = / \(([^()]*)\)$/.exec(d);
  return m ? `${d.slice(0, m.index)} (${name}, ${m[1]})` : `${d} (${name})`;
}

/** The failed op with who ran it and when, e.g. `read -> 3 (op 4, process 1, between 40 ns and 50 ns)`. */
export function headOf(ctx: FailureContext<unknown>): string {
  const { failed: f } = ctx;
  const name = ctx.name(f);
  const when =
    f.return === null ? `invoked at ${ctx.time(f.call)}` : `between ${ctx.time(f.call)} and ${ctx.time(f.return)}`;
  return `${ctx.describe(f)} (${name === undefined ? '' : `${name}, `}process ${f.process}, ${when})`;
}

/** A list of ops for a sentence: at most `max` named ones, then counts of the rest. */
export function listOps(ctx: FailureContext<unknown>, ops: readonly Operation[], max = 4): string {
  const named = ops.filter((op) => ctx.name(op) !== undefined);
  const unnamed = ops.length - named.length;
  const parts = named.slice(0, max).map((op) => refer(ctx, op));
  if (named.length > max) parts.push(`${named.length - max} more`);
  if (unnamed > 0) parts.push(`${unnamed} op${unnamed === 1 ? '' : 's'} not shown`);
  return parts.join(', ');
}

/**
 * A neutral, true closing: where the checker's longest order ended and how many ops overlap the
 * failed one. Used when no simpler reason can be read off the history.
 */
export function verdictSentence(ctx: FailureContext<unknown>): string {
  const { prefix, concurrent } = ctx;
  const last = prefix.at(-1);
  const order =
    prefix.length === 0
      ? `The checker found no op that can be ordered before it, so it is impossible from the initial state ${ctx.state}`
      : `The longest order the checker found places ${prefix.length} op${prefix.length === 1 ? '' : 's'}` +
        (last ? `, ending with ${refer(ctx, last)},` : '') +
        ` and leaves the state ${ctx.state}, where it is impossible`;
  const nameable = concurrent.filter((op) => ctx.name(op) !== undefined);
  const overlap =
    concurrent.length === 0
      ? 'no other op overlaps it in time'
      : `no order of the ${concurrent.length} op${concurrent.length === 1 ? '' : 's'} overlapping it` +
        (nameable.length > 0 ? ` (${listOps(ctx, nameable, 5)})` : '') +
        ' makes it legal';
  return `${order}; ${overlap}.`;
}

function explainGeneric(ctx: FailureContext<unknown>): string {
  return `${headOf(ctx)} cannot be linearized. ${verdictSentence(ctx)}`;
}

/** How one model's values come and go, for {@link explainObservation}. */
export interface ValueRules {
  /** The value before any op. */
  initial: unknown;
  /** True when `op`, taking effect, may leave the object holding exactly `v`. */
  mayLeave(op: Operation, v: unknown): boolean;
  /** True when the object certainly does not hold `v` right after `op` (ok, completed) takes effect. */
  rulesOut(op: Operation, v: unknown): boolean;
  /** A value in words, e.g. `34` or `"xy"`. */
  show(v: unknown): string;
  /** The end of "so X could no longer ...", e.g. `hold 34` or `be free`. */
  holds(v: unknown): string;
  /** An op that may leave `v`, in words: `op that writes 34`, `acquire`. */
  leaver(v: unknown): string;
  /** What holds the value, e.g. `the register`, `key "k"`, `the lock`. */
  holder: string;
  /** How the initial value is said after the holder; default `starts at <initial>`. */
  starts?: string;
}

/**
 * Explains an op that needed the object to hold `v` (a read that returned it, a cas that expected
 * it, an acquire that needed the lock free). It leads with the cause when a plain one exists, in
 * this order:
 * - no op that could leave `v` began before the failed op returned (and `v` is not the initial
 *   value): it says there is none, or that every one began too late;
 * - a witness op X completed before the failed op began, began after every op that could leave
 *   `v` (and began before the failed op returned) had completed, and left or saw something other
 *   than `v`: it names X and when it completed, then the writes of `v` X came after, since from
 *   X's point on nothing could bring `v` back;
 * and otherwise it lists the ops that could leave `v` and ends with the checker's verdict.
 */
export function explainObservation(ctx: FailureContext<unknown>, v: unknown, rules: ValueRules): string {
  const { failed, ops } = ctx;
  const head = headOf(ctx);
  const end = failed.return ?? Infinity;
  const leavers = ops.filter((op) => op.id !== failed.id && rules.mayLeave(op, v));
  // Only an op invoked before the failed one returned can take effect before it.
  const timely = leavers.filter((op) => op.call <= end);
  const initial = sameValue(v, rules.initial);
  const leaver = rules.leaver(v);
  const starts = `${rules.holder} ${rules.starts ?? `starts at ${rules.show(rules.initial)}`}`;

  if (!initial && timely.length === 0) {
    return leavers.length === 0
      ? `There is no ${leaver} in the history, and ${starts}, so ${head} is impossible.`
      : `Every ${leaver} (${listOps(ctx, leavers)}) began after ${head} returned, and ${starts}, ` +
          `so the ${failed.f} is impossible.`;
  }

  const witness = staleWitness(ctx, v, rules, timely);
  if (witness) {
    const done = ctx.time(witness.return as number);
    const lead = `${subjectOf(ctx)} began at ${ctx.time(failed.call)}, after ${refer(ctx, witness)} by process ${witness.process} had completed at ${done}`;
    const between =
      leavers.length === 0
        ? `there is no ${leaver} in the history`
        : timely.length === 0
          ? `no ${leaver} began before the ${failed.f} returned`
          : `no ${leaver} ran in between, as ${refer(ctx, witness)} began after ` +
            (timely.length === 1
              ? `${refer(ctx, timely[0]!)} had completed`
              : `every one that began before the ${failed.f} returned (${listOps(ctx, timely)}) had completed`);
    const upTo = failed.return === null ? '' : `, up to the ${failed.f}'s return at ${ctx.time(failed.return)}`;
    return `${lead}; ${between}. So ${rules.holder} could no longer ${rules.holds(v)} after ${done}${upTo}.`;
  }

  // No plain reason: state who could leave the value, and let the verdict speak.
  // The ones nearest the failed op matter most: name the last four to begin.
  const shown = timely.filter((op) => ctx.name(op) !== undefined).sort((a, b) => a.call - b.call);
  const facts = shown.slice(-4).map((op) => `${refer(ctx, op)}, ${statusOf(ctx, op, failed)}`);
  if (shown.length > 4) facts.unshift(`${shown.length - 4} earlier`);
  if (shown.length < timely.length)
    facts.push(`${timely.length - shown.length} op${timely.length - shown.length === 1 ? '' : 's'} not shown`);
  const who = [
    ...(initial ? [starts] : []),
    ...(timely.length === 0 ? [] : [`the ops that could leave it so before it returned are ${facts.join('; ')}`]),
  ].join('; ');
  return `${head} cannot be linearized. It needs ${rules.holder} to ${rules.holds(v)}; ${who}. ${verdictSentence(ctx)}`;
}

/**
 * The op that made the failed op's view stale, or undefined: an op (ok) that completed before the
 * failed op began, began after every op in `timely` (those that could leave `v` in time) had
 * completed, and certainly left or saw something other than `v`. From its point on nothing could
 * bring `v` back before the failed op. A write reads best; among equals, the one closest to the
 * failed op, preferring ops the text may name.
 */
function staleWitness(
  ctx: FailureContext<unknown>,
  v: unknown,
  rules: ValueRules,
  timely: readonly Operation[],
): Operation | undefined {
  const { failed, ops } = ctx;
  // A witness must begin after the last of them completed (none can, when one never completed).
  let lastDone = -Infinity;
  for (const w of timely) lastDone = Math.max(lastDone, w.return ?? Infinity);
  const witnesses = ops.filter(
    (x) =>
      x.id !== failed.id &&
      x.status === 'ok' &&
      x.return !== null &&
      x.return < failed.call &&
      x.call > lastDone &&
      rules.rulesOut(x, v),
  );
  const named = witnesses.filter((x) => ctx.name(x) !== undefined);
  const pool = named.length > 0 ? named : witnesses;
  const changes = pool.filter((x) => !isObservation(x));
  return (changes.length > 0 ? changes : pool).reduce<Operation | undefined>(
    (best, x) => (best === undefined || (x.return as number) > (best.return as number) ? x : best),
    undefined,
  );
}

/** The failed op as the subject of a sentence, with who ran it: `read -> 3 (op 4, process 1)`. */
function subjectOf(ctx: FailureContext<unknown>): string {
  const { failed: f } = ctx;
  const name = ctx.name(f);
  return `${ctx.describe(f)} (${name === undefined ? '' : `${name}, `}process ${f.process})`;
}

/** True for ops that only look at the state (their point proves what it held, not a change). */
function isObservation(op: Operation): boolean {
  return op.f === 'read' || op.f === 'get';
}

/** When an op ran relative to the failed op, in words. */
function statusOf(ctx: FailureContext<unknown>, op: Operation, failed: Operation): string {
  if (op.return === null) return `invoked at ${ctx.time(op.call)}, outcome unknown`;
  if (op.return < failed.call) return `completed at ${ctx.time(op.return)}, before it began`;
  return `running between ${ctx.time(op.call)} and ${ctx.time(op.return)}, overlapping it`;
}
