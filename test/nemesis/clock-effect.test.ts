import { describe, expect, it } from 'vitest';
import { type Db } from '../../cluster/db/index.js';
import { describeClockEffect } from '../../nemesis/clock-nemesis.js';
import { parseRouteDevice } from '../../nemesis/packet-delay-nemesis.js';

const db = (extra: object): Db => ({
  name: 'etcd',
  setup: async () => {},
  teardown: async () => {},
  clientEndpoint: () => '',
  ...extra,
});

describe('clock skew honesty', () => {
  it('says clock skew does not reach a DB that reads time without libc, naming it', () => {
    const effect = describeClockEffect(db({ clockSkewEffective: false }));
    expect(effect.effective).toBe(false);
    expect(effect.note).toMatch(/^etcd does not read its wall clock through libc/);
  });

  it('treats a DB that reads time through libc, or says nothing, as affected', () => {
    expect(describeClockEffect(db({ clockSkewEffective: true }))).toEqual({ effective: true });
    expect(describeClockEffect(db({}))).toEqual({ effective: true });
  });
});

describe('packet delay', () => {
  it('finds the interface a node uses to reach a peer', () => {
    expect(parseRouteDevice('10.77.0.3 dev eth0 src 10.77.0.2 uid 0 \\    cache')).toBe('eth0');
    expect(parseRouteDevice('')).toBeUndefined();
  });
});
