import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/history/event.js';
import { computeFaultWindows } from '../../src/report/index.js';

const nemesis = (type: HistoryEvent['type'], f: string, time: number): HistoryEvent => ({
  type,
  process: 'nemesis',
  f,
  time,
});

describe('computeFaultWindows', () => {
  it('shades a partition from the invoke that starts it to the completion that heals it', () => {
    const windows = computeFaultWindows([
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
    const windows = computeFaultWindows([
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
      ['packet-loss', 10, null],
    ]);
  });
});
