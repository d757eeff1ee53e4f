/** Quick checks of the pure parts of the runtimes: names, subnets, offsets, rule parsing. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatOffset } from '../../cluster/runtime/faketime.js';
import { ownedName, planHostRuleRemoval, splitRule } from '../../cluster/runtime/host-sweep.js';
import { ignoreOtherRuns } from '../../cluster/runtime/host-snapshot.js';
import { planLocalNetwork } from '../../cluster/runtime/local/local-network.js';
import { newRunId, runTag } from '../../cluster/runtime/run-tag.js';
import { cidrsOverlap, pickSubnet, subnetOf } from '../../cluster/runtime/subnet.js';

describe('clock offsets', () => {
  it('are written in seconds with a sign, the unit libfaketime reads (never "ms", which it takes as minutes)', () => {
    expect(formatOffset(2_500)).toBe('+2.500s');
    expect(formatOffset(-1_200)).toBe('-1.200s');
    expect(formatOffset(0)).toBe('+0.000s');
    expect(() => formatOffset(Number.NaN)).toThrow(/finite/);
  });

  it('round-trip any millisecond offset', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), (ms) => {
        const text = formatOffset(ms);
        expect(text).toMatch(/^[+-]\d+\.\d{3}s$/);
        expect(Math.round(Number.parseFloat(text) * 1000)).toBe(ms);
      }),
    );
  });
});

describe('run names', () => {
  it('keep interface names within the kernel limit of 15 characters for any run id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 99 }), (runId, n) => {
        const tag = runTag(runId);
        const nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
        const plan = planLocalNetwork(tag, nodes, subnetOf(243, 7));
        expect(plan.bridge.length).toBeLessThanOrEqual(15);
        for (const node of plan.nodes) expect(node.veth.length).toBeLessThanOrEqual(15);
      }),
    );
  });

  it('use a fresh run id as its own tag and hash anything longer', () => {
    const id = newRunId();
    expect(runTag(id)).toBe(id);
    expect(runTag('my-long-run-name')).toMatch(/^[0-9a-f]{8}$/);
    expect(runTag('my-long-run-name')).toBe(runTag('my-long-run-name'));
  });

  it('tell apart what belongs to one run from what belongs to another run with a longer tag', () => {
    expect(ownedName('sb-abc', 'abc')).toBe(true);
    expect(ownedName('sb-abc-n1', 'abc')).toBe(true);
    expect(ownedName('sb-abcd', 'abc')).toBe(false);
    expect(ownedName('sb-abcd-1', 'abc')).toBe(false);
    expect(ownedName('sb-abcd-1', undefined)).toBe(true);
    expect(ownedName('docker0', undefined)).toBe(false);
  });

  it('let a host snapshot ignore other runs but never the run under test', () => {
    const ignore = ignoreOtherRuns(['abc12345']);
    expect(ignore('12: sb-ffff0000: <BROADCAST> mtu 1500')).toBe(true);
    expect(ignore('12: sb-abc12345: <BROADCAST> mtu 1500')).toBe(false);
    expect(ignore('1: lo: <LOOPBACK> mtu 65536')).toBe(false);
    expect(ignore('abc sb-x-n1 img splitbrain.run=abc12345')).toBe(false);
  });
});

describe('subnets', () => {
  it('overlap exactly when their common prefix matches', () => {
    expect(cidrsOverlap('10.242.5.0/24', '10.242.5.128/25')).toBe(true);
    expect(cidrsOverlap('10.242.5.0/24', '10.242.6.0/24')).toBe(false);
    expect(cidrsOverlap('10.0.0.0/8', '10.242.6.0/24')).toBe(true);
    expect(cidrsOverlap('172.17.0.0/16', '10.242.6.0/24')).toBe(false);
  });

  it('are picked around anything already taken', () => {
    const first = pickSubnet(242, 'abc');
    const second = pickSubnet(242, 'abc', [first.cidr]);
    expect(second.cidr).not.toBe(first.cidr);
    expect(cidrsOverlap(first.cidr, second.cidr)).toBe(false);
    expect(() => pickSubnet(242, 'abc', ['10.242.0.0/16'])).toThrow(/no free/);
    expect(first.nodeAddress(0)).toMatch(/^10\.242\.\d+\.11$/);
  });
});

describe('iptables-save lines', () => {
  it('split into the arguments that delete the same rule', () => {
    expect(splitRule('-A FORWARD -i sb-a -o sb-a -m comment --comment "splitbrain:a" -j ACCEPT')).toEqual([
      '-A',
      'FORWARD',
      '-i',
      'sb-a',
      '-o',
      'sb-a',
      '-m',
      'comment',
      '--comment',
      'splitbrain:a',
      '-j',
      'ACCEPT',
    ]);
    expect(splitRule('-A X -m comment --comment "two words" -j DROP')).toContain('two words');
  });
});

describe('sweeping host iptables', () => {
  const save = [
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD DROP [0:0]',
    ':DOCKER-USER - [0:0]',
    ':SPLITBRAIN-ISOLATE - [0:0]',
    ':SPLITBRAIN-ISOLATE2 - [0:0]',
    '-A INPUT -j SPLITBRAIN-ISOLATE',
    '-A INPUT -j SPLITBRAIN-ISOLATE2',
    '-A FORWARD -j DOCKER-USER',
    '-A FORWARD -i sb-aaa -o sb-aaa -m comment --comment "splitbrain:aaa" -j ACCEPT',
    '-A FORWARD -i sb-aaab -o sb-aaab -m comment --comment "splitbrain:aaab" -j ACCEPT',
    '-A SPLITBRAIN-ISOLATE -s 10.0.0.1/32 -j DROP',
    '-A DOCKER-USER -j RETURN',
    'COMMIT',
  ].join('\n');

  it("removes only one run's FORWARD rule when scoped to it, even beside a run with a longer tag", () => {
    const plan = planHostRuleRemoval(save, 'aaa');
    expect(plan.chains).toEqual([]);
    expect(plan.rules.map((r) => r.deleteArgs)).toEqual([
      ['-D', 'FORWARD', '-i', 'sb-aaa', '-o', 'sb-aaa', '-m', 'comment', '--comment', 'splitbrain:aaa', '-j', 'ACCEPT'],
    ]);
  });

  it("removes every splitbrain rule, the jumps into SPLITBRAIN chains and the chains, but not Docker's, when unscoped", () => {
    const plan = planHostRuleRemoval(save);
    expect(plan.chains).toEqual(['SPLITBRAIN-ISOLATE', 'SPLITBRAIN-ISOLATE2']);
    expect(plan.rules.map((r) => r.line)).toEqual([
      '-A INPUT -j SPLITBRAIN-ISOLATE',
      '-A INPUT -j SPLITBRAIN-ISOLATE2',
      '-A FORWARD -i sb-aaa -o sb-aaa -m comment --comment "splitbrain:aaa" -j ACCEPT',
      '-A FORWARD -i sb-aaab -o sb-aaab -m comment --comment "splitbrain:aaab" -j ACCEPT',
    ]);
  });
});
