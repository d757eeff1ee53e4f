/**
 * The run's history as it happens: every event is stamped from one monotonic clock, appended to
 * history.jsonl at once (so a killed runner leaves a checkable file) and counted for the live view.
 */
import type { HistoryEvent, Key } from '../history/index.js';
import type { HistoryWriter } from '../history/index.js';

/** Live counts the progress view reads. */
export interface RecorderCounts {
  invoke: number;
  ok: number;
  fail: number;
  info: number;
}

/** Records events; `now()` is nanoseconds since the test began. */
export class Recorder {
  readonly counts: RecorderCounts = { invoke: 0, ok: 0, fail: 0, info: 0 };
  /** Keys touched by client ops, in first-use order (for the final reads). */
  readonly keys = new Set<Key>();
  /** The highest client process number recorded so far (-1 before any). */
  maxProcess = -1;
  private readonly origin = process.hrtime.bigint();
  private readonly listeners: ((e: HistoryEvent) => void)[] = [];

  constructor(private readonly writer: Pick<HistoryWriter, 'append'>) {}

  /** Nanoseconds since the recorder was created (the test's start). */
  now(): number {
    return Number(process.hrtime.bigint() - this.origin);
  }

  /** Stamps `time` (unless given), appends the event and returns it as written. */
  record(event: Omit<HistoryEvent, 'time'> & { time?: number }): HistoryEvent {
    const e = { ...event, time: event.time ?? this.now() } as HistoryEvent;
    this.writer.append(e);
    if (e.process !== 'nemesis') {
      this.counts[e.type]++;
      if (e.process > this.maxProcess) this.maxProcess = e.process;
      if (e.type === 'invoke' && e.key !== undefined) this.keys.add(e.key);
    }
    for (const l of this.listeners) l(e);
    return e;
  }

  /** Calls `listener` for every event recorded from now on. */
  onEvent(listener: (e: HistoryEvent) => void): void {
    this.listeners.push(listener);
  }
}
