/**
 * Fitting the nemesis interval to the time limit when `--nemesis-interval` is not given, so a
 * short run still sees every requested kind of fault.
 */
import { computeCoverageSeconds, DEFAULT_INTERVAL_S } from './schedule.js';

/**
 * A nemesis interval that lets every requested fault come round at least once within the time
 * limit, with a margin (WORST_CASE_FACTOR) over computeCoverageSeconds. The kinds' timelines run
 * side by side, so this only shortens the interval for runs of a few seconds.
 */
export function fitInterval(faults: number, timeLimitS: number): number {
  if (faults === 0) return DEFAULT_INTERVAL_S;
  const perUnit = computeCoverageSeconds(faults, 1) * WORST_CASE_FACTOR;
  return Math.max(1, Math.min(DEFAULT_INTERVAL_S, Math.floor(((timeLimitS * 0.9) / perUnit) * 10) / 10));
}

const WORST_CASE_FACTOR = 2.25 / 1.75;
