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
  const pairs: EventPair[] = [];
  const pairing = new EventPairing<EventPair>(
    {
      invoked: (invoke, invokeAt) => {
        const pair: EventPair = { invoke, invokeAt };
        pairs.push(pair);
        return pair;
      },
      completed: (pair, complete, completeAt) => {
        pair.complete = complete;
        pair.completeAt = completeAt;
      },
    },
    options,
  );
  for (let i = 0; i < events.length; i++) pairing.push(events[i]!, i, options.lines?.[i]);
  return pairs;
}

/** Where {@link EventPairing} hands each op: its invoke, then at most once its completion. */
export interface PairingSink<H> {
  /** An invoke; returns what `completed` gets back for this op. */
  invoked(invoke: HistoryEvent, at: number): H;
  completed(op: H, complete: Completion, at: number): void;
}

/**
 * The pairing one event at a time, for histories read as a stream: {@link pairEvents} is this
 * over an array. Holds one small slot per process, with its outstanding invoke, if any.
 */
export class EventPairing<H> {
  private readonly strict: boolean;
  // Process -> its slot, reused for each of its ops (no allocation per op).
  private readonly slots = new Map<number, Slot<H>>();

  constructor(
    private readonly sink: PairingSink<H>,
    private readonly options: Pick<PairOptions, 'file' | 'mode'> = {},
  ) {
    this.strict = options.mode !== 'lenient';
  }

  /** Takes the event at position `at`; `line` is its 1-based source line (default `index + 1` or `at + 1`). */
  push(e: HistoryEvent, at: number, line?: number): void {
    if (e.process === 'nemesis') return;
    const p = e.process;
    let slot = this.slots.get(p);
    const prior = slot?.invoke;
    if (e.type === 'invoke') {
      if (prior !== undefined && this.strict) {
        throw new MalformedHistoryError(
          `process ${p} invokes ${e.f} while its ${prior.f} from line ${slot!.line} is still outstanding`,
          this.options.file,
          line ?? lineOf(e, at),
        );
      }
      if (slot === undefined) this.slots.set(p, (slot = { op: undefined, invoke: undefined, line: 0 }));
      slot.op = this.sink.invoked(e, at);
      slot.invoke = e;
      slot.line = line ?? lineOf(e, at);
      return;
    }
    if (prior === undefined) {
      if (!this.strict) return;
      throw new MalformedHistoryError(
        `${e.type} ${e.f} for process ${p}, which has no outstanding invoke`,
        this.options.file,
        line ?? lineOf(e, at),
      );
    }
    if (this.strict) rejectMismatch(prior, slot!.line, e, line ?? lineOf(e, at), this.options.file);
    const op = slot!.op as H;
    slot!.op = undefined;
    slot!.invoke = undefined;
    this.sink.completed(op, e as Completion, at);
  }
}

/** One process's outstanding op (`invoke` undefined when it has none) and the invoke's line. */
interface Slot<H> {
  op: H | undefined;
  invoke: HistoryEvent | undefined;
  line: number;
}

/** An event's 1-based source line when none is given: its `index` + 1, or its position + 1. */
function lineOf(e: HistoryEvent, at: number): number {
  return (e.index ?? at) + 1;
}

function rejectMismatch(invoke: HistoryEvent, invokeLine: number, e: HistoryEvent, line: number, file?: string): void {
  if (invoke.f !== e.f) {
    throw new MalformedHistoryError(
      `${e.type} ${e.f} for process ${String(e.process)} does not match its invoke ${invoke.f} on line ${invokeLine}`,
      file,
      line,
    );
  }
  if (e.time < invoke.time) {
    throw new MalformedHistoryError(
      `${e.type} at time ${e.time} precedes its invoke at time ${invoke.time} (line ${invokeLine})`,
      file,
      line,
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
  // Each op is made once, at its invoke, and completed in place: no pair objects in between.
  const all: Operation[] = [];
  const pairing = new EventPairing<Operation>(
    {
      invoked: (invoke, at) => {
        const op = invokedOperation(invoke, at);
        all.push(op);
        return op;
      },
      completed: completeOperation,
    },
    options,
  );
  for (let i = 0; i < events.length; i++) pairing.push(events[i]!, i, options.lines?.[i]);
  // A fail never happened: drop it, and number the rest densely in invoke order.
  const ops: Operation[] = [];
  for (const op of all) {
    if (op.id === FAILED) continue;
    op.id = ops.length;
    ops.push(op);
  }
  return { ops, failed: all.length - ops.length };
}

/** The id of an op completed by `fail` until {@link pairOperations} drops it. */
const FAILED = -1;

/** An op as its invoke describes it: crashed until a completion says otherwise. */
function invokedOperation(invoke: HistoryEvent, invokeAt: number): Operation {
  // Every field is present (undefined when absent), so all ops share one hidden class and the
  // search's loops over them stay monomorphic. JSON output omits the undefineds.
  return {
    id: 0,
    process: invoke.process as number,
    f: invoke.f,
    key: invoke.key,
    input: invoke.value,
    output: undefined,
    status: 'info',
    call: invoke.time,
    return: null,
    invokeIndex: invoke.index ?? invokeAt,
    completeIndex: undefined,
    node: invoke.node,
    error: undefined,
  } as Operation;
}

function completeOperation(op: Operation, complete: Completion, completeAt: number): void {
  if (complete.type === 'fail') op.id = FAILED;
  else if (complete.type === 'ok') {
    op.output = complete.value;
    op.status = 'ok';
    op.return = complete.time;
  }
  op.completeIndex = complete.index ?? completeAt;
  op.node ??= complete.node;
  op.error = complete.error;
}
