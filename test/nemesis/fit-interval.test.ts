import { describe, expect, it } from 'vitest';
import { computeCoverageSeconds, DEFAULT_INTERVAL_S } from '../../nemesis/schedule.js';
import { fitInterval } from '../../nemesis/fit-interval.js';

describe('the nemesis interval the runner picks when none is given', () => {
  it('lets every requested fault come round within the time limit', () => {
    for (const [faults, timeLimit] of [
      [4, 30],
      [5, 60],
      [2, 20],
      [1, 15],
    ] as const) {
      const interval = fitInterval(faults, timeLimit);
      // With margin: every kind's timeline starts within an interval.
      expect((computeCoverageSeconds(faults, interval) * 2.25) / 1.75).toBeLessThanOrEqual(timeLimit);
    }
  });

  it('never exceeds the default interval on long runs and never drops below a second', () => {
    expect(fitInterval(4, 3600)).toBe(DEFAULT_INTERVAL_S);
    expect(fitInterval(6, 1)).toBe(1);
  });
});
