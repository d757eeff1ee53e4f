/**
 * The simulator's judging, on the toolkit's side of the line: a simulated run's history goes
 * through the linearizability checker with the `kv` model (a compare-and-set register per key).
 * raftkv's simulator takes the judge as a parameter and so knows nothing of the checker.
 */
import { checkSync } from '../../checker/index.js';
import type { Judge, Judgement, SimEvent } from '../../cluster/raftkv/sim/index.js';

/** Builds a judge that checks histories with the kv model, giving up as unknown after timeLimitMs. */
export function linearizabilityJudge(timeLimitMs = 10_000): Judge {
  return (history: SimEvent[]): Judgement => {
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
