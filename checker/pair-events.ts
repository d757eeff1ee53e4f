/**
 * The one pairing of a history's invoke events with their completions, as Porcupine's
 * CheckEvents pairs call and return events before it searches. The checker, the run's
 * statistics and the report all pair through here, so they agree on which events form an op.
 *
 * The spec's rules: a process has at most one outstanding invoke, and its next event completes
 * it; `fail` means the op never happened, and `info` or no completion at all means it may have
 * happened at any time after its invoke (crashed).
 */
import type { EventType, HistoryEvent } from './event.js';
import { MalformedHistoryError } from './malformed-history-error.js';
import type { Operation } from './result.js';

/** An event that completes an op: ok, fail or info. */
export type Completion = HistoryEvent & { type: Exclude<EventType, 'invoke'> };

/** One client op as its events: the invoke and, when one was recorded, its completion. */
export interface EventPair {
  invoke: HistoryEvent;
  /** Position of the invoke in the events given. */
  invokeAt: number;
  /** The ok, fail or info that completed it; absent when none was recorded. */
  complete?: Completion;
  /** Position of the completion in the events given. */
  completeAt?: number;
}

/** Where the events came from (for error messages) and how forgiving to be. */
export interface PairOptions {
  file?: string;
  /** 1-based source line of each event; defaults to `index + 1` or the position + 1. */
  lines?: number[];
  /**
   * `strict` (the default, for checking) throws MalformedHistoryError on input the spec forbids.
   * `lenient` (for showing a run) pairs what it can: a second invoke while one is outstanding
   * leaves the first uncompleted, and a completion with no outstanding invoke is skipped.
   */
  mode?: 'strict' | 'lenient';
}

/** Pairs client invokes with their completions, in invoke order; nemesis events are skipped. */
export function pairEvents(events: readonly HistoryEvent[], options: PairOptions = {}): EventPair[] {
  const strict = options.mode !== 'lenient';
  const lineOf = (i: number): number => options.lines?.[i] ?? (events[i]!.index ?? i) + 1;
  const pairs: EventPair[] = [];
  // Process -> its outstanding op.
  const outstanding = new Map<number, EventPair>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.process === 'nemesis') continue;
    const p = e.process;
    if (e.type === 'invoke') {
      const prior = outstanding.get(p);
      if (prior !== undefined && strict) {
        throw new MalformedHistoryError(
          `process ${p} invokes ${e.f} while its ${prior.invoke.f} from line ${lineOf(prior.invokeAt)} is still outstanding`,
          options.file,
          lineOf(i),
        );
      }
      const pair: EventPair = { invoke: e, invokeAt: i };
      outstanding.set(p, pair);
      pairs.push(pair);
      continue;
    }
    const pair = outstanding.get(p);
    if (pair === undefined) {
      if (!strict) continue;
      throw new MalformedHistoryError(
        `${e.type} ${e.f} for process ${p}, which has no outstanding invoke`,
        options.file,
        lineOf(i),
      );
    }
    if (strict) rejectMismatch(pair, e, (at) => lineOf(at), i, options.file);
    outstanding.delete(p);
    pair.complete = e as Completion;
    pair.completeAt = i;
  }
  return pairs;
}

function rejectMismatch(
  pair: EventPair,
  e: HistoryEvent,
  lineOf: (at: number) => number,
  at: number,
  file?: string,
): void {
  const { invoke } = pair;
  if (invoke.f !== e.f) {
    throw new MalformedHistoryError(
      `${e.type} ${e.f} for process ${String(e.process)} does not match its invoke ${invoke.f} on line ${lineOf(pair.invokeAt)}`,
      file,
      lineOf(at),
    );
  }
  if (e.time < invoke.time) {
    throw new MalformedHistoryError(
      `${e.type} at time ${e.time} precedes its invoke at time ${invoke.time} (line ${lineOf(pair.invokeAt)})`,
      file,
      lineOf(at),
    );
  }
}

/** The client ops of a history, paired, plus how many `fail` ops were dropped. */
export interface PairedHistory {
  /** ok and crashed ops, ids dense in invoke order. */
  ops: Operation[];
  /** Number of ops completed by `fail`, which are not searched. */
  failed: number;
}

/** Pairs a history strictly into the Operations the search runs over; fails are dropped and counted. */
export function pairOperations(
  events: readonly HistoryEvent[],
  options: Omit<PairOptions, 'mode'> = {},
): PairedHistory {
  const ops: Operation[] = [];
  let failed = 0;
  for (const pair of pairEvents(events, options)) {
    if (pair.complete?.type === 'fail') failed++;
    else ops.push(operationOf(pair, ops.length));
  }
  return { ops, failed };
}

function operationOf({ invoke, invokeAt, complete, completeAt }: EventPair, id: number): Operation {
  // Every field is present (undefined when absent), so all ops share one hidden class and the
  // search's loops over them stay monomorphic. JSON output omits the undefineds.
  const ok = complete?.type === 'ok';
  return {
    id,
    process: invoke.process as number,
    f: invoke.f,
    key: invoke.key,
    input: invoke.value,
    output: ok ? complete.value : undefined,
    status: ok ? 'ok' : 'info',
    call: invoke.time,
    return: ok ? complete.time : null,
    invokeIndex: invoke.index ?? invokeAt,
    completeIndex: complete === undefined ? undefined : (complete.index ?? completeAt),
    node: invoke.node ?? complete?.node,
    error: complete?.error,
  } as Operation;
}
