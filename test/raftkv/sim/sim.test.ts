/**
 * The simulator end to end: clean runs are valid, each injectable bug is found within a modest
 * number of seeds, and a seed replays exactly.
 */
import { describe, expect, it } from 'vitest';
import type { BugName } from '../../../cluster/raftkv/core/index.js';
import { describeFailure, runSeeds } from '../../../cluster/raftkv/sim/index.js';
import { runSimulation } from '../../../cluster/raftkv/sim/run.js';
import { linearizabilityJudge } from '../../../src/sim/index.js';

const judge = linearizabilityJudge();

const TIMEOUT = 600_000;

describe('splitbrain sim', () => {
  it(
    'finds every one of 120 clean seeded runs valid under partitions, crashes and loss',
    () => {
      const summary = runSeeds({ seeds: 120, start: 1, judge });
      expect(
        summary.invalid ? `seed ${summary.invalid.seed}: ${describeFailure(summary.invalid)}` : undefined,
      ).toBeUndefined();
      expect(summary.unknown).toEqual([]);
      expect(summary.valid).toBe(120);
      expect(summary.ops).toBeGreaterThan(120 * 50);
    },
    TIMEOUT,
  );

  it(
    'leaves the cluster with one leader and every node caught up once faults heal, in nearly every run',
    () => {
      let settled = 0;
      for (let seed = 1; seed <= 60; seed++) if (runSimulation({ seed }).stats.settled) settled++;
      // A run may end mid-election; a stuck cluster would fail many.
      expect(settled).toBeGreaterThanOrEqual(55);
    },
    TIMEOUT,
  );

  // Each bug with the seed budget it needs (measured: first hits at seeds 1-26, see the report).
  const budgets: Array<[BugName, number]> = [
    ['vote-term-only', 100],
    ['commit-old-term', 300],
    ['stale-read', 100],
    ['leader-local-read', 100],
    ['ack-before-persist', 100],
  ];
  for (const [bug, seeds] of budgets) {
    it(
      `catches --bug ${bug} within ${seeds} seeds`,
      () => {
        const summary = runSeeds({ seeds, start: 1, bugs: [bug], judge });
        expect(summary.invalid, `no violation in ${summary.runs} seeds`).toBeDefined();
      },
      TIMEOUT,
    );
  }

  it('replays a seed exactly: same history, same verdict', () => {
    const a = runSimulation({ seed: 42 });
    const b = runSimulation({ seed: 42 });
    expect(b.history).toEqual(a.history);
    expect(b.stats).toEqual(a.stats);
    const c = runSimulation({ seed: 43 });
    expect(c.history).not.toEqual(a.history);
  });

  it('records histories in the spec form: every completion follows its invoke on the same process, and info retires the process', () => {
    const r = runSimulation({ seed: 7 });
    const open = new Map<number, string>();
    const retired = new Set<number>();
    for (const e of r.history) {
      if (e.process === 'nemesis') continue;
      expect(retired.has(e.process)).toBe(false);
      if (e.type === 'invoke') {
        expect(open.has(e.process)).toBe(false);
        open.set(e.process, e.f);
      } else {
        expect(open.get(e.process)).toBe(e.f);
        open.delete(e.process);
        if (e.type === 'info') retired.add(e.process);
      }
    }
    expect(r.history.every((e, i) => e.index === i)).toBe(true);
  });
});
