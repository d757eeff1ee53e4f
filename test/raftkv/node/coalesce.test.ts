import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Entry, Message } from '../../../cluster/raftkv/core/index.js';
import { coalesceMessages } from '../../../cluster/raftkv/node/coalesce.js';
import { Network, seededRng, type TestNode } from '../core/network.js';

const ent = (index: number, term = 2): Entry => ({ index, term, type: 'normal', data: `d${index}` });
const app = (index: number, entries: Entry[], commit: number, term = 2): Message => ({
  type: 'MsgApp',
  from: 'n1',
  to: 'n2',
  term,
  index,
  logTerm: 2,
  entries,
  commit,
});

describe('coalescing the messages sent to one peer', () => {
  it('folds AppendEntries that continue each other into one carrying every entry and the newest commit', () => {
    const out = coalesceMessages([app(4, [ent(5)], 3), app(5, [ent(6)], 4), app(6, [], 5)], 100);
    expect(out).toEqual([app(4, [ent(5), ent(6)], 5)]);
  });

  it('keeps AppendEntries apart when they do not continue each other, change term, or exceed the entry cap', () => {
    const gap = [app(4, [ent(5)], 3), app(7, [ent(8)], 3)];
    expect(coalesceMessages(gap, 100)).toEqual(gap);
    const newTerm = [app(4, [ent(5)], 3), { ...app(5, [ent(6)], 3), term: 3 }];
    expect(coalesceMessages(newTerm, 100)).toEqual(newTerm);
    const big = [app(4, [ent(5), ent(6)], 3), app(6, [ent(7)], 3)];
    expect(coalesceMessages(big, 2)).toEqual(big);
  });

  it('drops only acknowledgements that a later one of the same term supersedes, never rejections or read contexts', () => {
    const ack = (index: number, term = 2): Message => ({ type: 'MsgAppResp', from: 'n2', to: 'n1', term, index });
    const reject: Message = {
      type: 'MsgAppResp',
      from: 'n2',
      to: 'n1',
      term: 2,
      index: 9,
      reject: true,
      rejectHint: 3,
    };
    const hb: Message = { type: 'MsgHeartbeatResp', from: 'n2', to: 'n1', term: 2, context: 'r1' };
    expect(coalesceMessages([ack(5), hb, ack(7), ack(6)], 100)).toEqual([hb, ack(7)]);
    expect(coalesceMessages([ack(5), reject, ack(7)], 100)).toEqual([ack(5), reject, ack(7)]);
    expect(coalesceMessages([ack(5), ack(7, 3)], 100)).toEqual([ack(5), ack(7, 3)]);
  });

  it('keeps replicas identical and makes progress in a lossy cluster whose every send is coalesced, with far fewer MsgApps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(3, 5), (seed, size) => {
        const ids = Array.from({ length: size }, (_, i) => `n${i + 1}`);
        const net = new Network(ids, { seed, preVote: true, checkQuorum: true });
        const rng = seededRng(seed);
        let delivered = 0;
        // Deliver like the node transport: each Ready's messages grouped by peer and coalesced.
        const settle = (dropRate: number): void => {
          for (let round = 0; round < 200; round++) {
            const batches: Message[][] = [];
            for (const n of net.nodes.values()) {
              while (n.rn.hasReady()) {
                const byPeer = new Map<string, Message[]>();
                for (const m of net.processReady(n)) byPeer.set(m.to, [...(byPeer.get(m.to) ?? []), m]);
                for (const list of byPeer.values()) batches.push(coalesceMessages(list, 64));
              }
            }
            if (batches.length === 0) return;
            for (const batch of batches) {
              for (const m of batch) {
                if (rng() < dropRate) continue;
                if (m.type === 'MsgApp') delivered++;
                net.node(m.to).rn.step(m);
              }
            }
          }
        };
        let proposed = 0;
        for (let step = 0; step < 60; step++) {
          for (const n of net.nodes.values()) n.rn.tick();
          const leader = [...net.nodes.values()].find((n) => n.rn.status().role === 'leader');
          if (leader) {
            for (let i = 0; i < 20; i++) {
              leader.rn.propose(`p${proposed++}`);
            }
          }
          settle(step < 40 ? 0.1 : 0);
        }
        // State machine safety: every replica applied the same entry at the same index.
        const byIndex = new Map<number, string>();
        const all: TestNode[] = [...net.nodes.values()];
        for (const n of all) {
          for (const e of n.applied) {
            const seen = byIndex.get(e.index);
            const key = `${e.term}/${e.data}`;
            if (seen !== undefined) expect(key).toBe(seen);
            else byIndex.set(e.index, key);
          }
        }
        // Once the loss stops, the cluster commits proposals and catches everyone up.
        const commits = all.map((n) => n.rn.status().commit);
        expect(Math.min(...commits)).toBeGreaterThan(proposed / 4);
        // Twenty proposals per step would be twenty MsgApps per follower without coalescing.
        expect(delivered).toBeLessThan((proposed * (size - 1)) / 2);
      }),
      { numRuns: 25 },
    );
  });
});
