/**
 * The exit codes every command shares (spec/history-format.md and `splitbrain test`), and the one
 * table from a verdict to its code.
 */
import type { Verdict } from '../../checker/index.js';

/** Exit codes by meaning. */
export const EXIT = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  infrastructure: 3,
  usage: 64,
  malformed: 65,
  /** A named input file cannot be read (sysexits' EX_NOINPUT). */
  noInput: 66,
} as const;

/** One of the codes in {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code of a verdict: 0 valid, 1 invalid, 2 unknown. */
export function exitCodeOfVerdict(valid: Verdict): ExitCode {
  return valid === true ? EXIT.valid : valid === false ? EXIT.invalid : EXIT.unknown;
}

/** A verdict as one word for programs (results.json, `--json`): `valid`, `invalid` or `unknown`. */
export function verdictWord(valid: Verdict): 'valid' | 'invalid' | 'unknown' {
  return valid === true ? 'valid' : valid === false ? 'invalid' : 'unknown';
}

/** Merges verdicts by priority, as Jepsen's merge-valid: invalid, then unknown, then valid. */
export function mergeVerdicts(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.includes(false)) return false;
  if (verdicts.includes('unknown')) return 'unknown';
  return true;
}
