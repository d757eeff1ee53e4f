/**
 * What register, cas-register and kv share: describing ops, dropping crashed writes nobody could
 * have observed, and explaining an impossible read in the words a person would use.
 */
import { CRASHED, type FailureContext, type ModelInput } from '../model.js';
import type { Operation } from '../result.js';
import { sameValue, valueKey } from '../values.js';

/** A value as a person reads it: `null` stays null, strings are quoted. */
export function show(v: unknown): string {
  return JSON.stringify(v) ?? 'nothing';
}

/** Describes a read/write/cas op, e.g. `read -> 3`, `write 4`, `cas 1->2`, `write 5 (crashed)`. */
export function describeRegisterOp(input: ModelInput, output: unknown): string {
  const crashed = output === CRASHED ? ' (crashed)' : '';
  switch (input.f) {
    case 'read':
      return output === CRASHED ? 'read (crashed)' : `read -> ${show(output)}`;
    case 'write':
      return `write ${show(input.value)}${crashed}`;
    case 'cas': {
      const [a, b] = input.value as [unknown, unknown];
      return `cas ${show(a)}->${show(b)}${crashed}`;
    }
    default:
      return `${input.f} ${show(input.value)}${crashed}`;
  }
}

/** Names what is wrong with a register op's value, or undefined. */
export function validateRegisterOp(op: Operation): string | undefined {
  if (op.f === 'cas' && !(Array.isArray(op.input) && op.input.length === 2)) {
    return `cas needs [expected, new] as its value, got ${show(op.input)}`;
  }
  return undefined;
}

/** The value an op would leave in the register if it took effect (write v, or cas to v). */
function writtenValue(op: Operation): { v: unknown } | undefined {
  if (op.f === 'write') return { v: op.input };
  if (op.f === 'cas') return { v: (op.input as [unknown, unknown])[1] };
  return undefined;
}

/**
 * Drops crashed writes and crashed cas whose new value no op ever observed (no read returned it,
 * no cas expected it). Sound: in any linearization that includes such an op, the state it leaves
 * is never looked at before the next write, so the order without it (and without crashed cas
 * that then did nothing) is a linearization too; the converse holds because a crashed op may
 * never take effect. This removes most of the branching crashed ops cause.
 */
export function dropUnobservedCrashedWrites(ops: Operation[]): Operation[] {
  const observed = new Set<string>();
  for (const op of ops) {
    if (op.f === 'read' && op.status === 'ok') observed.add(valueKey(op.output));
    else if (op.f === 'cas') observed.add(valueKey((op.input as [unknown, unknown])[0]));
  }
  return ops.filter((op) => {
    if (op.status === 'ok') return true;
    const w = writtenValue(op);
    return w === undefined || observed.has(valueKey(w.v));
  });
}

/** Explains an impossible read or cas: what the last completed write left, and whether any write could fix it. */
export function explainRegisterFailure(ctx: FailureContext<unknown>): string | undefined {
  const { failed, ops } = ctx;
  let wanted: unknown;
  let what: string;
  if (failed.f === 'read' && failed.status === 'ok') {
    wanted = failed.output;
    what = `read ${show(wanted)}`;
  } else if (failed.f === 'cas' && failed.status === 'ok') {
    wanted = (failed.input as [unknown, unknown])[0];
    what = `cas ${show(wanted)}->${show((failed.input as [unknown, unknown])[1])} succeeded`;
  } else {
    return undefined;
  }
  const at = `(process ${failed.process}, invoked at index ${failed.invokeIndex})`;
  // The last write that completed before the failed op began is certainly in effect then.
  let last: Operation | undefined;
  for (const op of ops) {
    if (op.status !== 'ok' || op.return === null || op.return >= failed.call || !writtenValue(op)) continue;
    if (!last || op.return > (last.return as number)) last = op;
  }
  const writers = ops.filter((op) => {
    const w = writtenValue(op);
    return op !== failed && w !== undefined && sameValue(w.v, wanted) && op.call <= (failed.return ?? Infinity);
  });
  const lateWriters = writers.filter((op) => !last || op.return === null || op.return > last.call);
  const before = last
    ? `the last write that completed before it began wrote ${show(writtenValue(last)!.v)} (process ${last.process}, index ${last.invokeIndex})`
    : `no write had completed before it began, so the register held ${show(null)} or a value written concurrently`;
  const after =
    lateWriters.length === 0
      ? `and no write of ${show(wanted)} could have taken effect after it and before the ${failed.f} returned.`
      : `and the ${lateWriters.length} write(s) of ${show(wanted)} that could have taken effect in time (ops ${lateWriters
          .slice(0, 5)
          .map((o) => `#${o.id}`)
          .join(', ')}) cannot be placed there without contradicting what other operations observed.`;
  return `${what} ${at}: ${before}, ${after} The register held ${show(ctx.stateBefore)} at that point in the longest order found.`;
}
