/**
 * Rule tests: each names the section of the Raft paper (Ongaro & Ousterhout, 2014) or thesis
 * whose rule it checks, as etcd's raft_paper_test.go does.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStorage, NotLeaderError, RawNode, type Message } from '../../../cluster/raftkv/core/index.js';
import { Network, seededRng } from './network.js';

function stepAndDrain(rn: RawNode, m: Message): Message[] {
  rn.step(m);
  const out: Message[] = [];
  while (rn.hasReady()) {
    const rd = rn.ready();
    out.push(...rd.messages);
    rn.advance(rd);
  }
  return out;
}

function lone(id = 'n1', peers = ['n1', 'n2', 'n3'], opts: { checkQuorum?: boolean } = {}): RawNode {
  return new RawNode({
    id,
    peers,
    storage: new MemoryStorage(peers),
    rng: seededRng(1),
    checkQuorum: opts.checkQuorum ?? false,
  });
}

describe('Raft paper rules', () => {
  it('§5.1: a node that sees a higher term adopts it and becomes a follower', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    const rn = net.node('n1').rn;
    stepAndDrain(rn, { type: 'MsgApp', from: 'n2', to: 'n1', term: 5, index: 0, logTerm: 0, entries: [], commit: 0 });
    expect(rn.status()).toMatchObject({ role: 'follower', term: 5, lead: 'n2' });
  });

  it('§5.2: a node grants at most one vote per term, first come first served', () => {
    const rn = lone();
    const a = stepAndDrain(rn, { type: 'MsgVote', from: 'n2', to: 'n1', term: 1, index: 0, logTerm: 0 });
    const b = stepAndDrain(rn, { type: 'MsgVote', from: 'n3', to: 'n1', term: 1, index: 0, logTerm: 0 });
    expect(a[0]).toMatchObject({ type: 'MsgVoteResp', to: 'n2' });
    expect(a[0]!.reject).toBeUndefined();
    expect(b[0]).toMatchObject({ type: 'MsgVoteResp', to: 'n3', reject: true });
  });

  it('§5.2: a vote survives a restart, so a restarted node cannot vote twice in a term', () => {
    const peers = ['n1', 'n2', 'n3'];
    const storage = new MemoryStorage(peers);
    const rn = new RawNode({ id: 'n1', peers, storage, rng: seededRng(1) });
    rn.step({ type: 'MsgVote', from: 'n2', to: 'n1', term: 1, index: 0, logTerm: 0 });
    const rd = rn.ready();
    expect(rd.mustSync).toBe(true);
    storage.setHardState(rd.hardState!);
    rn.advance(rd);
    const again = new RawNode({ id: 'n1', peers, storage, rng: seededRng(2) });
    const resp = stepAndDrain(again, { type: 'MsgVote', from: 'n3', to: 'n1', term: 1, index: 0, logTerm: 0 });
    expect(resp[0]).toMatchObject({ type: 'MsgVoteResp', reject: true });
  });

  it('§5.2: election timeouts are randomized within [electionTick, 2 x electionTick)', () => {
    const seen = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      const peers = ['n1', 'n2', 'n3'];
      const rn = new RawNode({
        id: 'n1',
        peers,
        storage: new MemoryStorage(peers),
        rng: seededRng(seed),
        electionTick: 10,
      });
      let ticks = 0;
      while (rn.status().role === 'follower') {
        rn.tick();
        ticks++;
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ticks).toBeLessThan(20);
      seen.add(ticks);
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('§5.4.1: a voter refuses a candidate whose log has the same last term but is shorter', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    net.isolate('n3');
    net.node('n1').rn.propose('a');
    net.stabilize();
    // n3 lacks 1/2; its last term equals n2's (1), so only log length can tell them apart.
    const n2 = net.node('n2').rn;
    const resp = stepAndDrain(n2, { type: 'MsgVote', from: 'n3', to: 'n2', term: 2, index: 1, logTerm: 1 });
    expect(resp.find((m) => m.type === 'MsgVoteResp')).toMatchObject({ reject: true });
  });

  it('§5.4.1 broken by --bug vote-term-only: the shorter log wins the vote', () => {
    const net = new Network(['n1', 'n2', 'n3'], { bugs: ['vote-term-only'] });
    net.campaign('n1');
    net.isolate('n3');
    net.node('n1').rn.propose('a');
    net.stabilize();
    const n2 = net.node('n2').rn;
    const resp = stepAndDrain(n2, { type: 'MsgVote', from: 'n3', to: 'n2', term: 2, index: 1, logTerm: 1 });
    const vote = resp.find((m) => m.type === 'MsgVoteResp')!;
    expect(vote.reject).toBeUndefined();
  });

  it('§5.3: a follower with a long conflicting tail is repaired in a few round trips (conflict-term back-off)', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    // n1 leads term 1, gets cut off and appends 50 entries nobody else sees.
    net.isolate('n1');
    for (let i = 0; i < 50; i++) net.node('n1').rn.propose(`lost-${i}`);
    net.stabilize();
    net.recover();
    net.isolate('n1');
    net.campaign('n2');
    net.node('n2').rn.propose('kept');
    net.stabilize();
    net.recover();
    const before = net.trace.length;
    net.node('n2').rn.tick();
    net.stabilize();
    const rejects = net.trace.slice(before).filter((m) => m.type === 'MsgAppResp' && m.reject && m.from === 'n1');
    expect(rejects.length).toBeLessThanOrEqual(2);
    const n1 = net.node('n1');
    expect(n1.storage.lastIndex()).toBe(net.node('n2').storage.lastIndex());
    expect(n1.storage.entries(1, n1.storage.lastIndex() + 1).map((e) => e.data)).toContain('kept');
  });

  it('§5.4.2: a new leader commits earlier-term entries only once an entry of its own term is on a quorum', () => {
    const net = new Network(['n1', 'n2', 'n3'], { maxEntriesPerMsg: 1 });
    net.campaign('n1');
    net.cutLink('n1', 'n3');
    net.node('n1').rn.propose('old');
    net.stabilize();
    // n1 (term 1) commits 1/2 with n2. Now n2 leads term 2 and must re-commit through its no-op.
    net.recover();
    net.isolate('n1');
    net.campaign('n2');
    const n2 = net.node('n2');
    expect(n2.rn.status().role).toBe('leader');
    expect(n2.rn.status().commit).toBe(n2.rn.status().lastIndex);
    expect(n2.storage.term(n2.rn.status().commit)).toBe(n2.rn.status().term);
  });

  it('§5.3 Log Matching: a follower stops when a leader sends an entry that contradicts one it committed', () => {
    const peers = ['n1', 'n2', 'n3'];
    const committedAt = (): RawNode => {
      const storage = new MemoryStorage(peers);
      storage.append([
        { index: 1, term: 1, type: 'normal', data: 'a' },
        { index: 2, term: 1, type: 'normal', data: 'b' },
      ]);
      storage.setHardState({ term: 1, vote: '', commit: 2 });
      return new RawNode({ id: 'n1', peers, storage, rng: seededRng(1) });
    };
    const app = (term: number): Message => ({
      type: 'MsgApp',
      from: 'n2',
      to: 'n1',
      term: 3,
      index: 0,
      logTerm: 0,
      entries: [
        { index: 1, term: 1, type: 'normal', data: 'a' },
        { index: 2, term, type: 'normal', data: 'x' },
      ],
      commit: 0,
    });
    // The same committed entries: answered with the commit index, as before.
    expect(stepAndDrain(committedAt(), app(1))).toEqual([expect.objectContaining({ type: 'MsgAppResp', index: 2 })]);
    // Entry 2 of another term: what this node committed was overwritten elsewhere.
    expect(() => committedAt().step(app(2))).toThrow(
      /entry 2 of term 2 from n2 conflicts with committed entry of term 1/,
    );
  });

  it('§6.4: reads on a follower are refused with the leader named', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    expect(() => net.node('n2').rn.readIndex('r')).toThrow(NotLeaderError);
    try {
      net.node('n2').rn.readIndex('r');
    } catch (e) {
      expect((e as NotLeaderError).lead).toBe('n1');
    }
  });

  it('thesis §6.2 CheckQuorum: a leader cut off from the quorum steps down within two election timeouts', () => {
    const net = new Network(['n1', 'n2', 'n3'], { checkQuorum: true });
    net.campaign('n1');
    net.isolate('n1');
    const rn = net.node('n1').rn;
    for (let i = 0; i < 20 && rn.status().role === 'leader'; i++) {
      rn.tick();
      net.stabilize();
    }
    expect(rn.status().role).toBe('follower');
  });

  it('thesis §4.2.3: with CheckQuorum, a follower that hears from its leader ignores a disruptive vote request', () => {
    const net = new Network(['n1', 'n2', 'n3'], { checkQuorum: true });
    net.campaign('n1');
    const n2 = net.node('n2').rn;
    const out = stepAndDrain(n2, { type: 'MsgVote', from: 'n3', to: 'n2', term: 9, index: 5, logTerm: 5 });
    expect(out).toEqual([]);
    expect(n2.status()).toMatchObject({ term: 1, lead: 'n1' });
  });

  it('thesis §9.6 PreVote: a partitioned node does not raise its term, and its return does not depose the leader', () => {
    const net = new Network(['n1', 'n2', 'n3'], { preVote: true });
    net.campaign('n1');
    net.isolate('n3');
    for (let i = 0; i < 100; i++) {
      net.node('n3').rn.tick();
      net.stabilize();
    }
    expect(net.node('n3').rn.status().term).toBe(1);
    net.recover();
    net.tickAll(3);
    expect(net.leaders()).toEqual(['n1']);
    expect(net.node('n1').rn.status().term).toBe(1);
  });

  it('proposals off the leader are dropped with the leader named, and an unknown leader is reported as empty', () => {
    const rn = lone();
    try {
      rn.propose('x');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NotLeaderError);
      expect((e as NotLeaderError).lead).toBe('');
    }
  });

  it('thesis §6.4: with --bug leader-local-read a deposed, isolated leader still releases reads; without it, it does not', () => {
    for (const bugs of [[], ['leader-local-read' as const]]) {
      const net = new Network(['n1', 'n2', 'n3'], { bugs });
      net.campaign('n1');
      net.isolate('n1');
      net.campaign('n2');
      let released = false;
      net.onReady = (n, rd) => {
        if (n.id === 'n1' && rd.readStates.length > 0) released = true;
      };
      net.node('n1').rn.readIndex('stale');
      net.stabilize();
      net.tickAll(3);
      expect(released).toBe(bugs.length > 0);
    }
  });

  it('§7: a node restarted from a compacted storage keeps its snapshot, log and hard state', () => {
    const net = new Network(['n1', 'n2', 'n3']);
    net.campaign('n1');
    for (const v of ['a', 'b', 'c']) net.node('n1').rn.propose(v);
    net.stabilize();
    const n2 = net.node('n2');
    n2.storage.createSnapshot(3, 'kv@3');
    n2.storage.compact(3);
    const again = net.restart('n2');
    expect(again.rn.status()).toMatchObject({ term: 1, commit: 4, applied: 3, lastIndex: 4 });
    net.stabilize();
    expect(again.applied.map((e) => e.data)).toEqual(['c']);
  });
});
