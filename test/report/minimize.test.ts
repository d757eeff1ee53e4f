import { describe, expect, it } from 'vitest';
import { type CheckResult, type Operation } from '../../checker/index.js';
import { minimizeCounterexample, type RecheckFn } from '../../src/report/minimize.js';

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
 * A re-check whose verdict depends only on which ops are kept as recorded: invalid exactly when
 * every op in `culprits` (matched by invoke index) is in the candidate with its real outcome,
 * not set aside as free. That isolates the shrinking algorithm; write-report.test.ts and the
 * browser test run it against the real checker.
 */
function invalidWhenAllPresent(culprits: number[]): { recheck: RecheckFn; calls: () => number } {
  let calls = 0;
  const recheck: RecheckFn = async (candidate) => {
    calls++;
    const present = new Set(candidate.filter((op) => op.status === 'ok').map((op) => op.invokeIndex));
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
  it('never deletes the write a kept read saw: for register models it is set aside as free instead', async () => {
    // write 1 [0,5], write 2 [10,15], read -> 1 [20,25]: a stale read. Deleting write 1 would
    // make "read -> 1" impossible on its own, a counterexample the real history never had.
    const history: Operation[] = [
      {
        id: 0,
        process: 0,
        f: 'write',
        input: 1,
        output: 1,
        status: 'ok',
        call: 0,
        return: 5,
        invokeIndex: 0,
        completeIndex: 1,
      },
      {
        id: 1,
        process: 1,
        f: 'write',
        input: 2,
        output: 2,
        status: 'ok',
        call: 10,
        return: 15,
        invokeIndex: 2,
        completeIndex: 3,
      },
      {
        id: 2,
        process: 0,
        f: 'read',
        input: null,
        output: 1,
        status: 'ok',
        call: 20,
        return: 25,
        invokeIndex: 4,
        completeIndex: 5,
      },
    ];
    const seen: Operation[][] = [];
    const recheck: RecheckFn = async (candidate) => {
      seen.push(candidate);
      return { model: 'register', valid: true, ops: candidate.length, ms: 0 };
    };
    await minimizeCounterexample({ ops: history, failedOp: 2, prefix: [], concurrent: [], explanation: '' }, recheck, {
      model: 'register',
    });
    for (const candidate of seen) {
      const reads = candidate.filter((op) => op.f === 'read');
      if (reads.length === 0) continue;
      expect(
        candidate.some((op) => op.f === 'write' && op.input === 1),
        JSON.stringify(candidate),
      ).toBe(true);
    }
  });

  it('shrinks a 40-op counterexample to exactly the ops the violation needs', async () => {
    const all = ops(40);
    const { recheck } = invalidWhenAllPresent([7, 19, 31]);
    const out = await minimizeCounterexample(
      { ops: all, failedOp: 7, prefix: [], concurrent: [], explanation: '' },
      recheck,
    );
    expect(out.counterexample.ops.map((op) => op.invokeIndex / 2)).toEqual([7, 19, 31]);
    expect(out).toMatchObject({ from: 40, to: 3, minimal: true });
    // Every other write was still in the re-check, as a free op (no model given, so none is pruned).
    expect(out.free).toHaveLength(37);
    expect(out.free.every((op) => op.status === 'info' && op.return === null)).toBe(true);
  });

  it('tries a window around the failed op first on a long history', async () => {
    const all = ops(5000);
    const { recheck, calls } = invalidWhenAllPresent([2500, 2503]);
    const out = await minimizeCounterexample(
      { ops: all, failedOp: 2500, prefix: [], concurrent: [], explanation: '' },
      recheck,
    );
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

describe('minimizeCounterexample when the re-check cannot run', () => {
  it('stops after the first failure and keeps the checker’s counterexample', async () => {
    let calls = 0;
    const broken: RecheckFn = async () => {
      calls++;
      throw new Error("unknown model 'my-model'");
    };
    const cx = { ops: ops(10), failedOp: 4, prefix: [], concurrent: [], explanation: 'as found' };
    const out = await minimizeCounterexample(cx, broken);
    expect(calls).toBe(1);
    expect(out.counterexample).toBe(cx);
    expect(out).toMatchObject({ from: 10, to: 10, minimal: false, error: "unknown model 'my-model'" });
  });
});
