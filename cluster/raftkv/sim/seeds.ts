/**
 * Runs many seeds in a row, as `splitbrain sim` does: stop at the first invalid run (that seed
 * is the reproduction), otherwise report how many were valid and how many undecided.
 */
import type { BugName } from '../core/index.js';
import { runSimulation, type Judge, type SimRunResult } from './run.js';

/** Options for a batch of seeds. */
export interface SeedsOptions {
  /** How many seeds to run. */
  seeds: number;
  /** The first seed. Default 1. */
  start?: number;
  bugs?: readonly BugName[];
  /** Judges each run's history (the toolkit passes the kv linearizability checker). */
  judge: Judge;
  /** Called after each run. */
  onResult?: (r: SimRunResult) => void;
}

/** The outcome of a batch. */
export interface SeedsSummary {
  runs: number;
  valid: number;
  unknown: number[];
  /** The first invalid run, if any (the batch stops there). */
  invalid?: SimRunResult;
  ops: number;
  ms: number;
}

/** Runs seeds start .. start+seeds-1, stopping at the first invalid one. */
export function runSeeds(opts: SeedsOptions): SeedsSummary {
  const started = performance.now();
  const start = opts.start ?? 1;
  const summary: SeedsSummary = { runs: 0, valid: 0, unknown: [], ops: 0, ms: 0 };
  for (let seed = start; seed < start + opts.seeds; seed++) {
    const r = runSimulation({ seed, bugs: opts.bugs ?? [], judge: opts.judge });
    summary.runs++;
    summary.ops += r.stats.ops;
    opts.onResult?.(r);
    if (r.verdict === 'valid') summary.valid++;
    else if (r.verdict === 'unknown') summary.unknown.push(seed);
    else {
      summary.invalid = r;
      break;
    }
  }
  summary.ms = performance.now() - started;
  return summary;
}

/** One line naming what a failed run violated: the safety property or the checker's counterexample. */
export function describeFailure(r: SimRunResult): string {
  if (r.violation) return `${r.violation.property} violated at t=${r.violation.time}ms: ${r.violation.detail}`;
  if (r.judgement?.valid === false) return `history is not linearizable: ${r.judgement.detail ?? 'no explanation'}`;
  return `undecided: ${r.judgement?.detail ?? ''}`;
}
