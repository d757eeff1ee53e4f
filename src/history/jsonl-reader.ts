/**
 * Reads `history.jsonl` line by line (spec/history-format.md), validating every field. A torn last
 * line, what a recorder killed mid-write leaves behind, is a warning, not an error: the rest of
 * the history is still worth checking.
 */
import { createReadStream, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StringDecoder } from 'node:string_decoder';
import { createInterface } from 'node:readline';
import type { HistoryEvent } from '../../checker/index.js';
import { MalformedHistoryError } from '../../checker/index.js';
import { EventBatchReader, type EventBatch } from './event-batch.js';
import { validateEvent } from './validate-event.js';

/** A history as read from a file: its events, the 1-based line of each, and non-fatal problems. */
export interface ReadHistory {
  events: HistoryEvent[];
  /** `lines[i]` is the 1-based source line of `events[i]`, for error messages. */
  lines: number[];
  warnings: string[];
  /** True when `time` is only the event's position in the file (an imported log without times). */
  positionalTimes?: boolean;
}

/** Parses JSONL text already in memory; `file` only names it in messages. */
export function parseJsonl(text: string, file?: string): ReadHistory {
  const parser = new JsonlParser(file);
  const rows = text.split('\n');
  // A trailing newline yields one empty last row, which is not a line.
  if (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  rows.forEach((row) => parser.push(row));
  return parser.finish();
}

/** Streams a JSONL history file from disk line by line; throws MalformedHistoryError on bad input. */
export async function readJsonl(file: string): Promise<ReadHistory> {
  const parser = new JsonlParser(file);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) parser.push(line);
  return parser.finish();
}

/** No event is anywhere near this long; a longer line is refused before it exhausts memory. */
const MAX_LINE_CHARS = 64 * 2 ** 20;

/**
 * Streams a JSONL history file to `push`, one event at a time with its 1-based line, holding no
 * more than a few read buffers of it: the reader for histories too big to keep (the checker's
 * `checkFeed`). Parsing, the costliest part, runs on a thread of its own when the compiled
 * reader thread is there (jsonl-stream-worker.ts), so it overlaps with what `push` does.
 * Resolves with the warnings; rejects with MalformedHistoryError on bad input, or with whatever
 * `push` threw.
 */
export async function streamJsonl(file: string, push: (event: HistoryEvent, line: number) => void): Promise<string[]> {
  return existsSync(fileURLToPath(STREAM_WORKER)) ? streamJsonlInWorker(file, push) : streamJsonlHere(file, push);
}

const STREAM_WORKER = new URL('./jsonl-stream-worker.js', import.meta.url);

/** Batches read ahead by the parsing thread and not yet taken: bounds the memory in transit. */
export const MAX_BATCHES_IN_FLIGHT = 8;

/** A message from the parsing thread. */
export type StreamWorkerMessage =
  | { batch: EventBatch }
  | { done: string[] }
  | { malformed: { problem: string; file?: string; line?: number } }
  | { failed: { message: string; code?: string; syscall?: string } };

function streamJsonlInWorker(file: string, push: (event: HistoryEvent, line: number) => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const control = new SharedArrayBuffer(4);
    const inFlight = new Int32Array(control);
    const worker = new Worker(STREAM_WORKER, { workerData: { file, control } });
    const reader = new EventBatchReader();
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(err);
    };
    worker.on('message', (m: StreamWorkerMessage) => {
      if (settled) return;
      if ('batch' in m) {
        try {
          reader.read(m.batch, push);
        } catch (err) {
          fail(err);
          return;
        }
        Atomics.sub(inFlight, 0, 1);
        Atomics.notify(inFlight, 0);
      } else if ('done' in m) {
        settled = true;
        resolve(m.done);
      } else if ('malformed' in m) {
        fail(new MalformedHistoryError(m.malformed.problem, m.malformed.file, m.malformed.line));
      } else {
        fail(
          Object.assign(
            new Error(m.failed.message),
            m.failed.code === undefined ? {} : { code: m.failed.code, syscall: m.failed.syscall },
          ),
        );
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the JSONL reader thread stopped early (exit code ${code})`)));
  });
}

/** {@link streamJsonl} in this thread. */
export async function streamJsonlHere(
  file: string,
  push: (event: HistoryEvent, line: number) => void,
): Promise<string[]> {
  const parser = new JsonlParser(file, push);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      parser.push(text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_LINE_CHARS) {
      throw new MalformedHistoryError(
        `line longer than ${MAX_LINE_CHARS / 2 ** 20} Mi characters`,
        file,
        parser.lines + 1,
      );
    }
  }
  rest += decoder.end();
  if (rest !== '') parser.push(rest);
  return parser.finish().warnings;
}

/**
 * The line-at-a-time state machine behind both readers. A line that is not JSON is held back
 * until the next non-blank line arrives: only then do we know it was not the last one.
 */
class JsonlParser {
  private readonly result: ReadHistory = { events: [], lines: [], warnings: [] };
  private lineNo = 0;

  /** Lines taken so far. */
  get lines(): number {
    return this.lineNo;
  }
  private pending: { line: number; problem: string } | undefined;

  /** Events go to `emit` when given, else they are collected into the result. */
  constructor(
    private readonly file: string | undefined,
    private readonly emit?: (event: HistoryEvent, line: number) => void,
  ) {}

  push(row: string): void {
    this.lineNo++;
    const text = row.endsWith('\r') ? row.slice(0, -1) : row;
    if (text.trim() === '') return;
    this.throwPending();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      this.pending = { line: this.lineNo, problem: `not valid JSON (${(err as Error).message})` };
      return;
    }
    const checked = validateEvent(raw);
    if ('problem' in checked) throw new MalformedHistoryError(checked.problem, this.file, this.lineNo);
    if (this.emit) {
      this.emit(checked.event, this.lineNo);
      return;
    }
    this.result.events.push(checked.event);
    this.result.lines.push(this.lineNo);
  }

  finish(): ReadHistory {
    if (this.pending) {
      const where = `${this.file ?? '<history>'}:${this.pending.line}`;
      this.result.warnings.push(
        `${where}: last line is torn (${this.pending.problem}); ignored it and checked the rest`,
      );
    }
    return this.result;
  }

  private throwPending(): void {
    if (this.pending) throw new MalformedHistoryError(this.pending.problem, this.file, this.pending.line);
  }
}
