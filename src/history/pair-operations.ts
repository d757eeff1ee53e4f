/**
 * Pairs invoke events with their completions into the Operations the checker searches over,
 * applying the spec's semantics: `fail` never happened (dropped), `info` or no completion at all
 * is crashed (`return: null`), and an invoke while its process already has one outstanding is
 * malformed input.
 */
import type { Operation } from '../../checker/result.js';
import type { HistoryEvent } from './event.js';
import { MalformedHistoryError } from './malformed-history-error.js';

/** The client ops of a history, paired, plus how many `fail` ops were dropped. */
export interface PairedHistory {
  /** ok and crashed ops, ids dense in invoke order. */
  ops: Operation[];
  /** Number of ops completed by `fail`, which are not searched. */
  failed: number;
}

/** Where the events came from, for error messages. */
export interface PairOptions {
  file?: string;
  /** 1-based source line of each event; defaults to `index + 1` or the position + 1. */
  lines?: number[];
}

/** Pairs invoke/completion events into operations; throws MalformedHistoryError on impossible input. */
export function pairOperations(events: readonly HistoryEvent[], options: PairOptions = {}): PairedHistory {
  const lineOf = (i: number): number => options.lines?.[i] ?? (events[i]!.index ?? i) + 1;
  // Process -> position in `inOrder` of its outstanding op.
  const outstanding = new Map<number, number>();
  // Ops in invoke order, created at their invoke; fails are marked and filtered out at the end.
  const inOrder: Operation[] = [];
  const invokeAt: number[] = [];
  const failedOps = new Set<Operation>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.process === 'nemesis') continue;
    const p = e.process;
    if (e.type === 'invoke') {
      const prior = outstanding.get(p);
      if (prior !== undefined) {
        throw new MalformedHistoryError(
          `process ${p} invokes ${e.f} while its ${inOrder[prior]!.f} from line ${lineOf(invokeAt[prior]!)} is still outstanding`,
          options.file,
          lineOf(i),
        );
      }
      outstanding.set(p, inOrder.length);
      inOrder.push(baseOp(e, i));
      invokeAt.push(i);
      continue;
    }
    const slot = outstanding.get(p);
    if (slot === undefined) {
      throw new MalformedHistoryError(`${e.type} ${e.f} for process ${p}, which has no outstanding invoke`, options.file, lineOf(i));
    }
    const op = inOrder[slot]!;
    if (op.f !== e.f) {
      throw new MalformedHistoryError(
        `${e.type} ${e.f} for process ${p} does not match its invoke ${op.f} on line ${lineOf(invokeAt[slot]!)}`,
        options.file,
        lineOf(i),
      );
    }
    if (e.time < op.call) {
      throw new MalformedHistoryError(
        `${e.type} at time ${e.time} precedes its invoke at time ${op.call} (line ${lineOf(invokeAt[slot]!)})`,
        options.file,
        lineOf(i),
      );
    }
    outstanding.delete(p);
    if (e.type === 'fail') {
      failedOps.add(op);
      continue;
    }
    op.completeIndex = e.index ?? i;
    if (e.node !== undefined && op.node === undefined) op.node = e.node;
    if (e.error !== undefined) op.error = e.error;
    if (e.type === 'ok') {
      op.status = 'ok';
      op.output = e.value;
      op.return = e.time;
    }
  }
  const ops = failedOps.size === 0 ? inOrder : inOrder.filter((op) => !failedOps.has(op));
  for (let id = 0; id < ops.length; id++) ops[id]!.id = id;
  return { ops, failed: failedOps.size };
}

function baseOp(e: HistoryEvent, at: number): Operation {
  // Every field is present from the start (undefined when absent), so all ops share one hidden
  // class and the checker's loops over them stay monomorphic. JSON output omits the undefineds.
  return {
    id: -1,
    process: e.process as number,
    f: e.f,
    key: e.key,
    input: e.value,
    output: undefined,
    status: 'info',
    call: e.time,
    return: null,
    invokeIndex: e.index ?? at,
    completeIndex: undefined,
    node: e.node,
    error: undefined,
  } as Operation;
}
