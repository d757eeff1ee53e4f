/**
 * The parsing thread of `streamJsonl`: reads and validates a JSONL history as the in-thread
 * reader does, and posts the events in batches (event-batch.ts). It waits while the reading
 * thread has MAX_BATCHES_IN_FLIGHT batches not yet taken, so memory stays bounded whichever
 * side is faster.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { MalformedHistoryError } from '../../checker/index.js';
import { EventBatchWriter, type EventBatch } from './event-batch.js';
import { MAX_BATCHES_IN_FLIGHT, streamJsonlHere, type StreamWorkerMessage } from './jsonl-reader.js';

const { file, control } = workerData as { file: string; control: SharedArrayBuffer };
const inFlight = new Int32Array(control);
const writer = new EventBatchWriter();

function post(batch: EventBatch): void {
  for (let n = Atomics.load(inFlight, 0); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(inFlight, 0))
    Atomics.wait(inFlight, 0, n);
  Atomics.add(inFlight, 0, 1);
  const message: StreamWorkerMessage = { batch };
  parentPort!.postMessage(message, [batch.records.buffer as ArrayBuffer]);
}

function send(message: StreamWorkerMessage): void {
  parentPort!.postMessage(message);
}

try {
  const warnings = await streamJsonlHere(file, (event, line) => {
    const batch = writer.add(event, line);
    if (batch) post(batch);
  });
  post(writer.take());
  send({ done: warnings });
} catch (err) {
  if (err instanceof MalformedHistoryError) {
    send({
      malformed: {
        problem: err.problem,
        ...(err.file === undefined ? {} : { file: err.file }),
        ...(err.line === undefined ? {} : { line: err.line }),
      },
    });
  } else {
    const e = err as NodeJS.ErrnoException;
    send({
      failed: {
        message: e.message ?? String(err),
        ...(e.code === undefined ? {} : { code: e.code }),
        ...(e.syscall === undefined ? {} : { syscall: e.syscall }),
      },
    });
  }
}
