/**
 * What register, cas-register and kv share: describing ops, dropping crashed writes nobody could
 * have observed, and explaining an impossible read in the words a person would use.
 */
import { explainObservation } from '../explain-text.js';
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
  const observed = new Set<unknown>();
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

/**
 * Explains an impossible read or cas: the read's value, or the cas's expected value, is one the
 * register could no longer (or not yet) hold. The reasoning is in {@link explainObservation}.
 */
export function explainRegisterFailure(ctx: FailureContext<unknown>): string | undefined {
  const { failed } = ctx;
  if (failed.status !== 'ok' || (failed.f !== 'read' && failed.f !== 'cas')) return undefined;
  const needed = failed.f === 'read' ? failed.output : (failed.input as [unknown, unknown])[0];
  return explainObservation(ctx, needed, {
    initial: null,
    mayLeave: (op, v) => {
      const w = writtenValue(op);
      return w !== undefined && sameValue(w.v, v);
    },
    rulesOut: (op, v) => {
      const w = op.f === 'read' ? { v: op.output } : writtenValue(op);
      return w !== undefined && !sameValue(w.v, v);
    },
    show,
    holds: (v) => `hold ${show(v)}`,
    leaver: (v) => `op that writes ${show(v)}`,
    holder: failed.key === undefined ? 'the register' : `key ${show(failed.key)}`,
  });
}
