import type { NodeId } from '../core/types.js';

/**
 * Tracks when each peer last answered the leader (MsgAppResp / MsgHeartbeatResp of the current
 * term), by the wall clock, for the `lease-no-margin` bug's leader-lease reads.
 */
export class LeaseTracker {
  private acks = new Map<NodeId, number>();
  private term = -1;

  constructor(
    private readonly self: NodeId,
    private readonly voters: readonly NodeId[],
    private readonly electionTimeoutMs: number,
  ) {}

  /** Records an answer from `from` in `term`; a new term forgets every older answer. */
  recordAck(from: NodeId, term: number, now: number): void {
    if (term !== this.term) {
      this.term = term;
      this.acks.clear();
    }
    this.acks.set(from, now);
  }

  /**
   * Whether a quorum answered within one election timeout of `now`. BUG lease-no-margin: the
   * lease is measured on the wall clock (Date.now(), which clock skew moves) from the time the
   * answer ARRIVED, with no clock-drift margin; the Raft thesis §6.4.1 requires timing the lease
   * from when the heartbeat was SENT and shortening it by the maximum clock drift.
   */
  holds(term: number, now: number): boolean {
    if (term !== this.term) return false;
    let fresh = 1; // the leader itself
    for (const v of this.voters) {
      if (v === this.self) continue;
      const at = this.acks.get(v);
      if (at !== undefined && now - at < this.electionTimeoutMs) fresh++;
    }
    return fresh > Math.floor(this.voters.length / 2);
  }
}
