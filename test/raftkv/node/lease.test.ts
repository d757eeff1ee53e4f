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

  it('keeps a lease earned while the clock ran ahead after the clock steps back, so a cut-off leader reads for that long', () => {
    const l = new LeaseTracker('n1', ['n1', 'n2', 'n3'], 500);
    // The leader's wall clock runs 5 s ahead while n2 answers: the lease runs to 15 500 on it.
    l.recordAck('n2', 7, 15_000);
    // The skew is healed (the clock steps back 5 s); one more answer arrives, then the leader is cut off.
    l.recordAck('n2', 7, 10_050);
    expect(l.holds(7, 10_600)).toBe(true); // a correct lease would have ended at 10 550
    expect(l.holds(7, 15_499)).toBe(true); // almost 5.5 s of real time after the last answer
    expect(l.holds(7, 15_500)).toBe(false);
  });

  it('grants no lease in a new term until a quorum answers in that term', () => {
    const l = new LeaseTracker('n1', ['n1', 'n2', 'n3'], 500);
    l.recordAck('n2', 7, 1000);
    expect(l.holds(7, 1400)).toBe(true);
    l.recordAck('n2', 8, 1100);
    expect(l.holds(7, 1400)).toBe(false);
    expect(l.holds(8, 1400)).toBe(true); // n2 plus the leader is a quorum of three
    expect(new LeaseTracker('n1', voters, 500).holds(-1, 0)).toBe(false);
  });
});
