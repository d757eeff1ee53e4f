import { describe, expect, it } from 'vitest';
import { MalformedHistoryError, pairEvents, type HistoryEvent } from '../../checker/index.js';
import { pairOperations } from '../../checker/pair-events.js';

const ev = (
  type: HistoryEvent['type'],
  process: number | 'nemesis',
  f: string,
  value: unknown,
  time: number,
): HistoryEvent => ({
  type,
  process,
  f,
  value,
  time,
});

describe('pairing invokes with completions', () => {
  it('pairs ok ops, drops fails, and treats info or a missing completion as crashed', () => {
    const { ops, failed } = pairOperations([
      ev('invoke', 0, 'write', 1, 0),
      ev('invoke', 1, 'cas', [0, 2], 1),
      ev('info', 'nemesis', 'kill', null, 2),
      ev('ok', 0, 'write', 1, 3),
      ev('fail', 1, 'cas', [0, 2], 4),
      ev('invoke', 2, 'write', 3, 5),
      ev('info', 2, 'write', 3, 6),
      ev('invoke', 3, 'read', null, 7),
    ]);
    expect(failed).toBe(1);
    expect(ops.map((o) => [o.id, o.process, o.f, o.status, o.call, o.return])).toEqual([
      [0, 0, 'write', 'ok', 0, 3],
      [1, 2, 'write', 'info', 5, null],
      [2, 3, 'read', 'info', 7, null],
    ]);
    expect(ops[0]).toMatchObject({ input: 1, output: 1, invokeIndex: 0, completeIndex: 3 });
  });

  it('rejects an invoke from a process that already has one outstanding, naming both lines', () => {
    const events = [ev('invoke', 0, 'write', 1, 0), ev('invoke', 0, 'read', null, 1)];
    expect(() => pairOperations(events, { file: 'h.jsonl' })).toThrow(MalformedHistoryError);
    expect(() => pairOperations(events, { file: 'h.jsonl' })).toThrow(
      /^h\.jsonl:2: process 0 invokes read while its write from line 1/,
    );
  });

  it('rejects a completion with no invoke, or for a different operation', () => {
    expect(() => pairOperations([ev('ok', 4, 'read', 1, 0)])).toThrow(/no outstanding invoke/);
    expect(() => pairOperations([ev('invoke', 0, 'write', 1, 0), ev('ok', 0, 'read', 1, 1)])).toThrow(
      /does not match its invoke write/,
    );
  });
});

describe('lenient pairing, for showing a run', () => {
  it('keeps fails, leaves an invoke superseded by a second one uncompleted, and skips a stray completion', () => {
    const pairs = pairEvents(
      [
        ev('invoke', 0, 'write', 1, 0),
        ev('invoke', 0, 'read', null, 1),
        ev('ok', 0, 'read', 1, 2),
        ev('ok', 4, 'read', 1, 3),
        ev('invoke', 1, 'cas', [0, 2], 4),
        ev('fail', 1, 'cas', [0, 2], 5),
      ],
      { mode: 'lenient' },
    );
    expect(pairs.map((p) => [p.invoke.f, p.invokeAt, p.complete?.type, p.completeAt])).toEqual([
      ['write', 0, undefined, undefined],
      ['read', 1, 'ok', 2],
      ['cas', 4, 'fail', 5],
    ]);
  });
});
