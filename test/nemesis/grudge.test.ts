import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeGrudge, computeHeard, hears, majority, PARTITION_KINDS, type Grudge } from '../../nemesis/grudge.js';
import { createRng } from '../../workloads/index.js';

const nodesOf = (n: number): string[] => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const sizes = fc.integer({ min: 3, max: 11 });
const seeds = fc.integer({ min: 0, max: 2 ** 31 });

const symmetric = (g: Grudge, nodes: string[]): boolean =>
  nodes.every((a) => nodes.every((b) => hears(g, a, b) === hears(g, b, a)));

describe('partition grudges', () => {
  it('in a majorities ring every node hears a majority and no two nodes hear the same set', () => {
    fc.assert(
      fc.property(sizes, seeds, (n, seed) => {
        const nodes = nodesOf(n);
        const heard = computeHeard(computeGrudge('majorities-ring', nodes, createRng(seed)) ?? {}, nodes);
        const sets = nodes.map((x) => heard[x] ?? []);
        expect(sets.every((s) => s.length === majority(n))).toBe(true);
        expect(nodes.every((x) => heard[x]?.includes(x))).toBe(true);
        expect(new Set(sets.map((s) => s.join(','))).size).toBe(n);
      }),
    );
  });

  it('a bridge node hears and is heard by everyone while the two sides cannot hear each other', () => {
    fc.assert(
      fc.property(sizes, seeds, (n, seed) => {
        const nodes = nodesOf(n);
        const g = computeGrudge('bridge', nodes, createRng(seed)) ?? {};
        const heard = computeHeard(g, nodes);
        const bridges = nodes.filter((x) => heard[x]?.length === n && nodes.every((y) => hears(g, y, x)));
        expect(bridges).toHaveLength(1);
        expect(symmetric(g, nodes)).toBe(true);
        // Without the bridge, the rest splits into exactly two groups that cannot talk.
        const rest = nodes.filter((x) => x !== bridges[0]);
        const groups = new Set(rest.map((x) => heard[x]?.filter((y) => y !== bridges[0]).join(',')));
        expect(groups.size).toBe(2);
      }),
    );
  });

  it('halves, random halves, minority third, one and leader cut the cluster into two groups with a majority on one side', () => {
    for (const kind of ['halves', 'random-halves', 'minority-third', 'one', 'leader'] as const) {
      fc.assert(
        fc.property(sizes, seeds, (n, seed) => {
          const nodes = nodesOf(n);
          const g = computeGrudge(kind, nodes, createRng(seed), { leader: 'n2' }) ?? {};
          const heard = computeHeard(g, nodes);
          const groups = [...new Set(nodes.map((x) => heard[x]?.join(',')))];
          expect(groups).toHaveLength(2);
          expect(symmetric(g, nodes)).toBe(true);
          const sizesOf = groups.map((s) => s?.split(',').length ?? 0).sort((a, b) => a - b);
          expect(sizesOf[1]).toBeGreaterThanOrEqual(Math.ceil(n / 2));
          if (kind === 'leader') expect(heard.n2).toEqual(['n2']);
          if (kind === 'one') expect(sizesOf[0]).toBe(1);
          if (kind === 'minority-third') expect(sizesOf[0]).toBe(Math.max(1, Math.floor(n / 3)));
        }),
      );
    }
  });

  it('the same seed always draws the same grudge', () => {
    for (const kind of PARTITION_KINDS) {
      const a = computeGrudge(kind, nodesOf(7), createRng(99), { leader: 'n1' });
      const b = computeGrudge(kind, nodesOf(7), createRng(99), { leader: 'n1' });
      expect(a).toEqual(b);
    }
  });

  it('a cluster of one node cannot be partitioned', () => {
    for (const kind of PARTITION_KINDS)
      expect(computeGrudge(kind, ['n1'], createRng(1), { leader: 'n1' })).toBeUndefined();
  });

  it('lagging followers are a minority without the leader; the leader pair then leaves the laggers a majority with one up-to-date node', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), seeds, (n, seed) => {
        const nodes = nodesOf(n);
        const rng = createRng(seed);
        const lag = computeGrudge('lagging-followers', nodes, rng, { leader: 'n1' }) ?? {};
        const laggers = lag['n1'] ?? [];
        expect(laggers).toHaveLength(Math.max(1, Math.floor((n - 1) / 2)));
        expect(laggers).not.toContain('n1');
        const pair = computeGrudge('leader-pair', nodes, rng, { leader: 'n1', previous: lag }) ?? {};
        const heard = computeHeard(pair, nodes);
        expect(symmetric(pair, nodes)).toBe(true);
        const partner = heard.n1!.filter((x) => x !== 'n1');
        expect(partner.length).toBeLessThanOrEqual(1);
        for (const p of partner) expect(laggers).not.toContain(p);
        const majoritySide = nodes.filter((x) => !heard.n1!.includes(x));
        expect(majoritySide.length).toBeGreaterThanOrEqual(Math.floor(n / 2) + 1);
        for (const l of laggers) expect(majoritySide).toContain(l);
      }),
    );
  });
});
