/**
 * A lock: `acquire` succeeds only when free, `release` only when held. One lock, or one per key.
 * A crashed acquire or release may have happened or not, like any crashed op.
 */
import { explainObservation } from '../explain-text.js';
import { partitionByKey, type FailureContext, type Model, type ModelInput, type StepResult } from '../model.js';

const ILLEGAL: StepResult<boolean> = Object.freeze({ ok: false, next: false });
const HELD: StepResult<boolean> = Object.freeze({ ok: true, next: true });
const FREE: StepResult<boolean> = Object.freeze({ ok: true, next: false });

/** Steps the lock; the state is true while held. */
export function stepMutex(held: boolean, input: ModelInput): StepResult<boolean> {
  if (input.f === 'acquire') return held ? ILLEGAL : HELD;
  if (input.f === 'release') return held ? FREE : ILLEGAL;
  return ILLEGAL;
}

/** Explains an impossible acquire (the lock could not be free) or release (it could not be held). */
function explain(ctx: FailureContext<boolean>): string | undefined {
  const { failed } = ctx;
  if (failed.status !== 'ok' || (failed.f !== 'acquire' && failed.f !== 'release')) return undefined;
  // The state is "held"; an acquire leaves it held, a release leaves it free.
  const leaves = (f: string): boolean | undefined => (f === 'acquire' ? true : f === 'release' ? false : undefined);
  return explainObservation(ctx, failed.f === 'release', {
    initial: false,
    mayLeave: (op, v) => leaves(op.f) === v,
    rulesOut: (op, v) => leaves(op.f) === !v,
    show: (v) => (v ? 'held' : 'free'),
    holds: (v) => (v ? 'be held' : 'be free'),
    leaver: (v) => (v ? 'acquire' : 'release'),
    holder: 'the lock',
    starts: 'starts free',
  });
}

/** The `mutex` model: one lock, or one per `key` when ops carry keys (named locks), each checked alone. */
export const mutex: Model<boolean> = {
  name: 'mutex',
  partition: partitionByKey,
  operations: ['acquire', 'release'],
  init: () => false,
  step: stepMutex,
  equal: (a, b) => a === b,
  hash: (s) => (s ? 1 : 0),
  describeOperation: (input, output) => `${input.f}${typeof output === 'symbol' ? ' (crashed)' : ''}`,
  describeState: (s) => (s ? 'held' : 'free'),
  explain,
};
