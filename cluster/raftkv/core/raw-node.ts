/**
 * RawNode: the core's public, synchronous driver (rawnode.go in etcd raft). The node process
 * (or the simulator) owns all I/O and loops:
 *
 *   on timer:       rn.tick()
 *   on peer msg:    rn.step(msg)
 *   on client op:   rn.propose(data) / rn.readIndex(ctx)
 *   while (rn.hasReady()) { const rd = rn.ready(); persist; send; apply; serve reads; rn.advance(rd) }
 *
 * See the Ready type for what "persist, send, apply" must mean.
 */
import { Raft, type Config } from './raft.js';
import type { HardState, Message, NodeId, Ready, Role, SoftState } from './types.js';

/** What status() reports. */
export interface Status {
  id: NodeId;
  term: number;
  vote: NodeId | '';
  lead: NodeId | '';
  role: Role;
  commit: number;
  applied: number;
  lastIndex: number;
}

export type RawNodeConfig = Config;

function hardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

/**
 * Wraps a Raft peer and turns its accumulated output into Ready batches. Call advance(rd) after
 * handling each Ready before asking for the next one.
 */
export class RawNode {
  /** The wrapped state machine; exposed for tests and invariant checks, not for driving. */
  readonly raft: Raft;
  private prevSoft: SoftState;
  private prevHard: HardState;

  constructor(config: RawNodeConfig) {
    this.raft = new Raft(config);
    this.prevSoft = this.raft.softState();
    this.prevHard = this.raft.hardState();
  }

  /** Advances logical time by one tick (the node calls this on a fixed timer, e.g. every 100 ms). */
  tick(): void {
    this.raft.tick();
  }

  /** Starts an election now (etcd's Campaign). */
  campaign(): void {
    this.raft.step({ type: 'MsgHup', from: this.raft.id, to: this.raft.id, term: 0 });
  }

  /**
   * Feeds a message received from a peer. Local message types (MsgHup, MsgBeat, MsgProp,
   * MsgReadIndex) are refused here: use campaign/propose/readIndex.
   */
  step(m: Message): void {
    if (m.type === 'MsgHup' || m.type === 'MsgBeat' || m.type === 'MsgProp' || m.type === 'MsgReadIndex') {
      throw new TypeError(`step: ${m.type} is a local message; call the RawNode method instead`);
    }
    this.raft.step(m);
  }

  /**
   * Appends `data` to the leader's log; returns the entry's (index, term). The entry may still
   * be lost (leader change) before it commits: the caller learns the outcome when an entry with
   * that index is applied (compare its data) or by timing out. Throws ProposalDroppedError,
   * carrying the known leader, when this node is not the leader (the op definitely did not happen).
   */
  propose(data: string): { index: number; term: number } {
    return this.raft.propose(data);
  }

  /**
   * Requests a linearizable read identified by `ctx` (unique per request). A ReadState with the
   * same ctx arrives in a later Ready; serve the read once applied >= its index. If leadership
   * is lost first, no ReadState arrives: time the read out (it had no effect). Throws
   * NotLeaderError when this node is not the leader.
   */
  readIndex(ctx: string): void {
    this.raft.readIndex(ctx);
  }

  /** Whether ready() has anything to hand out. */
  hasReady(): boolean {
    const r = this.raft;
    const soft = r.softState();
    if (soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role) return true;
    if (!hardStateEqual(r.hardState(), this.prevHard)) return true;
    if (r.log.unstable.snapshot) return true;
    if (r.msgs.length > 0 || r.log.unstable.entries.length > 0 || r.log.hasNextEnts()) return true;
    return r.readStates.length > 0;
  }

  /**
   * Takes the pending output as one batch. Messages and read states are handed over once; entries
   * and committed entries are reported until advance(rd) marks them done.
   */
  ready(): Ready {
    const r = this.raft;
    const soft = r.softState();
    const hard = r.hardState();
    const rd: Ready = {
      entries: r.log.unstableEntries(),
      committedEntries: r.log.nextEnts(),
      messages: r.msgs,
      readStates: r.readStates,
      mustSync: false,
    };
    if (soft.lead !== this.prevSoft.lead || soft.role !== this.prevSoft.role) {
      rd.softState = soft;
      this.prevSoft = soft;
    }
    if (!hardStateEqual(hard, this.prevHard)) rd.hardState = hard;
    if (r.log.unstable.snapshot) rd.snapshot = r.log.unstable.snapshot;
    // Term and vote must be durable before any message that relies on them; a commit index
    // alone can be recovered, so etcd does not force an fsync for it.
    rd.mustSync =
      rd.entries.length > 0 ||
      rd.snapshot !== undefined ||
      (rd.hardState !== undefined &&
        (rd.hardState.term !== this.prevHard.term || rd.hardState.vote !== this.prevHard.vote));
    r.msgs = [];
    r.readStates = [];
    return rd;
  }

  /** Marks a Ready as fully handled (persisted, sent, applied): its entries become stable and applied. */
  advance(rd: Ready): void {
    const r = this.raft;
    if (rd.hardState) this.prevHard = rd.hardState;
    if (rd.snapshot) {
      r.log.stableSnapTo(rd.snapshot.metadata.index);
      if (rd.snapshot.metadata.index > r.log.applied) r.log.applied = rd.snapshot.metadata.index;
    }
    if (rd.committedEntries.length > 0) r.log.appliedTo(rd.committedEntries[rd.committedEntries.length - 1]!.index);
    if (rd.entries.length > 0) {
      const last = rd.entries[rd.entries.length - 1]!;
      r.log.stableTo(last.index, last.term);
    }
  }

  /** A snapshot of this peer's state. */
  status(): Status {
    const r = this.raft;
    return {
      id: r.id,
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      role: r.role,
      commit: r.log.committed,
      applied: r.log.applied,
      lastIndex: r.log.lastIndex(),
    };
  }
}
