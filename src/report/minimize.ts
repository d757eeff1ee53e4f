import type { CheckResult, Counterexample, Operation } from '../../checker/result.js';

/**
 * Checks a candidate sub-history (ops of one key, in invoke order) within a time budget. The
 * report passes the checker's own `check`; the result's counterexample uses the candidate's ids.
 */
export type RecheckFn = (ops: Operation[], budgetMs: number) => Promise<CheckResult>;

/** Bounds for minimization; `now` is injectable so tests need not depend on the wall clock. */
export interface MinimizeOptions {
  /** Total time for all re-checks, ms (default 5000). */
  budgetMs?: number;
  /** Budget for one re-check, ms (default 500); a re-check that runs out counts as "not shown invalid". */
  checkBudgetMs?: number;
  now?: () => number;
}

/** What minimization produced and how far it got. */
export interface MinimizeResult {
  /** The smallest counterexample found (the input one when nothing could be dropped). */
  counterexample: Counterexample;
  /** Op counts before and after. */
  from: number;
  to: number;
  /** Re-checks run. */
  checks: number;
  /** True when every single op left was tried and is needed (1-minimal); false when the budget ran out. */
  minimal: boolean;
}

/**
 * Shrinks a counterexample to the fewest ops that still cannot be linearized, by delta
 * debugging: drop a chunk, keep the drop when the checker still says invalid, and refine the
 * chunks until no single op can go. On a long history it first tries small windows around the
 * failed op, since the violation is almost always local and re-checking thousands of ops is slow.
 * Only the checker's verdict decides what is kept, so the result is a real counterexample.
 */
export async function minimizeCounterexample(
  cx: Counterexample,
  recheck: RecheckFn,
  options: MinimizeOptions = {},
): Promise<MinimizeResult> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.budgetMs ?? 5000);
  const checkBudget = options.checkBudgetMs ?? 500;
  let checks = 0;
  let best = cx;
  let current = [...cx.ops].sort((a, b) => a.id - b.id);

  const stillInvalid = async (candidate: Operation[]): Promise<boolean> => {
    checks++;
    const remaining = deadline - now();
    const result = await recheck(candidate, Math.max(1, Math.min(checkBudget, remaining)));
    if (result.valid !== false || !result.counterexample) return false;
    best = { ...result.counterexample, key: result.counterexample.key ?? cx.key };
    current = candidate;
    return true;
  };

  const failed = current.find((op) => op.id === cx.failedOp);
  if (failed && current.length > 64) {
    for (const size of [16, 64, 256, 1024]) {
      if (size >= current.length || now() >= deadline) break;
      const window = [...current]
        .sort((a, b) => Math.abs(a.call - failed.call) - Math.abs(b.call - failed.call))
        .slice(0, size)
        .sort((a, b) => a.id - b.id);
      if (await stillInvalid(window)) break;
    }
  }

  let chunks = 2;
  let minimal = false;
  while (now() < deadline) {
    if (current.length <= 1) {
      minimal = true;
      break;
    }
    const size = Math.ceil(current.length / chunks);
    let dropped = false;
    for (let start = 0; start < current.length && now() < deadline; start += size) {
      const candidate = [...current.slice(0, start), ...current.slice(start + size)];
      if (candidate.length > 0 && (await stillInvalid(candidate))) {
        chunks = Math.max(chunks - 1, 2);
        dropped = true;
        break;
      }
    }
    if (dropped) continue;
    if (now() >= deadline) break;
    if (size === 1) {
      minimal = true;
      break;
    }
    chunks = Math.min(chunks * 2, current.length);
  }
  return { counterexample: best, from: cx.ops.length, to: best.ops.length, checks, minimal };
}
