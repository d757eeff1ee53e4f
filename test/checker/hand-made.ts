/** Tiny helpers for writing histories by hand in tests: one call per event, time = position. */
import type { HistoryEvent } from '../../src/history/index.js';

/** Builds events from `[process, type, f, value, key?]` rows, numbering time and index. */
export function history(rows: [number | 'nemesis', HistoryEvent['type'], string, unknown?, (string | number)?][]): HistoryEvent[] {
  return rows.map(([process, type, f, value, key], i) => {
    const e: HistoryEvent = { type, process, f, time: i * 10, index: i };
    if (value !== undefined) e.value = value;
    if (key !== undefined) e.key = key;
    return e;
  });
}

/**
 * A hard invalid cas-register history: `n` concurrent writes of 1..n, then two sequential reads
 * of different values, which no order allows. The search must try every subset of the writes.
 */
export function hardInvalidHistory(n: number): HistoryEvent[] {
  const rows: Parameters<typeof history>[0] = [];
  for (let p = 0; p < n; p++) rows.push([p, 'invoke', 'write', p + 1]);
  for (let p = 0; p < n; p++) rows.push([p, 'ok', 'write', p + 1]);
  rows.push([n, 'invoke', 'read', null], [n, 'ok', 'read', 1], [n, 'invoke', 'read', null], [n, 'ok', 'read', 2]);
  return history(rows);
}
