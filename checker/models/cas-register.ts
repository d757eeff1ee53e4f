/**
 * A register with compare-and-set: `read`, `write`, and `cas` [expected, new], which succeeds
 * (ok) only when the register holds `expected`. A failed cas is a `fail` event and never reaches
 * the model. One object, not keyed.
 */
import { CRASHED, type Model, type ModelInput, type StepResult } from '../model.js';
import { sameValue } from '../values.js';
import {
  describeRegisterOp,
  dropUnobservedCrashedWrites,
  explainRegisterFailure,
  show,
  validateRegisterOp,
} from './register-family.js';
import { stepRegister } from './register.js';

const ILLEGAL: StepResult<unknown> = Object.freeze({ ok: false, next: undefined });

/** Steps a cas register. A crashed cas is legal in any state and swaps only if the state matched. */
export function stepCasRegister(state: unknown, input: ModelInput, output: unknown): StepResult<unknown> {
  if (input.f !== 'cas') return stepRegister(state, input, output);
  const [expected, next] = input.value as [unknown, unknown];
  if (sameValue(state, expected)) return { ok: true, next };
  return output === CRASHED ? { ok: true, next: state } : ILLEGAL;
}

/** The `cas-register` model. */
export const casRegister: Model<unknown> = {
  name: 'cas-register',
  operations: ['read', 'write', 'cas'],
  init: () => null,
  step: stepCasRegister,
  readOnly: (input) => input.f === 'read',
  simplify: dropUnobservedCrashedWrites,
  validate: validateRegisterOp,
  describeOperation: describeRegisterOp,
  describeState: show,
  explain: explainRegisterFailure,
};
