/**
 * Raft's five safety properties (paper, figure 3) as invariants over random schedules of an
 * in-process network that drops, cuts, isolates, restarts and recovers.
 */
import { describe, expect, it } from 'vitest';
import type { BugName, NodeId } from '../../../cluster/raftkv/core/index.js';
import { SafetyInvariants } from '../../../cluster/raftkv/sim/invariants.js';
import { Network, seededRng } from './network.js';

function randomSchedule(seed: number, bugs: BugName[] = []): SafetyInvariants {
  const rng = seededRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const ids: NodeId[] = ['n1', 'n2', 'n3', 'n4', 'n5'];
  const net = new Network(ids, {
    seed,
    preVote: rng() < 0.5,
    checkQuorum: rng() < 0.5,
    bugs,
    maxEntriesPerMsg: pick([1, 3, 64]),
  });
  const inv = new SafetyInvariants();
  net.onReady = (n, rd) => {
    const r = n.rn.raft;
    if (r.role === 'leader' && rd.entries.length > 0)
      inv.onLeaderAppend(n.id, r.term, rd.entries[0]!.index, n.storage.lastIndex());
    for (const e of rd.committedEntries) inv.onApply(n.id, e);
  };
  let value = 0;
  for (let step = 0; step < 400 && !inv.violation; step++) {
    const x = rng();
    try {
      if (x < 0.45) net.tickAll();
      else if (x < 0.7) {
        for (const id of net.leaders()) net.node(id).rn.propose(`v${++value}`);
        net.stabilize();
      } else if (x < 0.78) net.isolate(pick(ids));
      else if (x < 0.84) net.cutLink(pick(ids), pick(ids));
      else if (x < 0.88) net.drop(pick([0.1, 0.3, 0.6]));
      else if (x < 0.94) net.recover();
      else net.restart(pick(ids), Math.floor(rng() * 1000));
    } catch (err) {
      inv.coreAssertion('?', err);
    }
    for (const id of net.leaders()) {
      const r = net.node(id).rn.raft;
      inv.onLeader(id, r.term, r.log);
    }
    if (step % 20 === 0 || step === 399) {
      inv.checkLogMatching(
        ids.map((id) => {
          const s = net.node(id).storage;
          return { node: id, entries: (lo: number, hi: number) => s.entries(lo, hi), log: s };
        }),
      );
    }
  }
  return inv;
}

describe('Raft safety properties under random faults', () => {
  it('hold on 60 random schedules of drops, cuts, isolations and restarts', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const inv = randomSchedule(seed);
      expect(inv.violation, `seed ${seed}`).toBeUndefined();
    }
  });

  it('are broken by --bug vote-term-only on some schedule', () => {
    let found = false;
    for (let seed = 1; seed <= 200 && !found; seed++)
      found = randomSchedule(seed, ['vote-term-only']).violation !== undefined;
    expect(found).toBe(true);
  });
});

describe('SafetyInvariants', () => {
  it('reports two leaders in one term as an Election Safety violation', () => {
    const inv = new SafetyInvariants();
    const log = { firstIndex: () => 1, lastIndex: () => 0, term: () => undefined };
    inv.onLeader('n1', 3, log);
    inv.onLeader('n2', 3, log);
    expect(inv.violation?.property).toBe('Election Safety');
  });

  it('reports different entries applied at one index as a State Machine Safety violation', () => {
    const inv = new SafetyInvariants();
    inv.onApply('n1', { term: 1, index: 2, type: 'normal', data: 'a' });
    inv.onApply('n2', { term: 2, index: 2, type: 'normal', data: 'b' });
    expect(inv.violation?.property).toBe('State Machine Safety');
  });

  it('reports a leader missing a committed entry as a Leader Completeness violation', () => {
    const inv = new SafetyInvariants();
    inv.onApply('n1', { term: 1, index: 1, type: 'normal', data: 'a' });
    inv.onLeader('n2', 2, { firstIndex: () => 1, lastIndex: () => 0, term: () => undefined });
    expect(inv.violation?.property).toBe('Leader Completeness');
  });

  it('reports logs that agree on an entry but differ before it as a Log Matching violation', () => {
    const inv = new SafetyInvariants();
    const mk = (terms: number[]) => {
      const ents = terms.map((t, i) => ({ term: t, index: i + 1, type: 'normal' as const, data: `${t}` }));
      return {
        entries: (lo: number, hi: number) => ents.slice(lo - 1, hi - 1),
        log: { firstIndex: () => 1, lastIndex: () => ents.length, term: (i: number) => ents[i - 1]?.term },
      };
    };
    inv.checkLogMatching([
      { node: 'n1', ...mk([1, 1, 2]) },
      { node: 'n2', ...mk([1, 2, 2]) },
    ]);
    expect(inv.violation?.property).toBe('Log Matching');
  });

  it('reports a leader rewriting its own log as a Leader Append-Only violation', () => {
    const inv = new SafetyInvariants();
    inv.onLeaderAppend('n1', 2, 3, 5);
    expect(inv.violation?.property).toBe('Leader Append-Only');
  });
});
