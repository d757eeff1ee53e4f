/**
 * The simulator's one tie to the rest of splitbrain: a run's history goes through the
 * linearizability checker with the `kv` model (a compare-and-set register per key).
 */
import { checkSync } from '../../../checker/index.js';
import type { HistoryEvent } from '../../../src/history/event.js';
import type { Judge, Judgement } from './run.js';

/** Builds a judge that checks histories with the kv model, giving up as unknown after timeLimitMs. */
export function linearizabilityJudge(timeLimitMs = 10_000): Judge {
  return (history: HistoryEvent[]): Judgement => {
    const result = checkSync(history, { model: 'kv', timeLimitMs });
    const j: Judgement = { valid: result.valid, result };
    if (result.valid === false && result.counterexample) {
      const c = result.counterexample;
      j.detail = `key ${String(c.key)}: ${c.explanation}`;
    } else if (result.valid === 'unknown') {
      j.detail = `checker gave up: ${result.reason ?? 'unknown reason'}`;
    }
    return j;
  };
}
