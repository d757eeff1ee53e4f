import { describe, expect, it } from 'vitest';
import { parseNodes, parseSeed } from '../../src/cli/commands/test.js';

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
});
