/**
 * Checking a history too big to hold as objects: the events arrive one at a time from a reader,
 * are paired straight into typed-array columns (op-store.ts), and each key's ops become objects
 * only while that key is searched. The memory budget covers the columns as well as the search,
 * so a history beyond it ends in the `unknown` verdict (memory-limit), never in a crash.
 */
import { assemble, limitsOf, searchLimits, type CheckOptions } from './check.js';
import type { HistoryEvent } from './event.js';
import { fillDefaults, partitionByKey, type FilledModel, type Model } from './model.js';
import { modelByName } from './models/index.js';
import { OpStore } from './op-store.js';
import { EventPairing } from './pair-events.js';
import { preparePart, prepareParts, validateOps, type Part } from './preprocess.js';
import type { CheckResult, Operation } from './result.js';
import { runPartsInterleaved, type PartList } from './run-parts.js';
import { SEARCH_BYTES_PER_OP, type SearchOutcome } from './search.js';

/**
 * A history read as a stream: a function that reads it and hands each event, in file order, to
 * `push` with its 1-based source line; it resolves when the history ends. If `push` throws, the
 * reader must stop and reject with that error.
 */
export type EventFeed = (push: (event: HistoryEvent, line: number) => void) => Promise<void>;

/** Thrown into the reader when the columns would outgrow the memory budget. */
class OverBudget extends Error {}

/**
 * Checks a streamed history (the form for histories of millions of ops); same verdicts as
 * `check` over the same events. Searches in this thread; `options.workers` is ignored.
 */
export async function checkFeed<S>(feed: EventFeed, options: CheckOptions<S>): Promise<CheckResult> {
  const started = performance.now();
  const given = typeof options.model === 'string' ? (modelByName(options.model) as Model<S>) : options.model;
  const model = fillDefaults(given);
  const limits = limitsOf(options, started);
  const search = searchLimits(limits, options.signal);
  const budget = search.memory!;
  const store = new OpStore((bytes) => {
    budget.used += bytes;
    if (budget.used > budget.limit) throw new OverBudget();
  });
  const pairing = new EventPairing(store, options.file === undefined ? {} : { file: options.file });
  let at = 0;
  const outOfMemory = (): CheckResult => ({
    model: model.name,
    valid: 'unknown',
    reason: 'memory-limit',
    ops: store.size,
    ms: performance.now() - started,
    ...fileOf(options),
  });
  try {
    await feed((event, line) => pairing.push(event, at++, line));
  } catch (err) {
    if (isOutOfMemory(err)) return outOfMemory();
    throw err;
  }

  // A part's ops become objects before its search charges for them: look before making them.
  const afford = (ops: number): void => {
    if (budget.used + ops * SEARCH_BYTES_PER_OP > budget.limit) throw new OverBudget();
  };
  let lastPause = Date.now();
  const pause = async (): Promise<void> => {
    if (Date.now() - lastPause < 50) return;
    await new Promise((resolve) => setImmediate(resolve));
    lastPause = Date.now();
  };
  try {
    const parts = partsOf(store, model, given.partition === partitionByKey, afford, options.file);
    const searched: PartList = { length: parts.length, at: (k) => parts.at(k).searched };
    const outcomes: (SearchOutcome | undefined)[] = await runPartsInterleaved(
      searched,
      model,
      search,
      pause,
      undefined,
      options.everyKey,
    );
    return assemble(
      { model, ops: store.size, parts: parts.length, partAt: (k) => parts.at(k) },
      outcomes,
      started,
      options,
    );
  } catch (err) {
    if (isOutOfMemory(err)) return outOfMemory();
    throw err;
  }
}

/** The budget ran out, or a typed array the system could not back (out of memory whatever the budget said). */
function isOutOfMemory(err: unknown): boolean {
  return err instanceof OverBudget || (err instanceof RangeError && /allocation failed/i.test(err.message));
}

function fileOf(options: CheckOptions<unknown>): { file?: string } {
  return options.file === undefined ? {} : { file: options.file };
}

/** The parts of the stored history, made on demand: one per key (keys with only fails have none). */
function partsOf<S>(
  store: OpStore,
  model: FilledModel<S>,
  byKey: boolean,
  afford: (ops: number) => void,
  file?: string,
): { length: number; at(k: number): Part } {
  const make = (slots: ArrayLike<number>): Part => {
    afford(slots.length);
    const all: Operation[] = store.operations(slots);
    validateOps(all, model, file);
    return preparePart(all, model);
  };
  if (!byKey) {
    // Unkeyed, or split by the model's own partition: every op at once, as `check` does.
    const { slots } = store.groupByKey();
    afford(slots.length);
    const all = store.operations(Int32Array.from(slots).sort());
    const parts = prepareParts(all, model, file);
    return { length: parts.length, at: (k) => parts[k]! };
  }
  const { slots, starts } = store.groupByKey();
  const nonEmpty: number[] = [];
  for (let k = 0; k + 1 < starts.length; k++) if (starts[k + 1]! > starts[k]!) nonEmpty.push(k);
  return { length: nonEmpty.length, at: (k) => make(slots.subarray(starts[nonEmpty[k]!]!, starts[nonEmpty[k]! + 1]!)) };
}
