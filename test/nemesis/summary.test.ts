import { describe, expect, it } from 'vitest';
import { type HistoryEvent } from '../../src/history/index.js';
import { assertNemesisBit } from '../../nemesis/index.js';
import { NemesisDidNotBiteError } from '../../nemesis/errors.js';
import { computeFaultWindows, countLeaderChangesInWindows, summarizeNemesis } from '../../nemesis/summary.js';

const s = (sec: number): number => sec * 1e9;
const nem = (t: number, f: string, value: Record<string, unknown>, error?: string): HistoryEvent => ({
  type: 'info',
  process: 'nemesis',
  f,
  value,
  time: s(t),
  ...(error !== undefined ? { error } : {}),
});
const client = (t: number, type: HistoryEvent['type'], process = 0): HistoryEvent => ({
  type,
  process,
  f: 'write',
  value: 1,
  time: s(t),
});

// A partition from 10 s to 20 s, a kill that bit from 30 s to 40 s, and a pause that bit nothing.
const history: HistoryEvent[] = [
  client(1, 'invoke'),
  client(2, 'ok'),
  nem(10, 'start-partition', { injected: 12, partition: 'halves' }),
  client(11, 'invoke', 1),
  client(15, 'info', 1),
  client(16, 'invoke', 2),
  client(17, 'fail', 2),
  nem(20, 'stop-partition', { healed: 12 }),
  client(25, 'invoke', 2),
  client(26, 'fail', 2),
  nem(30, 'kill', { injected: 1, nodes: ['n3'] }),
  client(33, 'invoke', 2),
  client(35, 'info', 2),
  nem(40, 'start', { healed: 1 }),
  nem(45, 'pause', { injected: 0, skipped: 'no target node (no leader known)' }),
  nem(50, 'resume', { healed: 0 }),
];

describe('did the nemesis bite', () => {
  it('pairs each fault that bit with its heal into a window', () => {
    expect(computeFaultWindows(history).map((w) => [w.fault, w.start / 1e9, w.end / 1e9, w.healed])).toEqual([
      ['partition', 10, 20, true],
      ['kill', 30, 40, true],
    ]);
  });

  it('a fault never healed is in force until the history ends', () => {
    const w = computeFaultWindows([nem(5, 'bump-clock', { injected: 2 }), client(9, 'ok')]);
    expect(w).toMatchObject([{ fault: 'clock', start: s(5), end: s(9), healed: false }]);
  });

  it('counts client errors inside each fault window and outside all of them', () => {
    const sum = summarizeNemesis(history, ['partition', 'kill', 'pause']);
    expect(sum.faults.map((f) => [f.fault, f.attempted, f.injected, f.clientErrors, f.secondsInForce])).toEqual([
      ['partition', 1, 1, 2, 10],
      ['kill', 1, 1, 1, 10],
      ['pause', 1, 0, 0, 0],
    ]);
    expect(sum.clientErrorsOutside).toBe(1);
    expect(sum.faults[2]?.problems).toEqual(['no target node (no leader known)']);
  });

  it('counts a leader change where a different leader is first named, ignoring leaderless gaps', () => {
    const windows = computeFaultWindows(history);
    const samples = [
      { time: s(5), leader: 'n1' },
      { time: s(12), leader: undefined },
      { time: s(14), leader: 'n4' },
      { time: s(22), leader: 'n4' },
      { time: s(31), leader: 'n2' },
      { time: s(42), leader: 'n1' },
    ];
    expect(countLeaderChangesInWindows(samples, windows)).toEqual({ byFault: { partition: 1, kill: 1 }, outside: 1 });
  });

  it('a fault that was tried but injected nothing fails the run as an infrastructure error', () => {
    const broken = [...history, nem(46, 'pause', { injected: 0 }, 'n2: kill: permission denied')];
    const sum = summarizeNemesis(broken, ['partition', 'kill', 'pause']);
    expect(() => assertNemesisBit(sum)).toThrow(NemesisDidNotBiteError);
    expect(() => assertNemesisBit(sum)).toThrow(/pause: 2 attempt\(s\), none injected anything \(.*permission denied/);
  });

  it("a fault only ever skipped for the cluster's state (no leader known, targets down) does not fail the run", () => {
    const sum = summarizeNemesis(history, ['partition', 'kill', 'pause']);
    expect(sum.faults.find((f) => f.fault === 'pause')).toMatchObject({ attempted: 1, injected: 0, skipped: 1 });
    expect(() => assertNemesisBit(sum)).not.toThrow();
  });

  it('a fault the schedule never reached is reported, and fails only when reaching it is required', () => {
    const sum = summarizeNemesis(history.slice(0, 8), ['partition', 'clock']);
    expect(sum.notReached).toEqual(['clock']);
    expect(() => assertNemesisBit(sum)).not.toThrow();
    expect(() => assertNemesisBit(sum, { requireReached: true })).toThrow(/clock: never reached/);
  });

  it('clock skew on a DB that libfaketime cannot reach is marked ineffective', () => {
    const h = [
      nem(1, 'bump-clock', { injected: 1, effective: false, note: 'etcd does not read its clock through libc' }),
      nem(2, 'reset-clock', { healed: 1 }),
    ];
    expect(summarizeNemesis(h, ['clock']).faults[0]?.ineffective).toMatch(/etcd/);
  });
});
