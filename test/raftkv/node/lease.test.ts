import { describe, expect, it } from 'vitest';
import { LeaseTracker } from '../../../cluster/raftkv/node/lease.js';

describe('leader lease (the lease-no-margin bug)', () => {
  const voters = ['n1', 'n2', 'n3', 'n4', 'n5'];

  it('holds only while a quorum answered within one election timeout of the wall clock', () => {
    const l = new LeaseTracker('n1', voters, 500);
    l.recordAck('n2', 4, 1000);
    expect(l.holds(4, 1100)).toBe(false); // the leader plus one of five is no quorum
    l.recordAck('n3', 4, 1050);
    expect(l.holds(4, 1100)).toBe(true);
    expect(l.holds(4, 1499)).toBe(true);
    expect(l.holds(4, 1500)).toBe(false); // n2's answer is now one election timeout old
  });

  it('forgets answers from an older term', () => {
    const l = new LeaseTracker('n1', voters, 500);
    l.recordAck('n2', 4, 1000);
    l.recordAck('n3', 4, 1000);
    expect(l.holds(5, 1100)).toBe(false);
    l.recordAck('n2', 5, 1100);
    expect(l.holds(5, 1150)).toBe(false);
  });

  it('keeps holding when the wall clock jumps backwards, which is the bug', () => {
    const l = new LeaseTracker('n1', voters, 500);
    l.recordAck('n2', 4, 10_000);
    l.recordAck('n3', 4, 10_000);
    expect(l.holds(4, 10_000 - 30_000)).toBe(true);
  });
});
