/**
 * One line of `history.jsonl`, exactly as `spec/history-format.md` defines it. Every part of
 * splitbrain speaks this type: the runner records it, the checker judges it, the report shows it.
 */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** The logical client that issued an event; `"nemesis"` marks fault events, which the checker ignores. */
export type Process = number | 'nemesis';

/** A key of a keyed workload; absent for single-object histories. */
export type Key = string | number;

export interface HistoryEvent {
  type: EventType;
  process: Process;
  /** Operation name: read, write, cas, ... for clients; start-partition, kill, ... for the nemesis. */
  f: string;
  key?: Key;
  /** On invoke the argument; on ok the result. */
  value?: unknown;
  /** Nanoseconds since the test began, from one monotonic clock. */
  time: number;
  /** 0-based position in the file. */
  index?: number;
  /** Which node a client talked to. */
  node?: string;
  /** Why an op failed or is indeterminate. */
  error?: string;
}

/** Type guard for client (non-nemesis) events. */
export function isClientEvent(e: HistoryEvent): e is HistoryEvent & { process: number } {
  return e.process !== 'nemesis';
}
