/**
 * Tiny random histories for property tests, made linearizable by construction: processes invoke
 * ops, each op takes effect on a real object at a random instant before it completes, and its
 * completion reports what the object said. Some ops crash (info, or no completion at all), with
 * or without having taken effect; ops the object refuses (a cas that does not match, an acquire
 * of a held lock) complete with fail and take no effect. `mutate` then breaks such a history in
 * small ways, which may or may not make it invalid.
 */
import { type HistoryEvent } from '../../src/history/index.js';
import type { TinyOp } from './brute-force.js';

/** Draws choices from a list of numbers (fast-check shrinks the list), cycling past its end. */
export class Choices {
  private i = 0;
  constructor(private readonly seq: readonly number[]) {}
  /** A number in 0..n-1. */
  pick(n: number): number {
    if (this.seq.length === 0) return 0;
    return this.seq[this.i++ % this.seq.length]! % n;
  }
  /** True with probability about p. */
  chance(p: number): boolean {
    return this.pick(1000) < p * 1000;
  }
}

/** A generated history: its events and, for the brute-force checker, its ops (fails removed). */
export interface Generated {
  events: HistoryEvent[];
  ops: TinyOp[];
}

type Op = { f: string; key?: string; input: unknown };
type Effect = { ok: boolean; output: unknown; next: Record<string, unknown> };

const VALUES = [0, 1, 2];

function randomOp(model: string, c: Choices): Op {
  const key = ['a', 'b'][c.pick(2)]!;
  switch (model) {
    case 'register':
      return c.chance(0.5) ? { f: 'read', input: null } : { f: 'write', input: VALUES[c.pick(3)] };
    case 'cas-register':
    case 'kv': {
      const k = model === 'kv' ? { key } : {};
      const r = c.pick(3);
      if (r === 0) return { f: 'read', input: null, ...k };
      if (r === 1) return { f: 'write', input: VALUES[c.pick(3)], ...k };
      return { f: 'cas', input: [[null, 0, 1][c.pick(3)], VALUES[c.pick(3)]], ...k };
    }
    case 'kv-append': {
      const r = c.pick(3);
      if (r === 0) return { f: 'get', input: null, key };
      return { f: r === 1 ? 'put' : 'append', input: ['x', 'y'][c.pick(2)], key };
    }
    default:
      return { f: c.chance(0.5) ? 'acquire' : 'release', input: null };
  }
}

function effect(model: string, state: Record<string, unknown>, op: Op): Effect {
  const slot = op.key ?? '';
  const cur = state[slot] ?? (model === 'kv-append' ? '' : model === 'mutex' ? false : null);
  const set = (v: unknown): Record<string, unknown> => ({ ...state, [slot]: v });
  switch (op.f) {
    case 'read':
    case 'get':
      return { ok: true, output: cur, next: state };
    case 'write':
    case 'put':
      return { ok: true, output: op.input, next: set(op.input) };
    case 'append':
      return { ok: true, output: op.input, next: set((cur as string) + (op.input as string)) };
    case 'cas': {
      const [a, b] = op.input as [unknown, unknown];
      return cur === a ? { ok: true, output: op.input, next: set(b) } : { ok: false, output: op.input, next: state };
    }
    case 'acquire':
      return cur === false ? { ok: true, output: null, next: set(true) } : { ok: false, output: null, next: state };
    default:
      return cur === true ? { ok: true, output: null, next: set(false) } : { ok: false, output: null, next: state };
  }
}

/** Generates a linearizable history of at most `maxOps` ops over `processes` concurrent clients. */
export function generateLinearizable(model: string, c: Choices, maxOps: number, processes = 3): Generated {
  const events: HistoryEvent[] = [];
  let state: Record<string, unknown> = {};
  let time = 0;
  let started = 0;
  let nextProcess = processes;
  type Running = { process: number; op: Op; stage: 'invoked' | 'applied'; result?: Effect; crash: boolean };
  const slots: (Running | undefined)[] = new Array<Running | undefined>(processes).fill(undefined);
  const ids = Array.from({ length: processes }, (_, i) => i);
  const emit = (e: Omit<HistoryEvent, 'time'>): void => {
    events.push({ ...e, time: time++ } as HistoryEvent);
  };
  const keyOf = (op: Op): { key?: string } => (op.key === undefined ? {} : { key: op.key });
  for (let guard = 0; guard < 1000 && (started < maxOps || slots.some(Boolean)); guard++) {
    const s = c.pick(processes);
    const run = slots[s];
    if (!run) {
      if (started >= maxOps) continue;
      const op = randomOp(model, c);
      started++;
      slots[s] = { process: ids[s]!, op, stage: 'invoked', crash: c.chance(0.15) };
      emit({ type: 'invoke', process: ids[s]!, f: op.f, value: op.input, ...keyOf(op) });
    } else if (run.stage === 'invoked') {
      // The op takes effect now (a crashed one maybe never).
      if (run.crash && c.chance(0.5)) {
        run.stage = 'applied';
        continue;
      }
      const result = effect(model, state, run.op);
      if (result.ok) state = result.next;
      run.result = result;
      run.stage = 'applied';
    } else {
      const r = run.result;
      if (run.crash) {
        if (c.chance(0.7))
          emit({ type: 'info', process: run.process, f: run.op.f, ...keyOf(run.op), error: 'timeout' });
        // A crashed process never invokes again; a fresh process takes its place.
        ids[s] = nextProcess++;
      } else if (r && r.ok) {
        emit({ type: 'ok', process: run.process, f: run.op.f, value: r.output, ...keyOf(run.op) });
      } else {
        emit({ type: 'fail', process: run.process, f: run.op.f, value: run.op.input, ...keyOf(run.op) });
      }
      slots[s] = undefined;
    }
  }
  // Ops still running when generation stops have no completion: crashed, which the spec allows.
  return { events, ops: opsOf(events) };
}

/** Pairs events into brute-force ops without the checker's code: fail dropped, info/open crashed. */
export function opsOf(events: readonly HistoryEvent[]): TinyOp[] {
  const open = new Map<number, { e: HistoryEvent }>();
  const ops: TinyOp[] = [];
  const byInvoke = new Map<HistoryEvent, TinyOp>();
  for (const e of events) {
    const p = e.process as number;
    if (e.type === 'invoke') {
      open.set(p, { e });
      const op: TinyOp = { process: p, f: e.f, input: e.value, output: undefined, call: e.time, ret: null };
      if (e.key !== undefined) op.key = String(e.key);
      byInvoke.set(e, op);
      ops.push(op);
      continue;
    }
    const inv = open.get(p)!;
    open.delete(p);
    const op = byInvoke.get(inv.e)!;
    if (e.type === 'fail') ops.splice(ops.indexOf(op), 1);
    else if (e.type === 'ok') {
      op.ret = e.time;
      op.output = e.value;
    }
  }
  return ops;
}

/** Breaks a history in one small way: a different read result, write value, or success claim, or reordered events. */
export function mutate(model: string, events: HistoryEvent[], c: Choices): HistoryEvent[] {
  const out = events.map((e) => ({ ...e }));
  const completions = out.filter((e) => e.type === 'ok' || e.type === 'fail');
  if (completions.length === 0) return out;
  const kind = c.pick(3);
  if (kind === 0) {
    // A different result or argument for one completed op.
    const e = completions[c.pick(completions.length)]!;
    const inv = [...out.slice(0, out.indexOf(e))]
      .reverse()
      .find((x) => x.process === e.process && x.type === 'invoke')!;
    if (e.f === 'read') e.value = [null, ...VALUES][c.pick(4)];
    else if (e.f === 'get') e.value = ['', 'x', 'y', 'xy', 'yx'][c.pick(5)];
    else if (e.f === 'write' || e.f === 'put' || e.f === 'append') {
      const v = model === 'kv-append' ? ['x', 'y', 'xx'][c.pick(3)] : VALUES[c.pick(3)];
      inv.value = v;
      e.value = v;
    } else if (e.type === 'fail') e.type = 'ok'; // a refused cas/acquire/release claims success
  } else if (kind === 1) {
    // A fail that claims success.
    const fails = completions.filter((e) => e.type === 'fail');
    const e = fails.length > 0 ? fails[c.pick(fails.length)]! : completions[c.pick(completions.length)]!;
    e.type = 'ok';
  } else {
    // Move one completion later, past other events: the real-time order changes. (The caller
    // skips the result when this leaves a process with two ops outstanding.)
    const e = completions[c.pick(completions.length)]!;
    const from = out.indexOf(e);
    const to = Math.min(out.length - 1, from + 1 + c.pick(3));
    out.splice(from, 1);
    out.splice(to, 0, e);
    out.forEach((x, i) => (x.time = i));
  }
  return out;
}
