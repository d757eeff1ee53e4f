/**
 * Appends history events to a JSONL file as they happen. Each `append` is one synchronous
 * write(2) of one complete line, so when the process dies mid-run every event appended before
 * is already in the file and at worst the very last line is torn, which the reader tolerates.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { HistoryEvent } from '../../checker/index.js';

/** Options of {@link HistoryWriter}. */
export interface HistoryWriterOptions {
  /** fsync after every event, so even a machine crash keeps them (slower). Default false. */
  fsync?: boolean;
  /** Fill `index` with the 0-based position when the event has none. Default true. */
  fillIndex?: boolean;
}

/** An incremental JSONL history writer: open, `append(event)` per event, `close()`. */
export class HistoryWriter {
  private fd: number | undefined;
  private count = 0;
  private readonly fsync: boolean;
  private readonly fillIndex: boolean;

  /** Creates (or truncates) `path` and opens it for appending. */
  constructor(
    readonly path: string,
    options: HistoryWriterOptions = {},
  ) {
    this.fd = openSync(path, 'w');
    this.fsync = options.fsync ?? false;
    this.fillIndex = options.fillIndex ?? true;
  }

  /** Number of events appended so far. */
  get size(): number {
    return this.count;
  }

  /** Writes one event as one line and hands it to the OS before returning. */
  append(event: HistoryEvent): void {
    if (this.fd === undefined) throw new Error(`history ${this.path} is closed`);
    const line = JSON.stringify(this.fillIndex && event.index === undefined ? { ...event, index: this.count } : event);
    const bytes = Buffer.from(line + '\n', 'utf8');
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off);
    if (this.fsync) fsyncSync(this.fd);
    this.count++;
  }

  /** Flushes and closes the file; later calls do nothing. */
  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }
}
