import { type CheckResult, type Operation } from '../../checker/index.js';
import { type HistoryEvent } from '../../src/history/index.js';

const MS = 1_000_000;

/**
 * A small register history with a stale read during a partition, and the check result a
 * linearizability checker gives for it (written out by hand: write 1 and write 2 complete in
 * order, then a read that begins after write 2 completed returns 1). `evil` is put into values
 * and errors to exercise escaping.
 */
export function staleReadHistory(evil = 'x'): { events: HistoryEvent[]; result: CheckResult } {
  const raw: Omit<HistoryEvent, 'index'>[] = [
    { type: 'invoke', process: 0, f: 'write', value: 1, time: 1 * MS, node: 'n1' },
    { type: 'ok', process: 0, f: 'write', value: 1, time: 3 * MS, node: 'n1' },
    { type: 'invoke', process: 'nemesis', f: 'start-partition', value: 'majority', time: 4 * MS },
    { type: 'info', process: 'nemesis', f: 'start-partition', value: { n1: ['n3', 'n4'] }, time: 5 * MS },
    { type: 'invoke', process: 1, f: 'write', value: 2, time: 6 * MS, node: 'n2' },
    { type: 'invoke', process: 2, f: 'write', value: evil, time: 6.5 * MS, node: 'n3' },
    { type: 'ok', process: 1, f: 'write', value: 2, time: 8 * MS, node: 'n2' },
    { type: 'invoke', process: 0, f: 'read', value: null, time: 9 * MS, node: 'n4' },
    { type: 'ok', process: 0, f: 'read', value: 1, time: 10 * MS, node: 'n4' },
    { type: 'info', process: 2, f: 'write', value: evil, time: 11 * MS, node: 'n3', error: `timeout ${evil}` },
    { type: 'invoke', process: 'nemesis', f: 'stop-partition', value: null, time: 12 * MS },
    { type: 'info', process: 'nemesis', f: 'stop-partition', value: null, time: 13 * MS },
    { type: 'invoke', process: 3, f: 'read', value: null, time: 14 * MS, node: 'n1' },
    { type: 'ok', process: 3, f: 'read', value: 2, time: 15 * MS, node: 'n1' },
  ];
  const events = raw.map((e, index) => ({ ...e, index }) as HistoryEvent);
  const ops: Operation[] = [
    op(0, 0, 'write', 1, 1, 'ok', 1, 3, 0, 1),
    op(1, 1, 'write', 2, 2, 'ok', 6, 8, 4, 6),
    op(2, 2, 'write', evil, undefined, 'info', 6.5, null, 5, undefined),
    op(3, 0, 'read', null, 1, 'ok', 9, 10, 7, 8),
    op(4, 3, 'read', null, 2, 'ok', 14, 15, 12, 13),
  ];
  const result: CheckResult = {
    file: 'stale-read.jsonl',
    model: 'register',
    valid: false,
    ops: 5,
    ms: 1.5,
    counterexample: {
      ops,
      failedOp: 3,
      prefix: [
        { op: 0, stateAfter: '1' },
        { op: 1, stateAfter: '2' },
      ],
      concurrent: [2],
      explanation: '',
    },
  };
  return { events, result };
}

function op(
  id: number,
  process: number,
  f: string,
  input: unknown,
  output: unknown,
  status: 'ok' | 'info',
  callMs: number,
  returnMs: number | null,
  invokeIndex: number,
  completeIndex: number | undefined,
): Operation {
  const o: Operation = {
    id,
    process,
    f,
    input,
    status,
    call: callMs * MS,
    return: returnMs === null ? null : returnMs * MS,
    invokeIndex,
  };
  if (output !== undefined) o.output = output;
  if (completeIndex !== undefined) o.completeIndex = completeIndex;
  return o;
}
