import { describe, expect, it } from 'vitest';
import { ProposalDroppedError } from '../../../cluster/raftkv/core/index.js';
import { Network } from './network.js';

describe('raft core basics', () => {
  it('elects a leader and replicates a proposal to every node', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    expect(net.leaders()).toEqual(['n1']);
    net.node('n1').rn.propose('hello');
    net.stabilize();
    for (const n of net.nodes.values()) {
      expect(n.applied.map((e) => e.data)).toContain('hello');
    }
  });

  it('refuses proposals on a follower and names the leader', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    expect(() => net.node('n2').rn.propose('x')).toThrow(ProposalDroppedError);
    try {
      net.node('n2').rn.propose('x');
    } catch (e) {
      expect((e as ProposalDroppedError).lead).toBe('n1');
    }
  });
});

describe('describe forms', () => {
  it('renders messages, entries and a Ready each on one line', async () => {
    const { describeMessage, describeEntry, describeReady } = await import('../../../cluster/raftkv/core/index.js');
    expect(describeEntry({ term: 2, index: 5, type: 'normal', data: 'x' })).toBe('2/5 x');
    expect(describeEntry({ term: 2, index: 4, type: 'noop', data: '' })).toBe('2/4 noop');
    expect(
      describeMessage({
        type: 'MsgApp',
        from: 'n1',
        to: 'n2',
        term: 2,
        logTerm: 1,
        index: 3,
        commit: 3,
        entries: [{ term: 2, index: 4, type: 'noop', data: '' }],
      }),
    ).toBe('n1->n2 MsgApp term=2 logTerm=1 index=3 commit=3 entries=[2/4 noop]');
    const line = describeReady({
      hardState: { term: 1, vote: 'n1', commit: 0 },
      entries: [{ term: 1, index: 1, type: 'noop', data: '' }],
      committedEntries: [],
      messages: [],
      readStates: [],
      mustSync: true,
    });
    expect(line).toBe('HardState term=1 vote=n1 commit=0 | Entries: 1/1 noop | mustSync');
  });
});
