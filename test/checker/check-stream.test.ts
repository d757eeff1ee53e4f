import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, checkFeed, MalformedHistoryError, type HistoryEvent } from '../../checker/index.js';
import { streamJsonl } from '../../src/history/index.js';
import { generateKeyedHistory } from './keyed-history.js';

const dir = mkdtempSync(join(tmpdir(), 'splitbrain-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonl(name: string, events: readonly HistoryEvent[], tail = ''): string {
  const file = join(dir, name);
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n' + tail);
  return file;
}

function streamed(file: string, model: string, memoryLimitBytes?: number, everyKey = false) {
  return checkFeed(
    async (push) => {
      await streamJsonl(file, push);
    },
    { model, file, workers: 0, everyKey, ...(memoryLimitBytes === undefined ? {} : { memoryLimitBytes }) },
  );
}

/** The first ok read of a key read at least twice, made to return a value nobody wrote. */
function poisoned(events: HistoryEvent[]): HistoryEvent[] {
  const copy = events.map((e) => ({ ...e }));
  const target = copy.findIndex((e, i) => i > copy.length / 2 && e.type === 'ok' && e.f === 'read');
  copy[target]!.value = -424242;
  return copy;
}

describe('checking a history as a stream', () => {
  const events = generateKeyedHistory({ ops: 20_000, keys: 300, processes: 20, crashed: 0.01, seed: 7 });

  it('gives the verdict, op count and key count that checking the events in memory gives', async () => {
    const file = jsonl('valid.jsonl', events);
    const [fromStream, inMemory] = await Promise.all([
      streamed(file, 'kv'),
      check(events, { model: 'kv', workers: 0 }),
    ]);
    expect(inMemory.valid).toBe(true);
    expect(fromStream).toMatchObject({ valid: true, ops: inMemory.ops, keys: inMemory.keys });
  });

  it('finds an impossible read anywhere, naming the same op', async () => {
    const bad = poisoned(events);
    const fromStream = await streamed(jsonl('bad.jsonl', bad), 'kv');
    const inMemory = await check(bad, { model: 'kv', workers: 0 });
    expect(fromStream.valid).toBe(false);
    const failed = fromStream.counterexample!.ops.find((op) => op.id === fromStream.counterexample!.failedOp);
    expect(failed).toMatchObject({ f: 'read', output: -424242 });
    expect(fromStream.counterexample!.failedOp).toBe(inMemory.counterexample!.failedOp);
  });

  it('with everyKey, lists the same invalid keys and failed ops as checking in memory', async () => {
    // Reads of two keys made to return values nobody wrote.
    const bad = events.map((e) => ({ ...e }));
    const first = bad.find((e) => e.type === 'ok' && e.f === 'read')!;
    const second = bad.find((e) => e.type === 'ok' && e.f === 'read' && e.key !== first.key)!;
    first.value = -1;
    second.value = -2;
    const fromStream = await streamed(jsonl('bad-twice.jsonl', bad), 'kv', undefined, true);
    const inMemory = await check(bad, { model: 'kv', workers: 0, everyKey: true });
    const summary = (keys: typeof inMemory.invalidKeys) => keys?.map((k) => [k.key, k.failed.id]);
    expect(inMemory.invalidKeys).toHaveLength(2);
    expect(summary(fromStream.invalidKeys)).toEqual(summary(inMemory.invalidKeys));
  });

  it('checks an unkeyed history as one part', async () => {
    const single = events.filter((e) => e.key === 0).map(({ key: _key, ...e }) => e as HistoryEvent);
    const file = jsonl('single.jsonl', single);
    const [fromStream, inMemory] = await Promise.all([
      streamed(file, 'cas-register'),
      check(single, { model: 'cas-register' }),
    ]);
    expect(fromStream).toMatchObject({ valid: inMemory.valid, ops: inMemory.ops });
  });

  it('ends in unknown (memory-limit) when reading alone would outgrow the budget', async () => {
    const result = await streamed(jsonl('big.jsonl', events), 'kv', 2 ** 20);
    expect(result).toMatchObject({ valid: 'unknown', reason: 'memory-limit' });
  });

  it('counts the ops a part makes into objects against the budget too', async () => {
    // 6 MiB holds the 20,000 ops as records and one key's ops as objects, but not all of them at once.
    const file = jsonl('budget.jsonl', events);
    expect((await streamed(file, 'kv', 6 * 2 ** 20)).valid).toBe(true);
    expect(await streamed(file, 'cas-register', 6 * 2 ** 20)).toMatchObject({
      valid: 'unknown',
      reason: 'memory-limit',
    });
  });

  it('rejects a malformed line with its line number', async () => {
    const file = jsonl('malformed.jsonl', events.slice(0, 10), '{"type":"ok","process":"x","f":"read","time":1}\n{}\n');
    await expect(streamed(file, 'kv')).rejects.toThrow(MalformedHistoryError);
    await expect(streamed(file, 'kv')).rejects.toThrow(/:11\b/);
  });
});
