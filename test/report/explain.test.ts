import { describe, expect, it } from 'vitest';
import { explainCounterexample } from '../../src/report/index.js';
import { staleReadHistory } from './sample-history.js';

describe('explainCounterexample', () => {
  it('says which write a stale read should have seen and why the value it saw cannot come back', () => {
    const { result } = staleReadHistory();
    const text = explainCounterexample(result.counterexample!);
    expect(text).toContain("Process 0's read → 1 (op 3, between 9.0 ms and 10.0 ms) cannot be linearized.");
    expect(text).toContain('the last write that completed before it began (op 1, at 8.0 ms) wrote 2');
    expect(text).toContain(
      'the write of 1 (op 0) completed before op 1 began, so none can take effect between op 1 and the read.',
    );
    expect(text).toContain('op 2 write "x"');
  });

  it('names a value nobody wrote', () => {
    const { result } = staleReadHistory();
    const cx = result.counterexample!;
    const ops = cx.ops.map((op) => (op.id === 3 ? { ...op, output: 7 } : op));
    expect(explainCounterexample({ ...cx, ops })).toContain('no operation ever wrote 7.');
  });
});
