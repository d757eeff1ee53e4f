import { describe, expect, it } from 'vitest';
import type { CheckResult, Operation } from '../../checker/result.js';
import { minimizeCounterexample, type RecheckFn } from '../../src/report/index.js';

function ops(n: number): Operation[] {
  return Array.from({ length: n }, (_, id) => ({
    id,
    process: id % 5,
    f: 'write',
    input: id,
    output: id,
    status: 'ok' as const,
    call: id * 10,
    return: id * 10 + 5,
    invokeIndex: id * 2,
    completeIndex: id * 2 + 1,
  }));
}

/**
 * A re-check whose verdict depends only on which ops are present: invalid exactly when every op
 * in `culprits` (matched by invoke index) is in the candidate. That isolates the shrinking
 * algorithm; the browser test runs it against the real checker.
 */
function invalidWhenAllPresent(culprits: number[]): { recheck: RecheckFn; calls: () => number } {
  let calls = 0;
  const recheck: RecheckFn = async (candidate) => {
    calls++;
    const present = new Set(candidate.map((op) => op.invokeIndex));
    const invalid = culprits.every((c) => present.has(c * 2));
    const renumbered = candidate.map((op, id) => ({ ...op, id }));
    const result: CheckResult = { model: 'register', valid: !invalid, ops: candidate.length, ms: 0 };
    if (invalid) {
      const failed = renumbered.find((op) => op.invokeIndex === culprits[0]! * 2)!;
      result.counterexample = { ops: renumbered, failedOp: failed.id, prefix: [], concurrent: [], explanation: '' };
    }
    return result;
  };
  return { recheck, calls: () => calls };
}

describe('minimizeCounterexample', () => {
  it('shrinks a 40-op counterexample to exactly the ops the violation needs', async () => {
    const all = ops(40);
    const { recheck } = invalidWhenAllPresent([7, 19, 31]);
    const out = await minimizeCounterexample({ ops: all, failedOp: 7, prefix: [], concurrent: [], explanation: '' }, recheck);
    expect(out.counterexample.ops.map((op) => op.invokeIndex / 2)).toEqual([7, 19, 31]);
    expect(out).toMatchObject({ from: 40, to: 3, minimal: true });
  });

  it('tries a window around the failed op first on a long history', async () => {
    const all = ops(5000);
    const { recheck, calls } = invalidWhenAllPresent([2500, 2503]);
    const out = await minimizeCounterexample({ ops: all, failedOp: 2500, prefix: [], concurrent: [], explanation: '' }, recheck);
    expect(out.to).toBe(2);
    expect(calls()).toBeLessThan(60);
  });

  it('stops at the time budget and says the result may not be minimal', async () => {
    let clock = 0;
    const { recheck } = invalidWhenAllPresent([3, 9]);
    const slow: RecheckFn = async (candidate, budget) => {
      clock += 100;
      return recheck(candidate, budget);
    };
    const out = await minimizeCounterexample(
      { ops: ops(30), failedOp: 3, prefix: [], concurrent: [], explanation: '' },
      slow,
      { budgetMs: 250, now: () => clock },
    );
    expect(out.minimal).toBe(false);
    expect(out.checks).toBeLessThanOrEqual(3);
    expect(out.to).toBeGreaterThanOrEqual(2);
  });
});
