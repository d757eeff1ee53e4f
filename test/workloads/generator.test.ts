import { describe, expect, it } from 'vitest';
import {
  independent,
  kvWorkload,
  limit,
  phases,
  registerWorkload,
  casRegisterWorkload,
  repeat,
  sequence,
  stagger,
  timeLimit,
  type Generator,
} from '../../workloads/index.js';
import { REVISIT_SHARE, REVISITED_KEYS } from '../../workloads/kv.js';
import { simulate, type SimulatedOp } from './simulate.js';

const MS = 1_000_000;
const S = 1_000_000_000;
const invokes = (h: SimulatedOp[]) => h.filter((e) => e.type === 'invoke');
const brief = (h: SimulatedOp[]) => invokes(h).map((e) => [e.f, e.key, e.value, e.time, e.thread]);

describe('generators', () => {
  it('replay the same ops at the same times for the same seed, and differ for another seed', () => {
    const run = (seed: number) =>
      brief(
        simulate(timeLimit(2 * S, kvWorkload({ concurrency: 10, rate: 200, seed }).generator()), {
          threads: 10,
          latencyNs: 3 * MS,
          untilNs: 10 * S,
        }),
      );
    const a = run(7);
    expect(a.length).toBeGreaterThan(100);
    expect(run(7)).toEqual(a);
    expect(run(8)).not.toEqual(a);
  });

  it('give exactly as many ops as a limit allows', () => {
    const gen = limit(
      37,
      repeat((rng) => [{ f: 'read', value: null }, rng], 1),
    );
    const h = simulate(gen, { threads: 4, latencyNs: MS, untilNs: 100 * S });
    expect(invokes(h)).toHaveLength(37);
    expect(h.filter((e) => e.type === 'ok')).toHaveLength(37);
  });

  it('hold a requested rate when the workers keep up', () => {
    const gen = timeLimit(10 * S, registerWorkload({ concurrency: 5, rate: 100, seed: 3 }).generator());
    const n = invokes(simulate(gen, { threads: 5, latencyNs: 2 * MS, untilNs: 20 * S })).length;
    expect(n).toBeGreaterThan(850);
    expect(n).toBeLessThan(1150);
  });

  it('keep the requested rate even when timers fire late', () => {
    const gen = timeLimit(10 * S, registerWorkload({ concurrency: 10, rate: 200, seed: 3 }).generator());
    const h = simulate(gen, { threads: 10, latencyNs: 2 * MS, untilNs: 20 * S, timerLatenessNs: 3 * MS });
    const n = invokes(h).length;
    expect(n).toBeGreaterThan(1800);
    expect(n).toBeLessThan(2200);
  });

  it('are limited by the workers when the rate is higher than they can serve', () => {
    // 2 workers, 10 ms per op: at most 200 ops/s whatever the rate asked.
    const gen = timeLimit(5 * S, registerWorkload({ concurrency: 2, rate: 10_000, seed: 3 }).generator());
    const n = invokes(simulate(gen, { threads: 2, latencyNs: 10 * MS, untilNs: 20 * S })).length;
    expect(n).toBeLessThanOrEqual(1002);
    expect(n).toBeGreaterThan(900);
  });

  it('invoke nothing after a time limit', () => {
    const gen = timeLimit(
      3 * S,
      stagger(
        10 * MS,
        repeat((rng) => [{ f: 'read', value: null }, rng], 1),
        1,
      ),
    );
    const h = simulate(gen, { threads: 3, latencyNs: MS, untilNs: 30 * S });
    const times = invokes(h).map((e) => e.time);
    expect(Math.max(...times)).toBeLessThan(3 * S);
    expect(times.length).toBeGreaterThan(200);
  });

  it('start a phase only after every op of the previous phase completed', () => {
    const first = limit(
      20,
      repeat((rng) => [{ f: 'write', value: 1 }, rng], 1),
    );
    const second = sequence([
      { f: 'read', value: null },
      { f: 'read', value: null },
    ]);
    const h = simulate(phases(first, second), { threads: 4, latencyNs: 5 * MS, untilNs: 10 * S });
    const lastWriteDone = Math.max(...h.filter((e) => e.f === 'write' && e.type === 'ok').map((e) => e.time));
    const reads = invokes(h).filter((e) => e.f === 'read');
    expect(reads).toHaveLength(2);
    for (const r of reads) expect(r.time).toBeGreaterThanOrEqual(lastWriteDone);
  });
});

describe('workloads', () => {
  it('register reads and writes, never issues a cas, and never writes a value twice', () => {
    const w = registerWorkload({ concurrency: 3, rate: 0, seed: 1 });
    expect(w.model).toBe('register');
    const h = invokes(simulate(limit(500, w.generator()), { threads: 3, latencyNs: MS, untilNs: 10 * S }));
    expect(new Set(h.map((e) => e.f))).toEqual(new Set(['read', 'write']));
    const written = h.filter((e) => e.f === 'write').map((e) => e.value);
    expect(new Set(written).size).toBe(written.length);
    for (const e of h) {
      expect(e.key).toBeUndefined();
      if (e.f === 'read') expect(e.value).toBeNull();
    }
  });

  it('a cas expects a value recently read or written, and puts a value never written before', () => {
    const w = casRegisterWorkload({ concurrency: 2, rate: 0, seed: 3 });
    const h = simulate(limit(400, w.generator()), { threads: 2, latencyNs: MS, untilNs: 10 * S });
    const seen = new Set<unknown>([null]);
    const written = new Set<unknown>();
    for (const e of h) {
      if (e.type === 'invoke' && e.f === 'cas') {
        const [expected, next] = e.value as [unknown, unknown];
        expect(seen.has(expected)).toBe(true);
        expect(written.has(next)).toBe(false);
        written.add(next);
      }
      if (e.type === 'invoke' && e.f === 'write') written.add(e.value);
      if (e.type === 'ok') seen.add(e.f === 'cas' ? (e.value as unknown[])[1] : e.value);
    }
  });

  it('kv gives back the ops that certainly failed: a key keeps its budget through an outage', () => {
    const w = kvWorkload({ concurrency: 5, rate: 0, seed: 2, opsPerKey: 20, threadsPerKey: 5 });
    let n = 0;
    const h = invokes(
      simulate(limit(400, w.generator()), {
        threads: 5,
        latencyNs: MS,
        untilNs: 10 * S,
        outcome: () => (n++ % 2 === 0 ? 'fail' : 'ok'),
      }),
    );
    // Half the ops fail, so each key gets about 40 invokes for its 20 that did not fail.
    const perKey = new Map<unknown, number>();
    for (const e of h) perKey.set(e.key, (perKey.get(e.key) ?? 0) + 1);
    expect(Math.max(...perKey.values())).toBeGreaterThanOrEqual(35);
  });

  it('cas-register also issues compare-and-set of [expected, new] pairs', () => {
    const w = casRegisterWorkload({ concurrency: 3, rate: 0, seed: 1 });
    expect(w.model).toBe('cas-register');
    const h = invokes(simulate(limit(300, w.generator()), { threads: 3, latencyNs: MS, untilNs: 10 * S }));
    const cas = h.filter((e) => e.f === 'cas');
    expect(cas.length).toBeGreaterThan(50);
    for (const e of cas)
      expect(e.value).toEqual([expect.toSatisfy((v) => v === null || typeof v === 'number'), expect.any(Number)]);
  });

  it('kv gives each key a bounded number of ops from a bounded group of workers, then moves to fresh keys', () => {
    const w = kvWorkload({ concurrency: 10, rate: 0, seed: 5, opsPerKey: 40, threadsPerKey: 5 });
    expect(w.model).toBe('kv');
    const h = invokes(simulate(limit(2000, w.generator()), { threads: 10, latencyNs: MS, untilNs: 100 * S }));
    const byKey = new Map<unknown, SimulatedOp[]>();
    for (const e of h) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
    expect(byKey.size).toBeGreaterThanOrEqual(2000 / 50);
    // A key is its group's own until the group's next key starts; after that it is only re-read.
    const groupOf = (e: SimulatedOp): number => Math.floor(e.thread! / 5);
    const started = [...byKey.entries()].map(([key, ops]) => ({
      key,
      group: groupOf(ops[0]!),
      at: h.indexOf(ops[0]!),
    }));
    for (const [key, ops] of byKey) {
      const mine = started.find((s) => s.key === key)!;
      const later = started.filter((s) => s.group === mine.group && s.at > mine.at).map((s) => s.at);
      const own = ops.filter((e) => later.length === 0 || h.indexOf(e) < Math.min(...later));
      expect(own.length).toBeLessThanOrEqual(40);
      expect(ops.slice(own.length).every((e) => e.f === 'read')).toBe(true);
      // Re-read only while it is among the last REVISITED_KEYS keys the group left.
      const gone = later.sort((a, b) => a - b)[REVISITED_KEYS];
      if (gone !== undefined) expect(ops.every((e) => h.indexOf(e) < gone)).toBe(true);
      expect(new Set(ops.map((e) => e.thread)).size).toBeLessThanOrEqual(5);
    }
    const revisits = [...byKey.values()].reduce((n, ops) => n + ops.filter((e) => e.f === 'read').length, 0);
    expect(revisits).toBeGreaterThan(0);
  });

  it('kv re-reads the keys a group left, about REVISIT_SHARE of the ops', () => {
    const w = kvWorkload({ concurrency: 10, rate: 0, seed: 7, opsPerKey: 40, threadsPerKey: 5 });
    const h = invokes(simulate(limit(4000, w.generator()), { threads: 10, latencyNs: MS, untilNs: 100 * S }));
    const newest = new Map<number, unknown>();
    const seen = new Set<unknown>();
    let revisits = 0;
    for (const e of h) {
      const g = Math.floor(e.thread! / 5);
      if (!seen.has(e.key)) {
        seen.add(e.key);
        newest.set(g, e.key);
      } else if (e.key !== newest.get(g)) revisits++;
    }
    expect(revisits / h.length).toBeGreaterThan(REVISIT_SHARE / 2);
    expect(revisits / h.length).toBeLessThan(REVISIT_SHARE * 1.5);
  });

  it('kv keeps every worker busy: both groups of workers get ops', () => {
    const gen = independent(10, {
      threadsPerKey: 5,
      perKey: () =>
        limit(
          10,
          repeat((rng) => [{ f: 'read', value: null }, rng], 1),
        ),
    });
    const h = invokes(simulate(limit(200, gen), { threads: 10, latencyNs: MS, untilNs: 10 * S }));
    expect(new Set(h.map((e) => e.thread)).size).toBe(10);
  });

  it('final reads read every key that was touched, once', () => {
    const w = kvWorkload({ concurrency: 4, rate: 0, seed: 1 });
    const gen: Generator = w.finalGenerator([0, 1, 2, 'x']);
    const h = invokes(simulate(gen, { threads: 4, latencyNs: MS, untilNs: 10 * S }));
    expect(h.map((e) => [e.f, e.key])).toEqual([
      ['read', 0],
      ['read', 1],
      ['read', 2],
      ['read', 'x'],
    ]);
  });

  it('retire a process after an indeterminate op: its worker continues under a fresh number', () => {
    const w = registerWorkload({ concurrency: 2, rate: 0, seed: 1 });
    const h = simulate(limit(50, w.generator()), {
      threads: 2,
      latencyNs: MS,
      untilNs: 10 * S,
      outcome: (op) => (op.f === 'write' ? 'info' : 'ok'),
    });
    const infoProcesses = new Set(h.filter((e) => e.type === 'info').map((e) => e.process));
    expect(infoProcesses.size).toBeGreaterThan(0);
    for (const p of infoProcesses) {
      const last = h.findLastIndex((e) => e.process === p);
      expect(h[last]!.type).toBe('info');
    }
  });
});
