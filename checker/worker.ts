/**
 * A checker worker thread: receives batches of parts (see pool.ts), searches each with the
 * built-in model named in workerData, and answers with the outcomes, stopping a batch at its
 * first invalid part unless asked to search every part.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fillDefaults } from './model.js';
import { modelByName } from './models/index.js';
import type { WorkerRequest, WorkerResponse } from './pool.js';
import type { Operation } from './result.js';
import { runPartsInterleavedSync } from './run-parts.js';

const model = fillDefaults(modelByName((workerData as { model: string }).model));

parentPort!.on('message', (request: WorkerRequest) => {
  const outcomes = runPartsInterleavedSync(
    request.parts as Operation[][],
    model,
    { deadline: request.deadline, memoryLimitBytes: request.memoryLimitBytes },
    request.everyPart,
  );
  const response: WorkerResponse = { outcomes };
  parentPort!.postMessage(response);
});
