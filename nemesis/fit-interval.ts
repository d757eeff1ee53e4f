/**
 * Fitting the nemesis interval to the time limit when `--nemesis-interval` is not given, so a
 * short run still sees every requested kind of fault.
 */
import { computeCoverageSeconds, DEFAULT_INTERVAL_S } from './schedule.js';

/**
 * A nemesis interval that lets every requested fault come round at least once within the time
 * limit. computeCoverageSeconds is the mean; a schedule can draw up to WORST_CASE_FACTOR times
 * that (longest quiet gap and hold, 2.25 intervals per fault, against a mean of 1.75), and a
 * short run must still see every kind, so the fit uses the worst case.
 */
export function fitInterval(faults: number, timeLimitS: number): number {
  if (faults === 0) return DEFAULT_INTERVAL_S;
  const perUnit = computeCoverageSeconds(faults, 1) * WORST_CASE_FACTOR;
  return Math.max(1, Math.min(DEFAULT_INTERVAL_S, Math.floor(((timeLimitS * 0.9) / perUnit) * 10) / 10));
}

const WORST_CASE_FACTOR = 2.25 / 1.75;
