/**
 * A usage error: a bad flag, value or combination, found before anything starts. Every command
 * throws it with one line naming the option, the bad value and the valid choices; main.ts prints
 * that line and exits 64.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Returns `value` when it is one of `choices`; otherwise throws a UsageError listing them. */
export function oneOf<T extends string>(option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value))
    throw new UsageError(`--${option}: unknown value '${value}'; choose one of: ${choices.join(', ')}`);
  return value as T;
}
