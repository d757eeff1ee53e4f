/**
 * Large keyed histories for the worker-pool test and the scale benchmark, linearizable by
 * construction: each op takes effect on a real map at an instant inside its interval, in the
 * order of those instants, and reports what the map said. A fraction of ops crash (their effect
 * may or may not happen; their completion is `info` or missing) and their process is retired.
 */
import { type HistoryEvent } from '../../src/history/index.js';

/** Options of {@link generateKeyedHistory}. */
export interface KeyedHistoryOptions {
  ops: number;
  keys: number;
  processes: number;
  /** Fraction of ops that crash. */
  crashed: number;
  seed?: number;
}

/** A kv (cas-register per key) history of `ops` ops, as events in time order. */
export function generateKeyedHistory(o: KeyedHistoryOptions): HistoryEvent[] {
  let seed = o.seed ?? 12345;
  const rand = (n: number): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
  };
  const int = (n: number): number => Math.floor(rand(n));
  type GenOp = {
    process: number;
    key: number;
    f: string;
    input: unknown;
    invoke: number;
    at: number;
    complete: number;
    crashed: boolean;
    output?: unknown;
    applied: boolean;
  };
  const ops: GenOp[] = [];
  const clock = new Array<number>(o.processes).fill(0);
  const ids = Array.from({ length: o.processes }, (_, i) => i);
  let nextId = o.processes;
  const written = new Array<number>(o.keys).fill(0);
  for (let i = 0; i < o.ops; i++) {
    const p = i % o.processes;
    const key = int(o.keys);
    const invoke = clock[p]! + 1 + int(5);
    const at = invoke + 1 + int(20);
    const complete = at + 1 + int(20);
    clock[p] = complete;
    const r = int(10);
    let f: string;
    let input: unknown;
    if (r < 5) [f, input] = ['read', null];
    else if (r < 8) [f, input] = ['write', ++written[key]!];
    else [f, input] = ['cas', [written[key]! - int(2), ++written[key]!]];
    const crashed = rand(1) < o.crashed;
    ops.push({ process: ids[p]!, key, f, input, invoke, at, complete, crashed, applied: !crashed || rand(1) < 0.5 });
    if (crashed) ids[p] = nextId++;
  }
  // Apply effects in the order of their instants.
  const state = new Array<unknown>(o.keys).fill(null);
  const byInstant = ops.map((_, i) => i).sort((a, b) => ops[a]!.at - ops[b]!.at);
  for (const i of byInstant) {
    const op = ops[i]!;
    if (!op.applied) continue;
    if (op.f === 'read') op.output = state[op.key];
    else if (op.f === 'write') {
      state[op.key] = op.input;
      op.output = op.input;
    } else {
      const [a, b] = op.input as [unknown, unknown];
      if (state[op.key] === a) {
        state[op.key] = b;
        op.output = op.input;
      } else op.output = undefined; // a failed cas: completes with fail
    }
  }
  // Invokes sort before completions at equal times; every event has the same fields (one shape).
  const events: { t: number; e: HistoryEvent }[] = [];
  const event = (type: HistoryEvent['type'], op: GenOp, time: number, value: unknown, error?: string): HistoryEvent =>
    ({ type, process: op.process, f: op.f, key: op.key, value, time, index: 0, error }) as HistoryEvent;
  for (const op of ops) {
    events.push({ t: op.invoke * 2, e: event('invoke', op, op.invoke, op.input) });
    if (op.crashed) {
      if (rand(1) < 0.5)
        events.push({ t: op.complete * 2 + 1, e: event('info', op, op.complete, undefined, 'timeout') });
      continue;
    }
    const failed = op.f === 'cas' && op.output === undefined;
    events.push({
      t: op.complete * 2 + 1,
      e: event(failed ? 'fail' : 'ok', op, op.complete, failed ? op.input : op.output),
    });
  }
  events.sort((a, b) => a.t - b.t);
  return events.map((x, index) => {
    x.e.index = index;
    return x.e;
  });
}
