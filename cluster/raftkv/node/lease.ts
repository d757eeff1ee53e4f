import type { NodeId } from '../core/index.js';

/**
 * The leader lease of the `lease-no-margin` bug: when each peer last answered the leader
 * (MsgAppResp / MsgHeartbeatResp of the leader's term), by the wall clock, and the lease expiry
 * those answers earned.
 *
 * The lease is the Raft thesis §6.4.1 argument: followers that heard from the leader will not
 * elect anyone else for one election timeout, so a leader that a quorum answered less than one
 * election timeout ago may read its local state. The thesis times that from when the heartbeat
 * was SENT, shortened by the maximum clock drift, and on a clock that cannot jump. This tracker
 * gets all three wrong, as real leases have: it times from when the answer ARRIVED, with no
 * drift margin, on `Date.now()` (the wall clock, which libfaketime and NTP steps move), and the
 * expiry it records only ever moves forward. So a leader whose wall clock ran ahead while it
 * collected answers keeps an expiry in its own clock's future: when the clock steps back (the
 * skew is healed, or NTP corrects it), the lease stays valid in real time for as long as the
 * clock ran ahead, and a leader cut off in that window serves stale reads while a new leader
 * takes writes.
 */
export class LeaseTracker {
  private acks = new Map<NodeId, number>();
  private term = -1;
  /** Wall-clock time the lease of `term` runs until; only ever extended. */
  private until = -Infinity;

  constructor(
    private readonly self: NodeId,
    private readonly voters: readonly NodeId[],
    private readonly electionTimeoutMs: number,
  ) {}

  /**
   * Records an answer from `from` to this node as leader of `term`, arriving at wall-clock
   * `now`; a new term forgets every older answer and the old lease.
   */
  recordAck(from: NodeId, term: number, now: number): void {
    if (term !== this.term) {
      this.term = term;
      this.acks.clear();
      this.until = -Infinity;
    }
    this.acks.set(from, now);
    // The time by which a quorum (the leader itself counts, at `now`) had answered: the
    // quorum-th most recent answer.
    const times = [now];
    for (const v of this.voters) {
      if (v === this.self) continue;
      const at = this.acks.get(v);
      if (at !== undefined) times.push(at);
    }
    const quorum = Math.floor(this.voters.length / 2) + 1;
    if (times.length < quorum) return;
    times.sort((a, b) => b - a);
    // BUG lease-no-margin: timed from the answer's arrival, no drift margin, and never shortened,
    // even when the wall clock now reads earlier than the answers that earned the expiry.
    this.until = Math.max(this.until, times[quorum - 1] + this.electionTimeoutMs);
  }

  /** Whether this node holds the lease of `term` at wall-clock `now`. */
  holds(term: number, now: number): boolean {
    return term === this.term && now < this.until;
  }

  /** The term whose lease this tracker holds answers for (-1 before any answer). */
  get leaseTerm(): number {
    return this.term;
  }
}
