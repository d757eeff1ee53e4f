import { describe, expect, it } from 'vitest';
import { LOCK_COUNT, lockWorkload } from '../../workloads/lock.js';
import { simulate, type SimulatedOp } from './simulate.js';

const S = 1e9;

describe('the lock workload', () => {
  const ops = (outcome?: (op: SimulatedOp) => 'ok' | 'fail' | 'info') =>
    simulate(lockWorkload({ concurrency: 6, rate: 0, seed: 3 }).generator(), {
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

  it('holds a lock a while before releasing it (about HOLD_MS)', () => {
    const history = ops();
    const acquired = history.find((e) => e.f === 'acquire' && e.type === 'ok')!;
    const release = history.find((e) => e.type === 'invoke' && e.f === 'release' && e.thread === acquired.thread)!;
    expect(release.time - acquired.time).toBeGreaterThanOrEqual(100e6);
  });
});
