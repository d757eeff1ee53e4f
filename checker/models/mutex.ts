/**
 * A lock: `acquire` succeeds only when free, `release` only when held. One object, not keyed.
 * A crashed acquire or release may have happened or not, like any crashed op.
 */
import type { Model, ModelInput, StepResult } from '../model.js';

const ILLEGAL: StepResult<boolean> = Object.freeze({ ok: false, next: false });
const HELD: StepResult<boolean> = Object.freeze({ ok: true, next: true });
const FREE: StepResult<boolean> = Object.freeze({ ok: true, next: false });

/** Steps the lock; the state is true while held. */
export function stepMutex(held: boolean, input: ModelInput): StepResult<boolean> {
  if (input.f === 'acquire') return held ? ILLEGAL : HELD;
  if (input.f === 'release') return held ? FREE : ILLEGAL;
  return ILLEGAL;
}

/** The `mutex` model. */
export const mutex: Model<boolean> = {
  name: 'mutex',
  operations: ['acquire', 'release'],
  init: () => false,
  step: stepMutex,
  equal: (a, b) => a === b,
  hash: (s) => (s ? 1 : 0),
  describeOperation: (input, output) => `${input.f}${typeof output === 'symbol' ? ' (crashed)' : ''}`,
  describeState: (s) => (s ? 'held' : 'free'),
};
