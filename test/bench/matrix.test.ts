/**
 * The matrix times a caught run by its earliest anomaly over every key, not by the one
 * counterexample results.json carries (the first invalid key in key order).
 */
import { describe, expect, it } from 'vitest';
import { type HistoryEvent } from '../../src/history/index.js';
import { earliestAnomalyS } from './matrix.js';

const S = 1e9;
let index = 0;
const op = (process: number, key: number, f: string, value: unknown, from: number, to: number, out = value) => [
  { type: 'invoke', process, f, key, value: f === 'read' ? null : value, time: from * S, index: index++ },
  { type: 'ok', process, f, key, value: out, time: to * S, index: index++ },
];

describe('matrix: earliest anomaly', () => {
  it('takes the earliest failed op over all keys, in seconds after the start', () => {
    const events = [
      ...op(0, 0, 'write', 1, 1, 1.1),
      ...op(1, 1, 'write', 1, 1, 1.1),
      ...op(1, 1, 'write', 2, 2, 2.1),
      // key 1: reads an overwritten value at 3 s; key 0: reads a value never written at 9 s.
      ...op(1, 1, 'read', null, 3, 3.1, 1),
      ...op(0, 0, 'read', null, 9, 9.1, 7),
    ] as HistoryEvent[];
    expect(earliestAnomalyS(events, 0.5 * S)).toBe(2.5);
  });

  it('is undefined for a linearizable history', () => {
    const events = [...op(0, 0, 'write', 1, 1, 1.1), ...op(0, 0, 'read', null, 2, 2.1, 1)] as HistoryEvent[];
    expect(earliestAnomalyS(events, 0)).toBeUndefined();
  });
});
