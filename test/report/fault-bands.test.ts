import { describe, expect, it } from 'vitest';
import { type HistoryEvent } from '../../src/history/index.js';
import { FAULTS } from '../../nemesis/index.js';
import { FAULT_FS } from '../../nemesis/faults.js';
import { computeFaultBands } from '../../src/report/fault-bands.js';
import { FAULT_STYLES } from '../../src/report/fault-styles.js';
import { buildReportData } from '../../src/report/report-data.js';

const nemesis = (type: HistoryEvent['type'], f: string, time: number): HistoryEvent => ({
  type,
  process: 'nemesis',
  f,
  time,
});

describe('computeFaultBands', () => {
  it('shades a partition from the invoke that starts it to the completion that heals it', () => {
    const windows = computeFaultBands([
      nemesis('invoke', 'start-partition', 10),
      nemesis('info', 'start-partition', 12),
      { type: 'invoke', process: 0, f: 'read', time: 13 },
      nemesis('invoke', 'stop-partition', 20),
      nemesis('info', 'stop-partition', 22),
    ]);
    expect(windows.map(({ kind, start, end }) => ({ kind, start, end }))).toEqual([
      { kind: 'partition', start: 10, end: 22 },
    ]);
    expect(windows[0]!.events).toHaveLength(4);
  });

  it('keeps kinds apart, joins a second kill into the open window, and leaves an unhealed fault open', () => {
    const windows = computeFaultBands([
      nemesis('invoke', 'kill', 1),
      nemesis('info', 'kill', 2),
      nemesis('invoke', 'pause', 3),
      nemesis('invoke', 'kill', 4),
      nemesis('info', 'kill', 5),
      nemesis('invoke', 'start', 6),
      nemesis('info', 'start', 7),
      nemesis('invoke', 'bump-clock', 8),
      nemesis('info', 'reset-clock', 9),
      nemesis('invoke', 'start-packet-loss', 10),
    ]);
    expect(windows.map(({ kind, start, end }) => [kind, start, end])).toEqual([
      ['kill', 1, 7],
      ['pause', 3, null],
      ['clock', 8, 9],
      ['packet', 10, null],
    ]);
  });

  it('gives every fault kind the nemesis can inject a band, a colour and a legend label in the report data', () => {
    const events: HistoryEvent[] = [];
    FAULTS.forEach((fault, i) => {
      for (const f of FAULT_FS[fault].start) events.push(nemesis('invoke', f, 10 * i), nemesis('info', f, 10 * i + 1));
      events.push(
        nemesis('invoke', FAULT_FS[fault].stop, 10 * i + 5),
        nemesis('info', FAULT_FS[fault].stop, 10 * i + 6),
      );
    });
    const data = buildReportData({ model: 'register', valid: true, ops: 0, ms: 0 }, events, null, false);
    expect(data.faults.map((b) => b.kind)).toEqual([...FAULTS]);
    for (const fault of FAULTS) {
      expect(data.faultStyles[fault], fault).toEqual(FAULT_STYLES[fault]);
      expect(FAULT_STYLES[fault].color, fault).toMatch(/^rgba\(/);
      expect(FAULT_STYLES[fault].label, fault).not.toBe('');
    }
    expect(new Set(FAULTS.map((f) => FAULT_STYLES[f].color)).size).toBe(FAULTS.length);
  });
});
