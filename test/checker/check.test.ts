import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, checkSync, type Model } from '../../checker/index.js';
import { MalformedHistoryError } from '../../src/history/index.js';
import { hardInvalidHistory, hardKeyedHistory, history } from './hand-made.js';

// Worker threads run only from the compiled checker, which the test run's global setup builds.
const COMPILED = resolve(import.meta.dirname, '../../dist/checker/index.js');

describe('checking small hand-made histories', () => {
  it('accepts a read that overlaps the write it observes', () => {
    const h = history([
      [0, 'invoke', 'write', 1],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 1],
      [0, 'ok', 'write', 1],
    ]);
    expect(checkSync(h, { model: 'register' }).valid).toBe(true);
  });

  it('rejects a stale read and explains it by the completed write that overwrote the value read', () => {
    const h = history([
      [0, 'invoke', 'write', 3],
      [0, 'ok', 'write', 3],
      [0, 'invoke', 'write', 4],
      [0, 'ok', 'write', 4],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 3],
    ]);
    const r = checkSync(h, { model: 'register' });
    expect(r.valid).toBe(false);
    const cx = r.counterexample!;
    expect(cx.ops[cx.failedOp]).toMatchObject({ f: 'read', output: 3 });
    expect(cx.prefix.map((s) => [s.op, s.stateAfter])).toEqual([
      [0, '3'],
      [1, '4'],
    ]);
    expect(cx.concurrent).toEqual([]);
    expect(cx.explanation).toMatch(
      /^read -> 3 \(op 4, process 1\) began at 40 ns, after write 4 \(op 2\) by process 0 had completed at 30 ns;/,
    );
    expect(cx.explanation).toContain('write 4 (op 2) began after write 3 (op 0) had completed');
    expect(cx.explanation).toContain('So the register could no longer hold 3 after 30 ns,');
  });

  it('carries the explanation into JSON and copies, though it is written only when first read', () => {
    const h = history([
      [0, 'invoke', 'write', 3],
      [0, 'ok', 'write', 3],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 4],
    ]);
    const fresh = (): NonNullable<ReturnType<typeof checkSync>['counterexample']> =>
      checkSync(h, { model: 'register' }).counterexample!;
    const text = fresh().explanation;
    expect(text).toMatch(/^There is no op that writes 4 in the history/);
    expect((JSON.parse(JSON.stringify(fresh())) as { explanation: string }).explanation).toBe(text);
    expect(structuredClone(fresh()).explanation).toBe(text);
    expect({ ...fresh() }.explanation).toBe(text);
    const cx = fresh();
    cx.explanation = 'replaced';
    expect(cx.explanation).toBe('replaced');
  });

  it('lets a crashed write take effect long after its invoke, or never', () => {
    const late = history([
      [0, 'invoke', 'write', 7],
      [0, 'info', 'write', 7],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', null],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 7],
    ]);
    expect(checkSync(late, { model: 'cas-register' }).valid).toBe(true);
    const never = history([
      [0, 'invoke', 'write', 7],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', null],
    ]);
    expect(checkSync(never, { model: 'cas-register' }).valid).toBe(true);
  });

  it('ignores fails: a failed cas does not change the register', () => {
    const h = history([
      [0, 'invoke', 'cas', [null, 5]],
      [0, 'fail', 'cas', [null, 5]],
      [1, 'invoke', 'read', null],
      [1, 'ok', 'read', 5],
    ]);
    expect(checkSync(h, { model: 'cas-register' }).valid).toBe(false);
  });

  it('checks kv key by key and names the key of the counterexample', () => {
    const h = history([
      [0, 'invoke', 'write', 1, 'x'],
      [0, 'ok', 'write', 1, 'x'],
      [1, 'invoke', 'read', null, 'y'],
      [1, 'ok', 'read', 1, 'y'],
    ]);
    const r = checkSync(h, { model: 'kv' });
    expect(r).toMatchObject({ valid: false, keys: 2 });
    expect(r.counterexample!.key).toBe('y');
  });

  it('with everyKey, searches on past the first invalid key and lists each with the op it failed at', async () => {
    const h = history([
      [0, 'invoke', 'read', null, 'y'],
      [0, 'ok', 'read', 5, 'y'],
      [1, 'invoke', 'write', 1, 'x'],
      [1, 'ok', 'write', 1, 'x'],
      [2, 'invoke', 'read', null, 'z'],
      [2, 'ok', 'read', 7, 'z'],
    ]);
    for (const r of [checkSync(h, { model: 'kv', everyKey: true }), await check(h, { model: 'kv', everyKey: true })]) {
      expect(r.counterexample!.key).toBe('y');
      expect(r.invalidKeys!.map((k) => [k.key, k.failed.f, k.failed.output])).toEqual([
        ['y', 'read', 5],
        ['z', 'read', 7],
      ]);
    }
    // By default the check stops at the first invalid key.
    expect(checkSync(h, { model: 'kv' }).invalidKeys).toBeUndefined();
  });

  it('finds two holders of a mutex impossible', () => {
    const h = history([
      [0, 'invoke', 'acquire'],
      [0, 'ok', 'acquire'],
      [1, 'invoke', 'acquire'],
      [1, 'ok', 'acquire'],
    ]);
    expect(checkSync(h, { model: 'mutex' }).valid).toBe(false);
  });

  it('accepts a model written by the user', () => {
    const counter: Model<number> = {
      name: 'counter',
      init: () => 0,
      step: (n, input, output) =>
        input.f === 'add'
          ? { ok: true, next: n + (input.value as number) }
          : { ok: typeof output === 'symbol' || output === n, next: n },
    };
    const h = history([
      [0, 'invoke', 'add', 2],
      [1, 'invoke', 'add', 3],
      [0, 'ok', 'add', 2],
      [1, 'ok', 'add', 3],
      [0, 'invoke', 'get'],
      [0, 'ok', 'get', 5],
    ]);
    expect(checkSync(h, { model: counter })).toMatchObject({ valid: true, model: 'counter', ops: 3 });
  });

  it('rejects an operation the model does not know as malformed input', () => {
    const h = history([
      [0, 'invoke', 'increment', 1],
      [0, 'ok', 'increment', 1],
    ]);
    expect(() => checkSync(h, { model: 'register', file: 'h.jsonl' })).toThrow(MalformedHistoryError);
    expect(() => checkSync(h, { model: 'register', file: 'h.jsonl' })).toThrow(
      /^h\.jsonl:1: model register has no operation "increment"/,
    );
  });

  it('names the valid models when given an unknown one', () => {
    expect(() => checkSync([], { model: 'queue' })).toThrow(/register, cas-register, kv, kv-append, mutex/);
  });
});

describe('budgets', () => {
  it('gives up with unknown, not a guess, when the time limit runs out', async () => {
    const r = await check(hardInvalidHistory(24), { model: 'cas-register', timeLimitMs: 500 });
    expect(r).toMatchObject({ valid: 'unknown', reason: 'time-limit' });
    // Timing precision is measured by the bench; here only that it stopped, generously.
    expect(r.ms).toBeGreaterThanOrEqual(490);
    expect(r.ms).toBeLessThan(5000);
  });

  it('gives up with unknown when the memory budget runs out', async () => {
    const r = await check(hardInvalidHistory(24), { model: 'cas-register', memoryLimitBytes: 2 ** 20 });
    expect(r).toMatchObject({ valid: 'unknown', reason: 'memory-limit' });
  });

  it('stops with unknown when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const r = await check(hardInvalidHistory(24), { model: 'cas-register', signal: controller.signal });
    expect(r).toMatchObject({ valid: 'unknown', reason: 'aborted' });
  });

  it('still proves the hard history invalid when given room', () => {
    expect(checkSync(hardInvalidHistory(10), { model: 'cas-register' }).valid).toBe(false);
  });
});

describe('worker threads', () => {
  it('with everyKey, search every key past the first invalid one', async () => {
    const compiled = (await import(COMPILED)) as typeof import('../../checker/index.js');
    const h = hardKeyedHistory(['a', 'b', 'c'], ['b', 'c']);
    const every = await compiled.check(h, { model: 'kv', workers: 2, everyKey: true });
    expect(every).toMatchObject({ valid: false, workers: 2 });
    expect(every.invalidKeys!.map((k) => k.key)).toEqual(['b', 'c']);
    const first = await compiled.check(h, { model: 'kv', workers: 2 });
    expect(first).toMatchObject({ valid: false, workers: 2 });
    expect(first.invalidKeys).toBeUndefined();
  });
});
