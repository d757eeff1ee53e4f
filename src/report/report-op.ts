import { pairEvents } from '../../checker/index.js';
import type { HistoryEvent, Key } from '../history/index.js';

/**
 * One client operation as the report shows it: unlike the checker's Operation it keeps `fail`
 * ops (the checker drops them, but a person reading a run wants to see them) and the time an
 * `info` completion arrived (its latency on the plots).
 */
export interface ReportOp {
  process: number;
  f: string;
  key?: Key;
  input: unknown;
  output?: unknown;
  /** How it completed; `info` also covers an invoke that never completed. */
  type: 'ok' | 'fail' | 'info';
  /** `time` of the invoke (ns). */
  call: number;
  /** `time` of the completion (ns), or null when none was recorded. */
  complete: number | null;
  /** `index` (line position) of the invoke and of the completion. */
  invokeIndex: number;
  completeIndex?: number;
  node?: string;
  error?: string;
}

/**
 * The report's ops: the checker's pairing, lenient (a report should show what it can of even a
 * malformed history), with `fail` ops kept and each completion's time recorded.
 */
export function reportOpsOf(events: readonly HistoryEvent[]): ReportOp[] {
  return pairEvents(events, { mode: 'lenient' }).map(({ invoke, invokeAt, complete, completeAt }) => {
    const op: ReportOp = {
      process: invoke.process as number,
      f: invoke.f,
      input: invoke.value,
      type: complete?.type ?? 'info',
      call: invoke.time,
      complete: complete?.time ?? null,
      invokeIndex: invoke.index ?? invokeAt,
    };
    if (invoke.key !== undefined) op.key = invoke.key;
    const node = complete?.node ?? invoke.node;
    if (node !== undefined) op.node = node;
    if (complete === undefined) return op;
    op.completeIndex = complete.index ?? completeAt!;
    if (complete.type === 'ok') op.output = complete.value;
    if (complete.error !== undefined) op.error = complete.error;
    return op;
  });
}
