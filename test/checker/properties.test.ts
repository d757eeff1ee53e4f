import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSync, MODELS } from '../../checker/index.js';
import { MalformedHistoryError, type HistoryEvent } from '../../checker/index.js';
import { pairOperations } from '../../checker/pair-events.js';
import { bruteForceLinearizable } from './brute-force.js';
import { Choices, generateLinearizable, mutate, opsOf } from './generate.js';

const choices = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 300 });

function wellFormed(events: HistoryEvent[]): boolean {
  try {
    pairOperations(events);
    return true;
  } catch (err) {
    if (err instanceof MalformedHistoryError) return false;
    throw err;
  }
}

describe.each(Object.keys(MODELS))('the %s model', (model) => {
  it('finds every history that is linearizable by construction valid', () => {
    fc.assert(
      fc.property(choices, fc.integer({ min: 2, max: 6 }), (seq, processes) => {
        const g = generateLinearizable(model, new Choices(seq), 40, processes);
        expect(checkSync(g.events, { model }).valid).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a brute-force checker on small random histories, valid and mutated', () => {
    const seen = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(choices, (seq) => {
        const c = new Choices(seq);
        const g = generateLinearizable(model, c, 7, 3);
        for (const events of [g.events, mutate(model, g.events, c)]) {
          if (!wellFormed(events)) continue;
          const expected = bruteForceLinearizable(model, opsOf(events));
          const result = checkSync(events, { model });
          expect(result.valid).toBe(expected);
          seen[expected ? 'valid' : 'invalid']++;
          if (!expected) expect(result.counterexample).toBeDefined();
        }
      }),
      { numRuns: 800 },
    );
    // Both outcomes must be well represented, or the agreement says little.
    expect(seen.valid).toBeGreaterThan(200);
    expect(seen.invalid).toBeGreaterThan(50);
  });
});
