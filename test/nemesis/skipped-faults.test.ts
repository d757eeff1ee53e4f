import { describe, expect, it } from 'vitest';
import { describeSkippedFaults } from '../../nemesis/index.js';

describe('skipped faults', () => {
  it('print one line per cause, naming its faults and its remedy once', () => {
    const iptables = { reason: 'iptables is not installed.', remedy: 'Install iptables (apt-get install iptables).' };
    const lines = describeSkippedFaults([
      { fault: 'partition', ...iptables },
      { fault: 'packet', ...iptables },
      { fault: 'clock', reason: 'libfaketime is missing', remedy: 'Install libfaketime.' },
    ]);
    expect(lines).toEqual([
      'skipping faults partition, packet: iptables is not installed. Install iptables (apt-get install iptables).',
      'skipping fault clock: libfaketime is missing. Install libfaketime.',
    ]);
  });

  it('print nothing when nothing is skipped', () => {
    expect(describeSkippedFaults([])).toEqual([]);
  });
});
