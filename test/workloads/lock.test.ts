import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLD_MS, LOCK_COUNT, lockWorkload, RETRY_MS } from '../../workloads/lock.js';
import { simulate, type SimulatedOp } from './simulate.js';

const S = 1e9;

describe('the lock workload', () => {
  const ops = (outcome?: (op: SimulatedOp) => 'ok' | 'fail' | 'info', holdMs?: number) =>
    simulate(lockWorkload({ concurrency: 6, rate: 0, seed: 3, ...(holdMs ? { holdMs } : {}) }).generator(), {
      threads: 6,
      latencyNs: 5e6,
      untilNs: 20 * S,
      ...(outcome ? { outcome } : {}),
    });

  it('has each thread release only the lock its last acquire took, and acquire again after a release', () => {
    const history = ops();
    expect(history.length).toBeGreaterThan(100);
    for (let t = 0; t < 6; t++) {
      const mine = history.filter((e) => e.thread === t && e.type !== 'invoke');
      expect(new Set(mine.map((e) => e.key))).toEqual(new Set([t % LOCK_COUNT]));
      mine.forEach((e, i) => expect(e.f, `thread ${t} op ${i}`).toBe(i % 2 === 0 ? 'acquire' : 'release'));
    }
  });

  it('tries to acquire again, never releases, after an acquire that did not succeed', () => {
    let n = 0;
    const history = ops((op) => (op.f === 'acquire' && n++ % 2 === 0 ? 'fail' : 'ok'));
    for (let t = 0; t < 6; t++) {
      const mine = history.filter((e) => e.thread === t && e.type !== 'invoke');
      mine.forEach((e, i) => {
        if (e.f === 'release') expect(mine[i - 1]).toMatchObject({ f: 'acquire', type: 'ok' });
      });
    }
  });

  /** Per completed op of `f` and outcome `type`: ns until the same thread invokes its next op. */
  const gaps = (history: SimulatedOp[], f: string, type: string): number[] =>
    history.flatMap((e, i) => {
      if (e.f !== f || e.type !== type) return [];
      const next = history.slice(i + 1).find((n) => n.type === 'invoke' && n.thread === e.thread);
      return next ? [next.time - e.time] : [];
    });

  it('holds a lock longer than a cut-off session lasts (1.5 s with ZooKeeper) by default, half to 1.5 times DEFAULT_HOLD_MS', () => {
    const holds = gaps(ops(), 'acquire', 'ok');
    expect(holds.length).toBeGreaterThan(10);
    for (const h of holds) {
      expect(h).toBeGreaterThanOrEqual((DEFAULT_HOLD_MS / 2) * 1e6);
      expect(h).toBeLessThanOrEqual(DEFAULT_HOLD_MS * 1.5 * 1e6);
    }
    expect(Math.min(...holds)).toBeGreaterThan(1.5 * S);
  });

  it('holds a lock about holdMs when given (--lock-hold), and retries a failed acquire soon whatever the hold', () => {
    const short = gaps(ops(undefined, 200), 'acquire', 'ok');
    expect(Math.max(...short)).toBeLessThanOrEqual(300e6);
    const long = ops((op) => (op.f === 'acquire' && op.thread % 2 === 0 ? 'fail' : 'ok'), 10_000);
    expect(Math.min(...gaps(long, 'acquire', 'ok'))).toBeGreaterThanOrEqual(5 * S);
    const retries = gaps(long, 'acquire', 'fail');
    expect(retries.length).toBeGreaterThan(20);
    expect(Math.max(...retries)).toBeLessThanOrEqual(RETRY_MS * 1.5 * 1e6);
  });
});
