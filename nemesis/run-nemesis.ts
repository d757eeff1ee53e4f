/**
 * The interpreter that drives a nemesis from its generator beside the clients: wait until the
 * next op is due, invoke it, write what it did into the history, repeat; when the run is over
 * (the abort signal fires), run the final heal phase. The only place in nemesis/ that sleeps.
 */
import type { HistoryEvent } from '../src/history/event.js';
import type { NemesisGenerator } from './generator.js';
import type { CompletedNemesisOp, Nemesis, NemesisOp } from './nemesis.js';

/** A nemesis history event before the runner stamps `time` and `index`. */
export type NemesisEvent = Omit<HistoryEvent, 'time' | 'index'> & { type: 'info'; process: 'nemesis' };

/** Everything the interpreter needs; clock and sleep are injected so tests control time. */
export interface RunNemesisOptions {
  nemesis: Nemesis;
  generator: NemesisGenerator;
  /** Runs after the abort signal, to completion, whatever happens: heals everything. */
  final: NemesisGenerator;
  /** Called once per completed op; the runner stamps the time and appends it to the history. */
  emit: (event: NemesisEvent) => void;
  /** Nanoseconds since the test began, from the run's monotonic clock. */
  now: () => number;
  /** Fires when the schedule should stop (time limit reached, clients done, or Ctrl-C). */
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Turns a completed op into the history event the spec defines for nemesis actions. */
export function toNemesisEvent(done: CompletedNemesisOp): NemesisEvent {
  const e: NemesisEvent = { type: 'info', process: 'nemesis', f: done.f, value: done.value };
  if (done.error !== undefined) e.error = done.error;
  return e;
}

/** Runs the schedule until the signal fires, then the final phase; returns every completed op in order. */
export async function runNemesis(o: RunNemesisOptions): Promise<CompletedNemesisOp[]> {
  const sleep = o.sleep ?? abortableSleep;
  const done: CompletedNemesisOp[] = [];
  const invoke = async (op: NemesisOp): Promise<void> => {
    let result: CompletedNemesisOp;
    try {
      result = await o.nemesis.invoke({ f: op.f, value: op.value });
    } catch (e) {
      result = { f: op.f, value: { injected: 0, plan: op.value }, error: e instanceof Error ? e.message : String(e) };
    }
    done.push(result);
    o.emit(toNemesisEvent(result));
  };
  let gen: NemesisGenerator | undefined = o.generator;
  while (!o.signal.aborted && gen !== undefined) {
    const step = gen.op({ time: o.now() });
    if (step === undefined) break;
    const waitMs = (step.op.time - o.now()) / 1e6;
    if (waitMs > 0) await sleep(waitMs, o.signal);
    if (o.signal.aborted) break;
    await invoke(step.op);
    gen = step.next;
  }
  // The final phase ignores the signal: it is what makes stopping safe.
  const never = new AbortController().signal;
  for (let g: NemesisGenerator | undefined = o.final; g !== undefined;) {
    const step = g.op({ time: o.now() });
    if (step === undefined) break;
    const waitMs = (step.op.time - o.now()) / 1e6;
    if (waitMs > 0) await sleep(waitMs, never);
    await invoke(step.op);
    g = step.next;
  }
  return done;
}

/** Sleeps for `ms`, or less if the signal fires first. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', finish);
      resolve();
    }
    signal.addEventListener('abort', finish, { once: true });
  });
}
