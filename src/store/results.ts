/**
 * `results.json`: the summary of one run that a person, CI or `splitbrain serve` reads first.
 * Computed from the history (op counts, throughput, latency) plus what the runner knows (the
 * verdict, the check, the nemesis, the seed, versions, the exact command line).
 */
import { counterexampleByPosition, pairEvents, type CheckResult, type Key, type Verdict } from '../../checker/index.js';
import type { HistoryEvent } from '../history/index.js';
import { computeQuantiles, type Quantiles } from './quantiles.js';

/** Counts of completions by type; `pending` counts invokes that never completed. */
export interface TypeCounts {
  ok: number;
  fail: number;
  info: number;
  pending: number;
}

/** What the history alone says about a run. */
export interface HistoryStats {
  /** Client ops (invokes). */
  ops: number;
  byType: TypeCounts;
  /** Counts by op name, e.g. `{ read: { ok, fail, info, pending } }`. */
  byF: Record<string, TypeCounts>;
  /** Distinct keys touched (keyed workloads). */
  keys: number;
  /** Seconds from the first to the last client event. */
  durationS: number;
  /** Ops per second over the run phase (ok completions; all invokes). */
  throughput: { okPerS: number; allPerS: number };
  /** Latency from invoke to completion, by completion type, in ms. */
  latencyMs: { ok: Quantiles; fail: Quantiles; info: Quantiles };
  /** Nemesis history events (invokes and completions) by `f`, e.g. `{ "start-partition": 6 }`. */
  nemesisEvents: Record<string, number>;
}

/** Everything results.json holds. Extend compatibly: the report and `serve` read it. */
export interface RunResults {
  /** The test's name, as in the store path. */
  name: string;
  /** true, false, or 'unknown' (also when the run broke: see `error` and `exitCode`). */
  valid: Verdict;
  /** The same verdict as one word, for programs that want a string (absent in results of older runs). */
  verdict?: 'valid' | 'invalid' | 'unknown';
  /** The process exit code this run maps to (0 valid, 1 invalid, 2 unknown, 3 infrastructure). */
  exitCode: number;
  /** When the verdict could not be reached: the cause on one line. */
  error?: string;
  startedAt: string;
  finishedAt: string;
  /** The run's parameters (db, runtime, workload, nodes, concurrency, rate, time limit, nemesis, bugs...). */
  test: Record<string, unknown>;
  seed: number;
  stats: HistoryStats;
  /** The checker's result without the bulky counterexample ops and invalid keys (kept in check.json / the report). */
  check?: Omit<CheckResult, 'counterexample' | 'invalidKeys'> & {
    /** `failedOp` is the op's position in history.jsonl, the op id every output uses (`op N`). */
    counterexample?: { key?: unknown; failedOp: number; explanation: string };
  };
  /**
   * History time (ns) that `firstAnomalyS` counts from: the start of the run phase, or the first
   * client event when `analyze` re-checks a stored run (whose run phase is not recorded).
   */
  runStartNs?: number;
  /**
   * Seconds from `runStartNs` to the invoke of the first anomalous op: of the ops the checker
   * could not linearize, one per key found not linearizable, the one invoked first (it may be on
   * another key than the counterexample's). Only the counterexample's op when the checker did not
   * search every key (a checker of the user's own).
   */
  firstAnomalyS?: number;
  /** The key that op was on (keyed workloads). */
  firstAnomalyKey?: Key;
  /** Node processes that exited by themselves and fatal lines in node logs; any makes the run invalid. */
  nodeFailures?: { deaths: readonly unknown[]; fatalLines: readonly unknown[]; reason: string };
  /** The nemesis's own summary: faults injected per kind, whether they bit, faults skipped and why. */
  nemesis: Record<string, unknown>;
  /** Phase durations in ms, in order. */
  phases: { name: string; ms: number; error?: string }[];
  versions: Record<string, string>;
  /** The exact command line (argv, program name included). */
  command: string[];
}

const zero = (): TypeCounts => ({ ok: 0, fail: 0, info: 0, pending: 0 });

/**
 * Computes the history's statistics over its ops as the checker pairs them (leniently). Throughput
 * is measured over `window` (ns; the run phase, so setup and final reads do not dilute it) or else
 * from the first to the last client event.
 */
export function computeHistoryStats(
  events: readonly HistoryEvent[],
  window?: { from: number; to: number },
): HistoryStats {
  const byType = zero();
  const byF: Record<string, TypeCounts> = {};
  const latency = { ok: [] as number[], fail: [] as number[], info: [] as number[] };
  const nemesisEvents: Record<string, number> = {};
  const keys = new Set<unknown>();
  let first = Infinity;
  let last = -Infinity;
  for (const e of events) {
    if (e.process === 'nemesis') {
      if (e.type !== 'invoke') nemesisEvents[e.f] = (nemesisEvents[e.f] ?? 0) + 1;
      continue;
    }
    first = Math.min(first, e.time);
    last = Math.max(last, e.time);
  }
  const pairs = pairEvents(events, { mode: 'lenient' });
  for (const { invoke, complete } of pairs) {
    if (invoke.key !== undefined) keys.add(invoke.key);
    const counts = (byF[invoke.f] ??= zero());
    if (complete === undefined) {
      byType.pending++;
      counts.pending++;
      continue;
    }
    byType[complete.type]++;
    counts[complete.type]++;
    latency[complete.type].push((complete.time - invoke.time) / 1e6);
  }
  const ops = pairs.length;
  const durationS = ops > 0 ? (last - first) / 1e9 : 0;
  const windowS = window ? (window.to - window.from) / 1e9 : durationS;
  let inWindow = { ok: byType.ok, all: ops };
  if (window) {
    inWindow = { ok: 0, all: 0 };
    for (const e of events) {
      if (e.process === 'nemesis' || e.time < window.from || e.time > window.to) continue;
      if (e.type === 'invoke') inWindow.all++;
      else if (e.type === 'ok') inWindow.ok++;
    }
  }
  const per = (n: number) => (windowS > 0 ? Math.round((n / windowS) * 10) / 10 : 0);
  return {
    ops,
    byType,
    byF,
    keys: keys.size,
    durationS: Math.round(durationS * 1000) / 1000,
    throughput: { okPerS: per(inWindow.ok), allPerS: per(inWindow.all) },
    latencyMs: {
      ok: computeQuantiles(latency.ok),
      fail: computeQuantiles(latency.fail),
      info: computeQuantiles(latency.info),
    },
    nemesisEvents,
  };
}

/** Strips the counterexample's op list (it can be large) for results.json. */
export function summarizeCheck(check: CheckResult): RunResults['check'] {
  // Each invalid key's failed op is summed up in firstAnomalyS and kept whole in check.json.
  const { counterexample, invalidKeys: _invalidKeys, ...rest } = check;
  if (!counterexample) return rest;
  return {
    ...rest,
    counterexample: {
      ...(counterexample.key !== undefined ? { key: counterexample.key } : {}),
      failedOp: counterexampleByPosition(counterexample).failedOp,
      explanation: counterexample.explanation,
    },
  };
}
