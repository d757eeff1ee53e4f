/**
 * Drives a generator against real clients in real time, as Jepsen's generator interpreter: ask
 * the generator for an op, wait until it is due (or until a completion changes the picture, then
 * ask again), invoke it on a free worker, record invoke and completion, feed completions back.
 * A worker whose op ended `info` continues as a fresh process with a fresh client. The nemesis
 * is one more worker (process "nemesis", see `withNemesis`): its invoke is recorded when the
 * fault starts and its `info` completion, carrying what it did, once the fault is in force.
 */
import type { HistoryEvent } from '../history/index.js';
import {
  NEMESIS_WORKER,
  type Client,
  type ClientPool,
  type Completion,
  type GenContext,
  type GenEvent,
  type Generator,
  type Worker,
} from '../../workloads/index.js';
import type { Recorder } from './recorder.js';

/** What the interpreter needs. */
export interface InterpretOptions {
  generator: Generator;
  pool: ClientPool;
  recorder: Recorder;
  /** Worker threads; process numbers start at `firstProcess` and grow by `threads` on retirement. */
  threads: number;
  firstProcess?: number;
  /** Stops issuing ops when it fires; ops in flight still complete (clients time out on their own). */
  signal?: AbortSignal;
  /** The nemesis process's client; when given, the nemesis worker takes ops too. */
  nemesis?: Client;
  /** Hears each error a client's invoke threw (the op is recorded `info`): a client bug, not an outcome. */
  onClientError?: (e: unknown) => void;
}

/** An op closer than this to being due is invoked now: timers are not finer than a millisecond. */
const DUE_SLACK_NS = 1_000_000;

interface Slot {
  worker: Worker;
  client: Client;
  busy: boolean;
}

/** Runs the generator until it is exhausted (or the signal fires) and every op has completed. */
export async function interpret(o: InterpretOptions): Promise<void> {
  const first = o.firstProcess ?? 0;
  const slots = new Map<number, Slot>();
  for (let t = 0; t < o.threads; t++) {
    slots.set(t, { worker: { thread: t, process: first + t }, client: o.pool.open(first + t), busy: false });
  }
  if (o.nemesis) slots.set(NEMESIS_WORKER.thread, { worker: NEMESIS_WORKER, client: o.nemesis, busy: false });
  // Free threads in the order they became free, so work rotates over workers (and nodes).
  let freeOrder: number[] = [...slots.keys()];
  let busyCount = 0;
  const completions: GenEvent[] = [];
  let wake: (() => void) | undefined;
  const wakeUp = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  o.signal?.addEventListener('abort', wakeUp);

  const ctx = (): GenContext => ({
    time: o.recorder.now(),
    threads: o.threads,
    free: freeOrder.map((t) => slots.get(t)!.worker),
  });

  const waitFor = (ns: number | undefined): Promise<void> =>
    new Promise((resolve) => {
      // Only news resolves at once; after an abort we still wait for the ops in flight.
      if (completions.length > 0) return resolve();
      const timer = ns === undefined ? undefined : setTimeout(wakeUp, Math.max(1, Math.floor(ns / 1e6)));
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const start = (slot: Slot, invoke: HistoryEvent): void => {
    slot.busy = true;
    busyCount++;
    const op = { f: invoke.f, key: invoke.key, value: invoke.value };
    let done: Promise<Completion>;
    try {
      done = slot.client.invoke(op);
    } catch (e) {
      done = Promise.reject(e);
    }
    done
      .catch((e: unknown): Completion => {
        if (slot.worker.process !== 'nemesis') o.onClientError?.(e);
        return { type: 'info', error: `client error: ${e instanceof Error ? e.message : String(e)}` };
      })
      .then((c) => {
        const event: HistoryEvent = { type: c.type, process: slot.worker.process, f: invoke.f, time: 0 };
        if (invoke.key !== undefined) event.key = invoke.key;
        if (c.type === 'ok' || slot.worker.process === 'nemesis') event.value = c.value;
        if (c.node !== undefined) event.node = c.node;
        if (c.error !== undefined) event.error = c.error;
        const recorded = o.recorder.record({ ...event, time: undefined });
        completions.push({ ...recorded, thread: slot.worker.thread });
        slot.busy = false;
        busyCount--;
        if (c.type === 'info' && slot.worker.process !== 'nemesis') {
          const process = slot.worker.process + o.threads;
          slot.worker = { thread: slot.worker.thread, process };
          slot.client = o.pool.open(process);
        }
        freeOrder.push(slot.worker.thread);
        wakeUp();
      });
  };

  let gen = o.generator;
  for (;;) {
    while (completions.length > 0) gen = gen.update(ctx(), completions.shift()!);
    if (o.signal?.aborted) {
      if (busyCount === 0) break;
      await waitFor(undefined);
      continue;
    }
    if (busyCount === 0 && completions.length === 0 && freeOrder.length === 0) {
      throw new Error('interpreter: no worker is busy and none is free');
    }
    const c = ctx();
    const r = gen.op(c);
    if (r === undefined) {
      if (busyCount === 0) break;
      await waitFor(undefined);
      continue;
    }
    if (r === 'pending') {
      // Pending with nothing in flight could only be woken by time passing; poll gently.
      await waitFor(busyCount === 0 ? 10_000_000 : undefined);
      continue;
    }
    const due = r.op.time ?? c.time;
    if (due > c.time + DUE_SLACK_NS) {
      await waitFor(due - c.time);
      continue;
    }
    const thread = r.op.thread ?? freeOrder[0];
    const slot = thread === undefined ? undefined : slots.get(thread);
    if (slot === undefined || slot.busy) throw new Error(`generator gave an op for a busy or missing worker ${thread}`);
    freeOrder = freeOrder.filter((t) => t !== thread);
    const invoke: Omit<HistoryEvent, 'time'> = {
      type: 'invoke',
      process: slot.worker.process,
      f: r.op.f,
      value: r.op.value ?? null,
    };
    if (r.op.key !== undefined) invoke.key = r.op.key;
    const recorded = o.recorder.record(invoke);
    gen = r.next.update(ctx(), { ...recorded, thread });
    start(slot, recorded);
  }
  o.signal?.removeEventListener('abort', wakeUp);
}
