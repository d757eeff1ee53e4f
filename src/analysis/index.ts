/**
 * Analysis: what happens to a recorded history. A checker judges it (a checker that throws
 * gives `unknown`), the verdict maps to the exit code through one table, and for a run folder
 * results.json, check.json, the HTML report and the JUnit file are written. `splitbrain test`,
 * `analyze` and `check` all go through here.
 */
export { analyzeRun, type RunFacts, type RunFailure } from './analyze-run.js';
export { EXIT, exitCodeOfVerdict, mergeVerdicts, verdictWord, type ExitCode } from './exit-codes.js';
export { judge, linearizabilityChecker, modelChecker, type Checker } from './judge.js';
export { oneLine } from './one-line.js';
