import { type CheckResult, type Operation } from '../../checker/index.js';
import { type HistoryEvent } from '../../src/history/index.js';

/**
 * A register history of `n` ops over 40 processes, one op per millisecond with a partition
 * every ten seconds (slow, failed and timed-out ops inside it), whose first read at or after op `n/2` returns a value nobody wrote; with the check result that names
 * it, carrying every op in the counterexample (the worst case for report size).
 */
export function largeHistory(n: number): { events: HistoryEvent[]; result: CheckResult } {
  const events: HistoryEvent[] = [];
  const ops: Operation[] = [];
  const types: ('ok' | 'fail' | 'info')[] = [];
  const returns: number[] = [];
  const MS = 1_000_000;
  for (let id = 0; id < n; id++) {
    // 40 processes, one op each 40 ms: longer than the slowest op, so no process has two at once.
    const process = id % 40;
    const call = id * MS;
    // Half of every 10 s is partitioned: a third of those ops are slow, some reads fail and
    // some writes time out, so the plots have something to show.
    const partitioned = Math.floor(id / 5_000) % 2 === 0;
    const ret = call + 3 * MS + (id % 7) * 100_000 + (partitioned && id % 3 === 0 ? 25 * MS : 0);
    const isRead = id % 2 === 1;
    const type =
      partitioned && isRead && id % 41 === 0 ? 'fail' : partitioned && !isRead && id % 53 === 0 ? 'info' : 'ok';
    const input = isRead ? null : id;
    const output = isRead ? (id === (Math.floor(n / 2) | 1) ? -1 : id - 1) : id;
    if (id % 10_000 === 0)
      events.push({ type: 'invoke', process: 'nemesis', f: 'start-partition', value: 'majority', time: call });
    if (id % 10_000 === 5_000)
      events.push({ type: 'info', process: 'nemesis', f: 'stop-partition', value: null, time: call });
    const invokeIndex = events.length;
    events.push({
      type: 'invoke',
      process,
      f: isRead ? 'read' : 'write',
      value: input,
      time: call,
      node: `n${process}`,
    });
    types.push(type);
    if (type === 'info') ops.push({ id, process, f: 'write', input, status: 'info', call, return: null, invokeIndex });
    else
      ops.push({
        id,
        process,
        f: isRead ? 'read' : 'write',
        input,
        output,
        status: 'ok',
        call,
        return: ret,
        invokeIndex,
      });
    returns.push(ret);
  }
  // Completions in time order, after all invokes would be malformed (one outstanding op per
  // process), so interleave: rebuild the event list sorted by time with completions included.
  const all: HistoryEvent[] = [...events];
  ops.forEach((op, i) => {
    const type = types[i]!;
    const e: HistoryEvent = { type, process: op.process, f: op.f, time: returns[i]!, node: `n${op.process}` };
    if (type === 'ok') e.value = op.output;
    else e.error = type === 'info' ? 'timeout' : 'not leader';
    all.push(e);
  });
  all.sort((a, b) => a.time - b.time || (a.type === 'invoke' ? 1 : 0) - (b.type === 'invoke' ? 1 : 0));
  all.forEach((e, index) => (e.index = index));
  const invokeAt = new Map<number, number>();
  const completeAt = new Map<string, number>();
  for (const e of all) {
    if (e.process === 'nemesis') continue;
    if (e.type === 'invoke') invokeAt.set(e.time, e.index!);
    else completeAt.set(`${e.time}:${e.process}`, e.index!);
  }
  ops.forEach((op, i) => {
    op.invokeIndex = invokeAt.get(op.call)!;
    if (op.return !== null) op.completeIndex = completeAt.get(`${returns[i]!}:${op.process}`)!;
  });
  // The checker leaves failed ops out of its counterexample, and so does this one.
  const checked = ops.filter((_, i) => types[i] !== 'fail');
  const failedOp = Math.floor(n / 2) | 1;
  const result: CheckResult = {
    model: 'register',
    valid: false,
    ops: n,
    ms: 1234,
    counterexample: {
      ops: checked,
      failedOp,
      prefix: checked
        .filter((op) => op.id < failedOp && op.status === 'ok')
        .map((op) => ({ op: op.id, stateAfter: String(op.f === 'write' ? op.input : op.output) })),
      concurrent: [failedOp - 1, failedOp + 1],
      explanation: '',
    },
  };
  return { events: all, result };
}
