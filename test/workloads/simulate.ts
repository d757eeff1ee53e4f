/**
 * A deterministic interpreter for generator tests: simulated time, every op completes `latencyNs`
 * after it is invoked (ok, or as `outcome` says). No sleeps, no clocks.
 */
import { type GenContext, type GenEvent, type Generator, type Worker } from '../../workloads/index.js';

export interface SimulatedOp extends GenEvent {
  thread: number;
}

export interface SimulateOptions {
  threads: number;
  latencyNs: number;
  /** Stop after this simulated time even if the generator is not exhausted. */
  untilNs: number;
  outcome?: (op: SimulatedOp) => 'ok' | 'fail' | 'info';
  /** How late a timer fires when the interpreter waits for an op that is not yet due (ns). */
  timerLatenessNs?: number;
}

/** Runs a generator to exhaustion (or `untilNs`) and returns the history it produced. */
export function simulate(gen: Generator, opts: SimulateOptions): SimulatedOp[] {
  const history: SimulatedOp[] = [];
  const workers: Worker[] = Array.from({ length: opts.threads }, (_, t) => ({ thread: t, process: t }));
  const busy = new Map<number, { at: number; op: SimulatedOp }>();
  let now = 0;
  const ctx = (): GenContext => ({
    time: now,
    threads: opts.threads,
    free: workers.filter((w) => !busy.has(w.thread)),
  });
  const completeNext = (): void => {
    let first: { thread: number; at: number; op: SimulatedOp } | undefined;
    for (const [thread, b] of busy) if (!first || b.at < first.at) first = { thread, ...b };
    if (!first) throw new Error('nothing to complete');
    now = Math.max(now, first.at);
    busy.delete(first.thread);
    const type = opts.outcome?.(first.op) ?? 'ok';
    const done: SimulatedOp = { ...first.op, type, time: now };
    history.push(done);
    if (type === 'info')
      workers[first.thread] = { thread: first.thread, process: (first.op.process as number) + opts.threads };
    gen = gen.update(ctx(), done);
  };
  for (let steps = 0; steps < 1_000_000; steps++) {
    if (now > opts.untilNs) break;
    const r = gen.op(ctx());
    if (r === undefined) {
      if (busy.size === 0) break;
      completeNext();
      continue;
    }
    if (r === 'pending') {
      if (busy.size === 0) throw new Error(`generator pending with every worker free at ${now}`);
      completeNext();
      continue;
    }
    const at = r.op.time ?? now;
    const soonest = Math.min(...[...busy.values()].map((b) => b.at));
    if (at > now && soonest <= at) {
      completeNext();
      continue;
    }
    if (at > now) now = at + (opts.timerLatenessNs ?? 0);
    const worker = r.op.thread !== undefined ? workers[r.op.thread]! : ctx().free[0]!;
    if (busy.has(worker.thread)) throw new Error(`op for busy thread ${worker.thread}`);
    const invoke: SimulatedOp = {
      type: 'invoke',
      process: worker.process,
      thread: worker.thread,
      f: r.op.f,
      time: now,
      ...(r.op.key !== undefined ? { key: r.op.key } : {}),
      value: r.op.value,
    };
    history.push(invoke);
    busy.set(worker.thread, { at: now + opts.latencyNs, op: invoke });
    gen = r.next.update(ctx(), invoke);
  }
  while (busy.size > 0) completeNext();
  return history;
}
