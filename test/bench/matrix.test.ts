/**
 * The matrix times a caught run by results.json's first anomalous op (or a node that died by
 * itself before it), from the start of the run phase, and names the faults in force then.
 */
import { describe, expect, it } from 'vitest';
import { type HistoryEvent } from '../../src/history/index.js';
import { firstAnomaly, renderMatrix, type MatrixRun } from './matrix.js';

const S = 1e9;
const nemesis = (t: number, f: string, value: Record<string, unknown>): HistoryEvent => ({
  type: 'info',
  process: 'nemesis',
  f,
  value,
  time: t * S,
});
// Client ops from 1 s; a partition from 2 s to 4 s, a kill from 6 s to 7 s.
const events: HistoryEvent[] = [
  { type: 'invoke', process: 0, f: 'write', key: 1, value: 1, time: 1 * S },
  nemesis(2, 'start-partition', { injected: 4 }),
  nemesis(4, 'stop-partition', { healed: 4 }),
  nemesis(6, 'kill', { injected: 1 }),
  nemesis(7, 'start', { healed: 1 }),
  { type: 'ok', process: 0, f: 'write', key: 1, value: 1, time: 9 * S },
];

describe('matrix: first anomaly', () => {
  it("takes results.json's first anomalous op and the faults in force at it, from the run phase's start", () => {
    // The run phase began at 0.5 s, before the first client event: 2.5 s after it is 3 s.
    expect(firstAnomaly({ runStartNs: 0.5 * S, firstAnomalyS: 2.5 }, events)).toEqual({
      firstAnomalyS: 2.5,
      faultsThen: ['partition'],
    });
  });

  it('takes a node that died by itself when that came first', () => {
    const results = { runStartNs: 0.5 * S, firstAnomalyS: 2.5, nodeFailures: { deaths: [{ time: 6.5 * S }] } };
    expect(firstAnomaly({ ...results, firstAnomalyS: 8 }, events)).toEqual({ firstAnomalyS: 6, faultsThen: ['kill'] });
    expect(firstAnomaly(results, events).firstAnomalyS).toBe(2.5);
  });

  it('counts from the first client event for results without the run start', () => {
    expect(firstAnomaly({ firstAnomalyS: 5.5 }, events)).toEqual({ firstAnomalyS: 5.5, faultsThen: ['kill'] });
  });
});

describe('matrix: table', () => {
  it('counts runs under the figure-8 setup in rows of their own, controls as valid runs', () => {
    const run = (bug: string | null, figure8: boolean, exitCode: number): MatrixRun => ({
      bug,
      ...(figure8 ? { figure8 } : {}),
      seed: 1,
      exitCode,
      seconds: 60,
    });
    const table = renderMatrix(
      [
        run('commit-old-term', false, 0),
        run('commit-old-term', true, 1),
        run('commit-old-term', true, 0),
        run(null, false, 0),
        run(null, true, 0),
        run(null, true, 1),
      ],
      'header',
    );
    expect(table).toMatch(/\| commit-old-term \| 0\/1 \|/);
    expect(table).toMatch(/\| commit-old-term \+ figure-8 \| 1\/2 \|/);
    expect(table).toMatch(/\| \(control\) \| 1\/1 valid \|/);
    expect(table).toMatch(/\| \(control\) \+ figure-8 \| 1\/2 valid \|/);
  });
});
