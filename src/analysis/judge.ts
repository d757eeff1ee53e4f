/**
 * Checkers and judging: a checker turns a history into a verdict; judging runs one so that a
 * checker that throws gives `unknown` with its cause instead of ending the run (Jepsen's
 * check-safe).
 */
import {
  check,
  MalformedHistoryError,
  type CheckOptions,
  type CheckResult,
  type HistoryEvent,
  type Model,
} from '../../checker/index.js';
import { oneLine } from './one-line.js';

/** Judges a history with a model (the workload's); resolves with the verdict. */
export type Checker = (events: readonly HistoryEvent[], context: { model: string }) => Promise<CheckResult>;

/**
 * The linearizability checker (WGL search) with the given budget and labels; the model comes from
 * the workload. It searches every key by default (`everyKey`), so results.json can time the
 * first anomaly over all keys rather than on the counterexample's key alone.
 */
export function linearizabilityChecker(options: Omit<CheckOptions, 'model'> = {}): Checker {
  return (events, { model }) => check(events, { everyKey: true, ...options, model });
}

/**
 * The linearizability checker with a user-written model (see checker's Model: init, step, and
 * the optional explain hook) instead of the workload's built-in one. The ops' `f` names are the
 * model's; the model's own name is recorded in the results. Searches every key by default too.
 */
export function modelChecker<S>(model: Model<S>, options: Omit<CheckOptions<S>, 'model'> = {}): Checker {
  return (events) => check(events, { everyKey: true, ...options, model });
}

/**
 * Runs a checker. One that throws yields verdict `unknown` with the cause as its reason;
 * malformed input still throws MalformedHistoryError, which is the input's fault (exit 65).
 */
export async function judge(
  checker: Checker,
  events: readonly HistoryEvent[],
  model: string,
  onError?: (e: unknown) => void,
): Promise<CheckResult> {
  try {
    return await checker(events, { model });
  } catch (e) {
    if (e instanceof MalformedHistoryError) throw e;
    onError?.(e);
    return { model, valid: 'unknown', ops: 0, ms: 0, reason: `checker error: ${oneLine(e)}` };
  }
}
