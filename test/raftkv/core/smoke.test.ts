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
