/**
 * A read/write register: `read` null -> v (null = never written), `write` v -> v. One object, not
 * keyed. The simplest model, and the template for writing your own.
 */
import { CRASHED, type Model, type ModelInput, type StepResult } from '../model.js';
import { sameValue } from '../values.js';
import { describeRegisterOp, dropUnobservedCrashedWrites, explainRegisterFailure, show } from './register-family.js';

const ILLEGAL: StepResult<unknown> = Object.freeze({ ok: false, next: undefined });

/** Steps a register: reads must see the state; writes replace it. */
export function stepRegister(state: unknown, input: ModelInput, output: unknown): StepResult<unknown> {
  switch (input.f) {
    case 'read':
      return output === CRASHED || sameValue(state, output) ? { ok: true, next: state } : ILLEGAL;
    case 'write':
      return { ok: true, next: input.value };
    default:
      return ILLEGAL;
  }
}

/** The `register` model. */
export const register: Model<unknown> = {
  name: 'register',
  operations: ['read', 'write'],
  init: () => null,
  step: stepRegister,
  readOnly: (input) => input.f === 'read',
  simplify: dropUnobservedCrashedWrites,
  describeOperation: describeRegisterOp,
  describeState: show,
  explain: explainRegisterFailure,
};
