import { describe, expect, it } from 'vitest';
import { countNemesisEvents } from '../../nemesis/index.js';
import type { HistoryEvent } from '../../src/history/index.js';

const nemesis = (f: string, time: number): HistoryEvent[] => [
  { type: 'invoke', process: 'nemesis', f, time },
  { type: 'info', process: 'nemesis', f, time: time + 1 },
];

describe('nemesis event counts', () => {
  it('count the final heal apart from the faults the schedule started and stopped', () => {
    const events = [
      ...nemesis('start-partition', 0),
      ...nemesis('stop-partition', 10),
      ...nemesis('kill', 20),
      ...nemesis('start-partition', 30),
      ...nemesis('stop-partition', 40),
      { type: 'invoke', process: 0, f: 'read', time: 45 } as HistoryEvent,
      // The final heal: one stop per fault kind, whether or not it was in force.
      ...nemesis('stop-partition', 50),
      ...nemesis('start', 60),
    ];
    expect(countNemesisEvents(events)).toEqual({
      faults: { 'start-partition': 2, 'stop-partition': 2, kill: 1 },
      finalHeal: { 'stop-partition': 1, start: 1 },
    });
  });
});
