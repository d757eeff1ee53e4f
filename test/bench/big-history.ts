/**
 * Writes a large keyed (kv) JSONL history straight to disk, for the checker's streaming
 * benchmark: too big to build in memory, which is the point. Linearizable by construction, as
 * test/checker/keyed-history.ts: a discrete-event simulation of the client processes where every
 * op takes effect on a real map at an instant inside its interval, events written in time order.
 * A fraction of ops crash (their effect happens or not; their completion is `info` or missing)
 * and retire their process. `poisonRead` makes that one read (or the next read after it) return
 * a value nobody wrote, so the history is not linearizable.
 *
 * Run: `node dist/test/bench/big-history.js FILE [OPS] [--poison OP]`.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Options of {@link writeBigKeyedHistory}. */
export interface BigHistoryOptions {
  ops: number;
  keys: number;
  processes: number;
  /** Fraction of ops that crash. */
  crashed: number;
  seed?: number;
  /** The op number whose read (or the first read after it) returns an impossible value. */
  poisonRead?: number;
}

const INVOKE = 0;
const INSTANT = 1;
const COMPLETE = 2;

interface SimOp {
  process: number;
  key: number;
  f: 'read' | 'write' | 'cas';
  input: number | null | [number, number];
  invoke: number;
  at: number;
  complete: number;
  crashed: boolean;
  applied: boolean;
  failed: boolean;
  output: number | null | [number, number];
  poisoned: boolean;
}

/** Writes the history to `file`; returns the number of events written. */
export function writeBigKeyedHistory(file: string, o: BigHistoryOptions): number {
  let seed = o.seed ?? 12345;
  const rand = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(rand() * n);
  const state: (number | null)[] = new Array<number | null>(o.keys).fill(null);
  const written = new Int32Array(o.keys);
  const fd = openSync(file, 'w');
  let out = '';
  let index = 0;
  const emit = (
    type: string,
    op: SimOp,
    time: number,
    value: number | null | [number, number] | undefined,
    error?: string,
  ): void => {
    const v =
      value === undefined ? '' : `,"value":${Array.isArray(value) ? `[${value[0]},${value[1]}]` : String(value)}`;
    const err = error === undefined ? '' : `,"error":"${error}"`;
    out += `{"type":"${type}","process":${op.process},"f":"${op.f}","key":${op.key}${v},"time":${time * 1000},"index":${index++}${err}}\n`;
    if (out.length > 1 << 20) {
      writeSync(fd, out);
      out = '';
    }
  };

  // A binary heap of (time, kind, op), ordered by time, then invokes before instants before completions.
  const heap: { rank: number; kind: number; op: SimOp }[] = [];
  const push = (time: number, kind: number, op: SimOp): void => {
    heap.push({ rank: time * 4 + kind, kind, op });
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.rank <= heap[i]!.rank) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  };
  const pop = (): { rank: number; kind: number; op: SimOp } => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = i * 2 + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.rank < heap[m]!.rank) m = l;
        if (r < heap.length && heap[r]!.rank < heap[m]!.rank) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };

  let started = 0;
  let nextProcess = o.processes;
  let poisonPending = o.poisonRead !== undefined;
  const start = (process: number, after: number): void => {
    if (started >= o.ops) return;
    const n = started++;
    const key = int(o.keys);
    const invoke = after + 1 + int(5);
    const at = invoke + 1 + int(20);
    const complete = at + 1 + int(20);
    const r = int(10);
    const f = r < 5 ? 'read' : r < 8 ? 'write' : 'cas';
    const input: SimOp['input'] =
      f === 'read' ? null : f === 'write' ? ++written[key]! : [written[key]! - int(2), ++written[key]!];
    const crashed = rand() < o.crashed;
    const poisoned = poisonPending && f === 'read' && !crashed && n >= o.poisonRead!;
    if (poisoned) poisonPending = false;
    const op: SimOp = {
      process,
      key,
      f,
      input,
      invoke,
      at,
      complete,
      crashed,
      applied: !crashed || rand() < 0.5,
      failed: false,
      output: null,
      poisoned,
    };
    push(invoke, INVOKE, op);
  };
  for (let p = 0; p < o.processes; p++) start(p, 0);

  while (heap.length > 0) {
    const { kind, op } = pop();
    if (kind === INVOKE) {
      emit('invoke', op, op.invoke, op.input);
      push(op.at, INSTANT, op);
    } else if (kind === INSTANT) {
      if (op.applied) {
        if (op.f === 'read') op.output = op.poisoned ? -999_999 : state[op.key]!;
        else if (op.f === 'write') {
          state[op.key] = op.input as number;
          op.output = op.input;
        } else {
          const [a, b] = op.input as [number, number];
          if (state[op.key] === a) {
            state[op.key] = b;
            op.output = op.input;
          } else op.failed = true;
        }
      }
      push(op.complete, COMPLETE, op);
    } else {
      if (op.crashed) {
        if (rand() < 0.5) emit('info', op, op.complete, undefined, 'timeout');
        start(nextProcess++, op.complete);
      } else {
        emit(op.failed ? 'fail' : 'ok', op, op.complete, op.failed ? op.input : op.output);
        start(op.process, op.complete);
      }
    }
  }
  writeSync(fd, out);
  closeSync(fd);
  return index;
}

// Run directly: `node dist/test/bench/big-history.js FILE [OPS] [--poison OP]`.
if (process.argv[1]?.endsWith('/bench/big-history.js')) {
  const [file, ops, flag, at] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: big-history.js FILE [OPS] [--poison OP]');
    process.exit(64);
  }
  const t0 = performance.now();
  const events = writeBigKeyedHistory(file, {
    ops: Number(ops ?? 10_000_000),
    keys: 10_000,
    processes: 50,
    crashed: 0.01,
    ...(flag === '--poison' ? { poisonRead: Number(at) } : {}),
  });
  console.log(`${file}: ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
