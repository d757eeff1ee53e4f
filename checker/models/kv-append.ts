/**
 * A string per `key`, initially "": `get` null -> s, `put` s -> s (replace), `append` s -> s
 * (concatenate). Porcupine's kv model; checked key by key.
 */
import { CRASHED, partitionByKey, type Model, type ModelInput, type StepResult } from '../model.js';
import type { Operation } from '../result.js';

const ILLEGAL: StepResult<string> = Object.freeze({ ok: false, next: '' });

/** Steps one key's string. */
export function stepKvAppend(state: string, input: ModelInput, output: unknown): StepResult<string> {
  switch (input.f) {
    case 'get':
      return output === CRASHED || output === state ? { ok: true, next: state } : ILLEGAL;
    case 'put':
      return { ok: true, next: input.value as string };
    case 'append':
      return { ok: true, next: state + (input.value as string) };
    default:
      return ILLEGAL;
  }
}

/**
 * Hashes a state by its length and last 32 characters: O(1) however long the string grows (a
 * full hash would cost O(length) per step), and consistent with ===, which settles collisions.
 */
function hashTail(s: string): number {
  let h = Math.imul(s.length, 0x9e3779b1);
  for (let i = Math.max(0, s.length - 32); i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

function validate(op: Operation): string | undefined {
  if (op.key === undefined) return `kv-append ops need a "key"`;
  if (op.f !== 'get' && typeof op.input !== 'string') return `${op.f} needs a string value, got ${JSON.stringify(op.input)}`;
  if (op.f === 'get' && op.status === 'ok' && typeof op.output !== 'string') {
    return `get must return a string, got ${JSON.stringify(op.output)}`;
  }
  return undefined;
}

/** The `kv-append` model. */
export const kvAppend: Model<string> = {
  name: 'kv-append',
  operations: ['get', 'put', 'append'],
  init: () => '',
  step: stepKvAppend,
  equal: (a, b) => a === b,
  hash: hashTail,
  partition: partitionByKey,
  readOnly: (input) => input.f === 'get',
  validate,
  describeOperation: (input, output) =>
    input.f === 'get'
      ? output === CRASHED
        ? 'get (crashed)'
        : `get -> ${JSON.stringify(output)}`
      : `${input.f} ${JSON.stringify(input.value)}${output === CRASHED ? ' (crashed)' : ''}`,
  describeState: (s) => JSON.stringify(s),
};
