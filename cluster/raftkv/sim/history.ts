/**
 * The events simulated clients record: splitbrain's history format (spec/history-format.md),
 * declared here because raftkv knows nothing of the toolkit. Whoever judges a simulated run
 * (the `sim` command passes the linearizability checker) reads them as a history.
 */
export interface SimEvent {
  type: 'invoke' | 'ok' | 'fail' | 'info';
  process: number | 'nemesis';
  f: string;
  key?: string;
  /** On invoke the argument; on ok the result. */
  value?: unknown;
  /** Simulated nanoseconds since the run began. */
  time: number;
  /** 0-based position in the history. */
  index?: number;
  /** Which node a client talked to. */
  node?: string;
  /** Why an op failed or is indeterminate. */
  error?: string;
}
