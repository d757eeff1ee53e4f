/**
 * Spreads the parts of a keyed history over worker threads. Workers load the compiled
 * `dist/checker/worker.js` next to this file; when that does not exist (running from TypeScript
 * source), {@link workersAvailable} says so and the caller checks in-thread. The first invalid
 * part stops every worker; a watchdog past the deadline and an abort signal do too, so a check
 * never hangs on a worker.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Part } from './preprocess.js';
import type { Operation } from './result.js';
import type { SearchOutcome, UnknownReason } from './search.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** True when the compiled worker script exists next to this module. */
export function workersAvailable(): boolean {
  return WORKER_URL.protocol === 'file:' && existsSync(fileURLToPath(WORKER_URL));
}

/** A batch of parts sent to a worker. */
export interface WorkerRequest {
  parts: Pick<Operation, 'f' | 'input' | 'output' | 'status' | 'call' | 'return' | 'key'>[][];
  deadline: number;
  memoryLimitBytes: number;
  /** Search on past an invalid part (CheckOptions' `everyKey`). */
  everyPart: boolean;
}

/** A worker's answer: one outcome per part of the batch, undefined for parts skipped after an invalid one. */
export interface WorkerResponse {
  outcomes: (SearchOutcome | undefined)[];
}

/**
 * Searches `parts` with `model` (a built-in name) over `workers` threads; one outcome per part,
 * undefined where not searched. The first invalid part stops every worker unless `everyPart`.
 */
export function runPartsInWorkers(
  parts: Part[],
  model: string,
  workers: number,
  deadline: number,
  memoryLimitBytes: number,
  signal?: AbortSignal,
  everyPart = false,
): Promise<(SearchOutcome | undefined)[]> {
  const outcomes: (SearchOutcome | undefined)[] = new Array<SearchOutcome | undefined>(parts.length).fill(undefined);
  let total = 0;
  for (const p of parts) total += p.searched.length;
  // Batches of about 1/16 of a worker's share keep the load even without a message per part.
  const batchOps = Math.max(1, Math.ceil(total / (workers * 16)));
  const batches: number[][] = [];
  let current: number[] = [];
  let size = 0;
  parts.forEach((p, k) => {
    current.push(k);
    size += p.searched.length;
    if (size >= batchOps) {
      batches.push(current);
      current = [];
      size = 0;
    }
  });
  if (current.length > 0) batches.push(current);

  const perWorkerBytes = Math.floor(memoryLimitBytes / workers);
  return new Promise((resolve) => {
    const pool: Worker[] = [];
    let nextBatch = 0;
    let finished = false;
    let running = 0;
    const finish = (reason?: UnknownReason): void => {
      if (finished) return;
      finished = true;
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
      for (const w of pool) void w.terminate();
      if (reason) outcomes.forEach((o, k) => (outcomes[k] = o ?? { valid: 'unknown', reason }));
      resolve(outcomes);
    };
    const onAbort = (): void => finish('aborted');
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) return finish('aborted');
    // Workers watch the clock themselves; this only catches one that stopped answering.
    const remaining = deadline - Date.now();
    const watchdog = Number.isFinite(remaining)
      ? setTimeout(() => finish('time-limit'), Math.max(0, remaining) + Math.max(50, remaining * 0.03))
      : undefined;

    const dispatch = (w: Worker): void => {
      if (finished) return;
      if (nextBatch >= batches.length) {
        if (running === 0) finish();
        return;
      }
      const batch = batches[nextBatch++]!;
      running++;
      const request: WorkerRequest = {
        parts: batch.map((k) =>
          parts[k]!.searched.map((op) => ({
            f: op.f,
            input: op.input,
            output: op.output,
            status: op.status,
            call: op.call,
            return: op.return,
            key: op.key,
          })),
        ),
        deadline,
        memoryLimitBytes: Math.floor(perWorkerBytes / 2),
        everyPart,
      };
      w.once('message', (response: WorkerResponse) => {
        running--;
        response.outcomes.forEach((o, j) => (outcomes[batch[j]!] = o));
        if (!everyPart && response.outcomes.some((o) => o?.valid === false)) return finish();
        dispatch(w);
      });
      w.postMessage(request);
    };

    for (let i = 0; i < workers; i++) {
      const w = new Worker(WORKER_URL, {
        workerData: { model },
        resourceLimits: { maxOldGenerationSizeMb: Math.ceil(perWorkerBytes / 2 ** 20) + 256 },
      });
      w.on('error', (err: Error & { code?: string }) =>
        finish(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory-limit' : 'aborted'),
      );
      pool.push(w);
      dispatch(w);
    }
  });
}
