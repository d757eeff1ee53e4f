import type { CheckResult, Counterexample, Operation } from '../../checker/index.js';

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
  /**
   * The model's name. For the register models (`register`, `cas-register`, `kv`) a set-aside
   * write whose value no kept op observes cannot matter and is left out of re-checks entirely.
   */
  model?: string;
  now?: () => number;
}

/** What minimization produced and how far it got. */
export interface MinimizeResult {
  /**
   * The smallest counterexample found, as the checker reported it, with `ops` narrowed to the
   * ops kept exactly (its ids are the re-check's numbering).
   */
  counterexample: Counterexample;
  /** Ops set aside as free (may take effect any time after their invoke, or not at all) in that re-check. */
  free: Operation[];
  /** Op counts: all ops of the key, and those kept exactly. */
  from: number;
  to: number;
  /** Re-checks run. */
  checks: number;
  /** True when every kept op was tried and is needed (1-minimal); false when the budget ran out. */
  minimal: boolean;
  /** Why re-checking stopped early, when a re-check threw. */
  error?: string;
}

const REGISTER_MODELS = new Set(['register', 'cas-register', 'kv']);

/**
 * Shrinks a counterexample to the fewest ops that still prove the history is not linearizable.
 *
 * Simply deleting ops is not sound: delete the write a read saw and the read becomes "impossible"
 * in a history that was fine. So an op that is not kept is set aside in a way that can only
 * make the history easier to linearize: a read (it changes nothing) is dropped, and any other op
 * becomes free, as if its outcome were unknown, so it may take effect at any time after its
 * invoke or not at all. (Keeping its invoke time keeps re-checks fast; moving it to the start
 * would make every free op concurrent with everything.) If the kept ops still cannot be linearized with every other op set aside
 * like that, the real history cannot be either. The search over kept sets is delta debugging:
 * set a chunk aside, keep that when the checker still says invalid, refine chunks until no single
 * op can go. On a long history it first tries small windows around the failed op, since the
 * violation is almost always local. Only the checker's verdict decides what is kept.
 */
export async function minimizeCounterexample(
  cx: Counterexample,
  recheck: RecheckFn,
  options: MinimizeOptions = {},
): Promise<MinimizeResult> {
  const now = options.now ?? Date.now;
  const deadline = now() + (options.budgetMs ?? 5000);
  const checkBudget = options.checkBudgetMs ?? 500;
  const all = [...cx.ops].sort((a, b) => a.id - b.id);
  const registerLike = options.model !== undefined && REGISTER_MODELS.has(options.model);
  let checks = 0;
  let best: MinimizeResult = {
    counterexample: cx,
    free: [],
    from: all.length,
    to: all.length,
    checks: 0,
    minimal: false,
  };
  let kept = all;
  let error: string | undefined;
  let stopped = false;
  const timeLeft = (): boolean => !stopped && now() < deadline;

  const failedInvoke = all.find((op) => op.id === cx.failedOp)?.invokeIndex;
  const stillInvalid = async (candidate: Operation[]): Promise<boolean> => {
    checks++;
    const { ops, keep } = setAside(all, candidate, registerLike);
    const remaining = deadline - now();
    let result: CheckResult;
    try {
      result = await recheck(ops, Math.max(1, Math.min(checkBudget, remaining)));
    } catch (err) {
      // A re-check that cannot run (say, a model known only by a name the checker lacks) will
      // not run next time either: stop, and show the checker's counterexample as found.
      error = err instanceof Error ? err.message : String(err);
      stopped = true;
      return false;
    }
    if (result.valid !== false || !result.counterexample) return false;
    const found = result.counterexample;
    // The report leads with the op the checker reported; a slice that fails elsewhere is another
    // story, so it does not count as the same counterexample made smaller.
    const foundFailed = found.ops.find((op) => op.id === found.failedOp);
    if (foundFailed?.invokeIndex !== failedInvoke) return false;
    const shown = found.ops.filter((op) => keep.has(op.invokeIndex) || op.id === found.failedOp);
    const shownIds = new Set(shown.map((op) => op.id));
    const counterexample: Counterexample = {
      ...found,
      ops: shown,
      concurrent: found.concurrent.filter((id) => shownIds.has(id)),
    };
    const key = found.key ?? cx.key;
    if (key !== undefined) counterexample.key = key;
    best = {
      counterexample,
      free: found.ops.filter((op) => !shownIds.has(op.id)),
      from: all.length,
      to: shown.length,
      checks,
      minimal: false,
    };
    kept = candidate;
    return true;
  };

  const failed = all.find((op) => op.id === cx.failedOp);
  if (failed && all.length > 64) {
    for (const size of [16, 64, 256, 1024]) {
      if (size >= all.length || !timeLeft()) break;
      const window = [...all]
        .sort((a, b) => Math.abs(a.call - failed.call) - Math.abs(b.call - failed.call))
        .slice(0, size)
        .sort((a, b) => a.id - b.id);
      if (await stillInvalid(window)) break;
    }
  }

  let chunks = 2;
  let minimal = false;
  while (timeLeft()) {
    if (kept.length <= 1) {
      minimal = true;
      break;
    }
    const size = Math.ceil(kept.length / chunks);
    let dropped = false;
    for (let at = 0; at < kept.length && timeLeft(); at += size) {
      const candidate = [...kept.slice(0, at), ...kept.slice(at + size)];
      if (candidate.length > 0 && (await stillInvalid(candidate))) {
        chunks = Math.max(chunks - 1, 2);
        dropped = true;
        break;
      }
    }
    if (dropped) continue;
    if (!timeLeft()) break;
    if (size === 1) {
      minimal = true;
      break;
    }
    chunks = Math.min(chunks * 2, kept.length);
  }
  return { ...best, checks, minimal, ...(error !== undefined ? { error } : {}) };
}

/**
 * The history a re-check sees: kept ops as recorded, reads not kept dropped, other ops not kept
 * made free (outcome unknown: they may take effect at any time after their invoke, or never),
 * in invoke order. For register models a free op whose written value no kept op reads or
 * compares against (directly, or through a free cas that needs it) is left out: a register's
 * state is its last write, so such a write can only be overwritten, never help a kept op.
 */
function setAside(
  all: readonly Operation[],
  kept: readonly Operation[],
  registerLike: boolean,
): { ops: Operation[]; keep: Set<number> } {
  const keep = new Set(kept.map((op) => op.invokeIndex));
  const candidates = all.filter((op) => !keep.has(op.invokeIndex) && op.f !== 'read' && op.f !== 'get');
  const observed = new Set<string>();
  if (registerLike) {
    for (const op of kept) for (const v of observedValues(op)) observed.add(JSON.stringify(v ?? null));
    // A free cas that may write an observed value needs its expected value first, so that value
    // is observed too; repeat until nothing new is needed.
    for (let grew = true; grew;) {
      grew = false;
      for (const op of candidates) {
        if (!observed.has(JSON.stringify(writtenValue(op) ?? null))) continue;
        for (const v of observedValues(op)) {
          const json = JSON.stringify(v ?? null);
          if (!observed.has(json)) {
            observed.add(json);
            grew = true;
          }
        }
      }
    }
  }
  const free: Operation[] = [];
  for (const op of candidates) {
    if (registerLike && !observed.has(JSON.stringify(writtenValue(op) ?? null))) continue;
    const { output: _output, completeIndex: _completeIndex, ...rest } = op;
    free.push({ ...rest, status: 'info', return: null });
  }
  return { ops: [...free, ...kept].sort((a, b) => a.call - b.call || a.id - b.id), keep };
}

/** Values an op of a register model reads or compares against. */
function observedValues(op: Operation): unknown[] {
  if ((op.f === 'read' || op.f === 'get') && op.status === 'ok') return [op.output];
  if (op.f === 'cas' && Array.isArray(op.input)) return [op.input[0]];
  return [];
}

/** The value an op of a register model may write. */
function writtenValue(op: Operation): unknown {
  if (op.f === 'cas' && Array.isArray(op.input)) return op.input[1];
  return op.input;
}
