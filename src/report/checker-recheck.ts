import { check } from '../../checker/index.js';
import type { RecheckFn } from './minimize.js';

/**
 * The re-check minimization uses by default: the checker's own `check` with the model that found
 * the violation, in this thread, within the budget. Ids are renumbered densely because the
 * search indexes its bitsets by id; invoke indexes still point at the original history lines.
 */
export function recheckWithModel(model: string): RecheckFn {
  return (ops, budgetMs) =>
    check(
      ops.map((op, id) => ({ ...op, id })),
      { model, timeLimitMs: budgetMs, workers: 0 },
    );
}
