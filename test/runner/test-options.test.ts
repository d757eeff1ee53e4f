import { describe, expect, it } from 'vitest';
import { BUNDLED_ADAPTERS } from '../../src/adapters/index.js';
import { parseNodes, parseReadConsistency, parseSeed, worstExit } from '../../src/cli/commands/test.js';

const { etcd, raftkv } = BUNDLED_ADAPTERS as Required<typeof BUNDLED_ADAPTERS>;

describe('splitbrain test options', () => {
  it('name the nodes n1..nN', () => {
    expect(parseNodes(5)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('refuse a cluster size outside 1..9, naming the option and the value', () => {
    expect(() => parseNodes(0)).toThrow('--nodes must be an integer from 1 to 9, got 0');
    expect(() => parseNodes(2.5)).toThrow(/--nodes/);
    expect(() => parseNodes(10)).toThrow(/got 10/);
  });

  it('keep a given seed and draw a fresh one when none is given', () => {
    expect(parseSeed(42)).toBe(42);
    const drawn = parseSeed(undefined);
    expect(Number.isInteger(drawn) && drawn > 0).toBe(true);
    expect(() => parseSeed(-1)).toThrow(/--seed/);
  });

  it('accept serializable reads for etcd and refuse them for raftkv, listing what raftkv offers', () => {
    expect(parseReadConsistency(etcd!, 'serializable')).toBe('serializable');
    expect(parseReadConsistency(etcd!, 'linearizable')).toBe('linearizable');
    expect(parseReadConsistency(raftkv!, 'linearizable')).toBe('linearizable');
    expect(() => parseReadConsistency(raftkv!, 'serializable')).toThrow(
      '--read-consistency serializable is not offered by --db raftkv; choose one of: linearizable',
    );
    expect(() => parseReadConsistency(etcd!, 'stale')).toThrow(/choose one of: linearizable, serializable/);
  });

  it("default to the adapter's first read consistency", () => {
    expect(parseReadConsistency(etcd!, undefined)).toBe('linearizable');
  });

  it('end several tests with the worst exit code: error, then invalid, then unknown, then valid', () => {
    expect(worstExit([0, 2, 1, 0])).toBe(1);
    expect(worstExit([0, 3, 1])).toBe(3);
    expect(worstExit([0, 0])).toBe(0);
    expect(worstExit([2, 0])).toBe(2);
  });
});
