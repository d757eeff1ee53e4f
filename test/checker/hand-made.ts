/** Tiny helpers for writing histories by hand in tests: one call per event, time = position. */
import { type HistoryEvent } from '../../src/history/index.js';

/** Builds events from `[process, type, f, value, key?]` rows, numbering time and index. */
export function history(
  rows: [number | 'nemesis', HistoryEvent['type'], string, unknown?, (string | number)?][],
): HistoryEvent[] {
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

/**
 * A kv history with the hard pattern above on every key (17 concurrent writes, then two reads). A
 * key whose reads both see 1 is linearizable and done at once; each of `badKeys`, whose second read
 * sees 2, takes the search over a second, which is when the checker hands unfinished keys to
 * worker threads.
 */
export function hardKeyedHistory(keys: string[], badKeys: readonly string[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let time = 0;
  keys.forEach((key, k) => {
    const base = k * 100;
    const n = 17;
    for (let p = 0; p < n; p++)
      events.push({ type: 'invoke', process: base + p, f: 'write', value: p + 1, key, time: time++ });
    for (let p = 0; p < n; p++)
      events.push({ type: 'ok', process: base + p, f: 'write', value: p + 1, key, time: time++ });
    const r = base + 50;
    events.push({ type: 'invoke', process: r, f: 'read', value: null, key, time: time++ });
    events.push({ type: 'ok', process: r, f: 'read', value: 1, key, time: time++ });
    events.push({ type: 'invoke', process: r, f: 'read', value: null, key, time: time++ });
    events.push({ type: 'ok', process: r, f: 'read', value: badKeys.includes(key) ? 2 : 1, key, time: time++ });
  });
  return events;
}
