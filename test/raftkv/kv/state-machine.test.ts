import { describe, expect, it } from 'vitest';
import type { Entry } from '../../../cluster/raftkv/core/index.js';
import { encodeCommand, KvStateMachine, type KvCommand } from '../../../cluster/raftkv/kv/index.js';
import { decodeCommand } from '../../../cluster/raftkv/kv/command.js';

let index = 0;
function entry(c: KvCommand): Entry {
  return { term: 1, index: ++index, type: 'normal', data: encodeCommand(c) };
}

describe('KvStateMachine', () => {
  it('reads null for a key never written, and the value after a write', () => {
    const kv = new KvStateMachine();
    expect(kv.read('x')).toBeNull();
    expect(kv.apply(entry({ requestId: 'a', kind: 'write', key: 'x', value: 3 }))).toEqual({
      requestId: 'a',
      ok: true,
      value: 3,
    });
    expect(kv.read('x')).toBe(3);
  });

  it('applies a compare-and-set only when the current value matches, and reports the current value otherwise', () => {
    const kv = new KvStateMachine();
    kv.apply(entry({ requestId: 'w', kind: 'write', key: 'x', value: 1 }));
    expect(kv.apply(entry({ requestId: 'c1', kind: 'cas', key: 'x', expected: 2, new: 5 }))).toEqual({
      requestId: 'c1',
      ok: false,
      error: 'cas-mismatch',
      current: 1,
    });
    expect(kv.read('x')).toBe(1);
    expect(kv.apply(entry({ requestId: 'c2', kind: 'cas', key: 'x', expected: 1, new: 5 }))).toEqual({
      requestId: 'c2',
      ok: true,
      value: 5,
    });
    expect(kv.read('x')).toBe(5);
  });

  it('treats a cas expecting null as "never written"', () => {
    const kv = new KvStateMachine();
    expect(kv.apply(entry({ requestId: 'c', kind: 'cas', key: 'k', expected: null, new: 'v' }))).toMatchObject({
      ok: true,
    });
    expect(kv.read('k')).toBe('v');
  });

  it('compares structured values by content', () => {
    const kv = new KvStateMachine();
    kv.apply(entry({ requestId: 'w', kind: 'write', key: 'x', value: { a: [1, 2] } }));
    expect(kv.apply(entry({ requestId: 'c', kind: 'cas', key: 'x', expected: { a: [1, 2] }, new: 0 }))).toMatchObject({
      ok: true,
    });
  });

  it('applies a retried request id once and answers the retry with the first result', () => {
    const kv = new KvStateMachine();
    kv.apply(entry({ requestId: 'w1', kind: 'write', key: 'x', value: 1 }));
    const first = kv.apply(entry({ requestId: 'c', kind: 'cas', key: 'x', expected: 1, new: 2 }));
    kv.apply(entry({ requestId: 'w2', kind: 'write', key: 'x', value: 1 }));
    // The retry of c would succeed again if applied twice; it must not be.
    const retry = kv.apply(entry({ requestId: 'c', kind: 'cas', key: 'x', expected: 1, new: 2 }));
    expect(retry).toEqual(first);
    expect(kv.read('x')).toBe(1);
  });

  it('forgets the oldest request ids beyond its bound', () => {
    const kv = new KvStateMachine({ maxRememberedRequests: 2 });
    kv.apply(entry({ requestId: 'a', kind: 'write', key: 'x', value: 1 }));
    kv.apply(entry({ requestId: 'b', kind: 'write', key: 'x', value: 2 }));
    kv.apply(entry({ requestId: 'c', kind: 'write', key: 'x', value: 3 }));
    kv.apply(entry({ requestId: 'a', kind: 'write', key: 'x', value: 1 }));
    expect(kv.read('x')).toBe(1);
    kv.apply(entry({ requestId: 'c', kind: 'write', key: 'x', value: 3 }));
    expect(kv.read('x')).toBe(1);
  });

  it('ignores no-op entries', () => {
    const kv = new KvStateMachine();
    expect(kv.apply({ term: 2, index: 7, type: 'noop', data: '' })).toBeUndefined();
    expect(kv.applied).toBe(7);
  });

  it('restores from a snapshot with the same map, dedup table and applied index', () => {
    const kv = new KvStateMachine();
    kv.apply(entry({ requestId: 'a', kind: 'write', key: 'x', value: 1 }));
    kv.apply(entry({ requestId: 'b', kind: 'write', key: 'y', value: 'two' }));
    const other = new KvStateMachine();
    other.restore(kv.snapshot());
    expect(other.read('x')).toBe(1);
    expect(other.read('y')).toBe('two');
    expect(other.applied).toBe(kv.applied);
    other.apply(entry({ requestId: 'a', kind: 'write', key: 'x', value: 1 }));
    other.apply(entry({ requestId: 'z', kind: 'write', key: 'x', value: 9 }));
    other.apply(entry({ requestId: 'a', kind: 'write', key: 'x', value: 1 }));
    expect(other.read('x')).toBe(9);
  });

  it('rejects entry data that is not a command', () => {
    expect(() => decodeCommand('{"nope":1}')).toThrow(/not a KV command/);
  });
});
