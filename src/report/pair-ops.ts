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
 * Pairs client invokes with their completions (the next completion of the same process), in
 * invoke order. A second invoke while one is outstanding, which the spec calls malformed, closes
 * the first as info instead of failing: a report should still show what it can.
 */
export function pairOps(events: readonly HistoryEvent[]): ReportOp[] {
  const ops: ReportOp[] = [];
  const pending = new Map<number, ReportOp>();
  events.forEach((e, i) => {
    if (e.process === 'nemesis') return;
    const index = e.index ?? i;
    if (e.type === 'invoke') {
      const open = pending.get(e.process);
      if (open) open.type = 'info';
      const op: ReportOp = {
        process: e.process,
        f: e.f,
        input: e.value,
        type: 'info',
        call: e.time,
        complete: null,
        invokeIndex: index,
      };
      if (e.key !== undefined) op.key = e.key;
      if (e.node !== undefined) op.node = e.node;
      pending.set(e.process, op);
      ops.push(op);
      return;
    }
    const op = pending.get(e.process);
    if (!op) return;
    pending.delete(e.process);
    op.type = e.type;
    op.complete = e.time;
    op.completeIndex = index;
    if (e.type === 'ok') op.output = e.value;
    if (e.node !== undefined) op.node = e.node;
    if (e.error !== undefined) op.error = e.error;
  });
  return ops;
}
