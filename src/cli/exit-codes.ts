/** Exit codes shared by every command (spec/history-format.md and `splitbrain test`). */
export const EXIT = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  infrastructure: 3,
  usage: 64,
  malformed: 65,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
