/**
 * The public entry: pair a history's events into ops, split them by the model's partition,
 * search each part (in this thread, or spread over worker threads for large keyed histories),
 * stop at the first invalid part, and merge the verdicts (invalid, then unknown, then valid).
 */
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { HistoryEvent } from './event.js';
import { pairOperations } from './pair-events.js';
import { buildCounterexample } from './counterexample.js';
import { fillDefaults, type FilledModel, type Model } from './model.js';
import { modelByName } from './models/index.js';
import { runPartsInWorkers, workersAvailable } from './pool.js';
import { prepareParts, type Part } from './preprocess.js';
import type { CheckResult, InvalidKey, Operation } from './result.js';
import { runPartsInterleaved, runPartsInterleavedSync } from './run-parts.js';
import type { SearchLimits, SearchOutcome } from './search.js';
import { MemoryBudget } from './visited.js';

/** How to check a history. */
export interface CheckOptions<S = unknown> {
  /** A built-in model name (`register`, `cas-register`, `kv`, `kv-append`, `mutex`) or a model. */
  model: string | Model<S>;
  /** Give up with verdict 'unknown' (reason 'time-limit') after this long. Default: no limit. */
  timeLimitMs?: number;
  /** Budget for the search's memoization, in bytes. Default: 1 GiB or half the heap, the lesser. */
  memoryLimitBytes?: number;
  /** Aborting gives verdict 'unknown' (reason 'aborted'). */
  signal?: AbortSignal;
  /**
   * Worker threads for keyed models: 0 for this thread only; a count to search every part in
   * that many workers; or 'auto' (the default): search in this thread, and after a second hand
   * the parts still unfinished, if two or more, to one worker per core. Workers run the compiled
   * `dist/` code, so from TypeScript source (vitest) the check always runs in-thread. Custom
   * model objects cannot cross threads and always run in-thread too.
   */
  workers?: number | 'auto';
  /** Copied into the result's `file`, and used in malformed-input messages. */
  file?: string;
  /**
   * How the explanation writes a history time. Default: nanoseconds in the unit a person reads
   * best. A history whose times are only positions in its file (an imported log) passes
   * `describePosition`, so the text says where, not when.
   */
  describeTime?: (time: number) => string;
  /** Warnings from reading the history, copied into the result. */
  warnings?: string[];
  /**
   * Search every key even after one is found not linearizable, and list each invalid key with
   * the op it failed at in the result's `invalidKeys`, as Jepsen's independent checker reports
   * every failing key. It costs at most what checking a valid history costs. Default: stop at
   * the first invalid key, which is all a verdict needs.
   */
  everyKey?: boolean;
}

/** How long the parts are searched in this thread before the unfinished ones go to workers. */
const HANDOFF_AFTER_MS = 1000;

/** Checks a history (raw events or paired ops) for linearizability; resolves with the verdict. */
export async function check<S>(
  history: readonly HistoryEvent[] | readonly Operation[],
  options: CheckOptions<S>,
): Promise<CheckResult> {
  const started = performance.now();
  const prep = prepare(history, options);
  const limits = limitsOf(options, started);
  const searched = searchedOf(prep.parts);
  const workers = workerCount(prep.parts, options);
  let outcomes: (SearchOutcome | undefined)[] = new Array<SearchOutcome | undefined>(prep.parts.length).fill(undefined);
  let threads = 0;
  if (options.workers === undefined || options.workers === 'auto' || workers === 0) {
    let lastPause = Date.now();
    // Between rounds, give the event loop a turn now and then so an abort signal can land.
    const pause = async (): Promise<void> => {
      if (Date.now() - lastPause < 50) return;
      await new Promise((resolve) => setImmediate(resolve));
      lastPause = Date.now();
    };
    // Most parts finish in this thread in a few milliseconds, and copying them to workers would
    // cost more than checking them. Only parts still unfinished after a while go to workers.
    const handoff = workers > 0 ? { afterMs: HANDOFF_AFTER_MS, minPending: 2 } : undefined;
    outcomes = await runPartsInterleaved(
      searched,
      prep.model,
      searchLimits(limits, options.signal),
      pause,
      handoff,
      options.everyKey,
    );
  }
  const pending = outcomes.flatMap((o, k) => (o === undefined ? [k] : []));
  if (workers > 0 && pending.length > 0 && (options.everyKey || !outcomes.some((o) => o?.valid === false))) {
    threads = Math.min(workers, pending.length);
    const rest = await runPartsInWorkers(
      pending.map((k) => prep.parts[k]!),
      prep.model.name,
      threads,
      limits.deadline,
      limits.memoryLimitBytes,
      options.signal,
      options.everyKey,
    );
    rest.forEach((o, j) => (outcomes[pending[j]!] = o));
  }
  const result = assemble(checked(prep), outcomes, started, options);
  if (threads > 0) result.workers = threads;
  return result;
}

/** Checks a history in this thread, synchronously; same result as {@link check} without workers. */
export function checkSync<S>(
  history: readonly HistoryEvent[] | readonly Operation[],
  options: CheckOptions<S>,
): CheckResult {
  const started = performance.now();
  const prep = prepare(history, options);
  const limits = limitsOf(options, started);
  const outcomes = runPartsInterleavedSync(
    searchedOf(prep.parts),
    prep.model,
    searchLimits(limits, options.signal),
    options.everyKey,
  );
  return assemble(checked(prep), outcomes, started, options);
}

interface Prepared<S> {
  model: FilledModel<S>;
  parts: Part[];
  ops: number;
}

function prepare<S>(history: readonly HistoryEvent[] | readonly Operation[], options: CheckOptions<S>): Prepared<S> {
  const model = fillDefaults(
    typeof options.model === 'string' ? (modelByName(options.model) as Model<S>) : options.model,
  );
  let ops: Operation[];
  let failed = 0;
  if (history.length > 0 && 'type' in history[0]!) {
    const paired = pairOperations(
      history as readonly HistoryEvent[],
      options.file === undefined ? {} : { file: options.file },
    );
    ops = paired.ops;
    failed = paired.failed;
  } else {
    ops = history as Operation[];
  }
  return { model, parts: prepareParts(ops, model, options.file), ops: ops.length + failed };
}

function checked<S>(prep: Prepared<S>): Checked<S> {
  return { model: prep.model, ops: prep.ops, parts: prep.parts.length, partAt: (k) => prep.parts[k]! };
}

/** The deadline and memory budget of a check that started at `started` (performance.now()). */
export function limitsOf(
  options: CheckOptions<unknown>,
  started: number,
): { deadline: number; memoryLimitBytes: number } {
  const deadline =
    options.timeLimitMs === undefined ? Infinity : Date.now() - (performance.now() - started) + options.timeLimitMs;
  return { deadline, memoryLimitBytes: options.memoryLimitBytes ?? defaultMemoryLimit() };
}

/** The default memory budget: 1 GiB, or half of V8's heap limit when that is smaller. */
export function defaultMemoryLimit(): number {
  // The heap limit is fixed when the process starts; asking V8 costs more than a tiny check.
  heapLimit ??= getHeapStatistics().heap_size_limit;
  return Math.min(2 ** 30, Math.floor(heapLimit / 2));
}

let heapLimit: number | undefined;

function workerCount(parts: Part[], options: CheckOptions<unknown>): number {
  if (typeof options.model !== 'string' || parts.length < 2 || !workersAvailable()) return 0;
  if (typeof options.workers === 'number') return Math.min(options.workers, parts.length);
  return Math.min(availableParallelism(), parts.length);
}

function searchedOf(parts: Part[]): Operation[][] {
  return parts.map((p) => p.searched);
}

/** The limits every search of one check shares. */
export function searchLimits(
  limits: { deadline: number; memoryLimitBytes: number },
  signal?: AbortSignal,
): SearchLimits {
  return {
    deadline: limits.deadline,
    memoryLimitBytes: limits.memoryLimitBytes,
    memory: new MemoryBudget(limits.memoryLimitBytes),
    ...(signal ? { shouldStop: () => signal.aborted } : {}),
  };
}

/** What {@link assemble} needs to know of a checked history. */
export interface Checked<S> {
  model: FilledModel<S>;
  /** Client ops, fails included. */
  ops: number;
  parts: number;
  /** Part k, for its counterexample. */
  partAt(k: number): Part;
}

/**
 * Merges the parts' outcomes into the result: invalid (with the first invalid part's
 * counterexample, and with `everyKey` every invalid part's failed op), then unknown, then valid.
 */
export function assemble<S>(
  prep: Checked<S>,
  outcomes: (SearchOutcome | undefined)[],
  started: number,
  options: CheckOptions<S>,
): CheckResult {
  const result: CheckResult = { model: prep.model.name, valid: true, ops: prep.ops, ms: 0 };
  if (options.file !== undefined) result.file = options.file;
  if (prep.model.partition) result.keys = prep.parts;
  let unknown: string | undefined;
  for (let k = 0; k < outcomes.length; k++) {
    const outcome = outcomes[k];
    if (!outcome) continue;
    if (outcome.valid === false) {
      const part = prep.partAt(k);
      if (result.valid !== false) {
        result.valid = false;
        result.counterexample = buildCounterexample(
          part,
          outcome.prefix,
          outcome.failed,
          prep.model,
          options.describeTime,
        );
      }
      if (!options.everyKey) break;
      const invalid: InvalidKey = { failed: part.searched[outcome.failed]! };
      if (part.key !== undefined) invalid.key = part.key;
      (result.invalidKeys ??= []).push(invalid);
      continue;
    }
    if (outcome.valid === 'unknown') unknown ??= outcome.reason;
  }
  if (result.valid !== false) {
    const unchecked = outcomes.length < prep.parts || outcomes.some((o) => o === undefined);
    if (unknown !== undefined || unchecked) {
      result.valid = 'unknown';
      result.reason = unknown ?? 'aborted';
    }
  }
  if (options.warnings && options.warnings.length > 0) result.warnings = [...options.warnings];
  result.ms = performance.now() - started;
  return result;
}
