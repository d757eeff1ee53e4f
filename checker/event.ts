/**
 * The events the checker reads: one line of `history.jsonl`, exactly as spec/history-format.md
 * defines it. The checker owns this type (as Porcupine owns its Event) so it depends on nothing
 * else in splitbrain; the runner records it, the report shows it, and both import it from here.
 */
export type EventType = 'invoke' | 'ok' | 'fail' | 'info';

/** The logical client that issued an event; `"nemesis"` marks fault events, which the checker ignores. */
export type Process = number | 'nemesis';

/** A key of a keyed workload; absent for single-object histories. */
export type Key = string | number;

/** One history event: an invoke, or the completion (ok, fail or info) of the process's open invoke. */
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
