/** Grudges and loss plans as directed link faults for the link proxy, checked as data. */
import { describe, expect, it } from 'vitest';
import { completeGrudge } from '../../nemesis/grudge.js';
import { describeLinkFault, grudgeLinkFaults, packetLossLinkFaults } from '../../nemesis/proxy-links.js';

describe('link faults', () => {
  it('cuts, for a grudge, every link from a node another cannot hear, and no other', () => {
    const faults = grudgeLinkFaults(completeGrudge([['n1'], ['n2', 'n3']]));
    expect(faults.map(describeLinkFault).sort()).toEqual(['n1->n2 cut', 'n1->n3 cut', 'n2->n1 cut', 'n3->n1 cut']);
  });

  it('keeps a one-way grudge one-way', () => {
    expect(grudgeLinkFaults({ n1: ['n2'] })).toEqual([{ from: 'n2', to: 'n1', loss: 1 }]);
  });

  it('puts loss on both directions of every link of each target', () => {
    const faults = packetLossLinkFaults(['n2'], ['n1', 'n2', 'n3'], 0.2);
    expect(faults.map(describeLinkFault).sort()).toEqual([
      'n1->n2 loss 0.2',
      'n2->n1 loss 0.2',
      'n2->n3 loss 0.2',
      'n3->n2 loss 0.2',
    ]);
    expect(() => packetLossLinkFaults(['n1'], ['n1', 'n2'], 0)).toThrow(/probability must be in \(0, 1\]/);
  });
});
