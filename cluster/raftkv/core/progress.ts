/**
 * The leader's view of each follower's log (tracker/progress.go): `match` is known replicated,
 * `next` is what to send next. Probe sends one message at a time until the follower's position is
 * known; replicate streams optimistically up to `maxInflight` messages; snapshot waits for a
 * snapshot to land.
 */

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** One follower's replication progress. */
export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** Probe: a message is out and unanswered, so hold further sends until a response or heartbeat. */
  probeSent = false;
  /** Snapshot state: the snapshot index being sent. */
  pendingSnapshot = 0;
  /** Heard from since the last CheckQuorum round. */
  recentActive = false;
  /** Last index of each in-flight MsgApp (replicate state), oldest first. */
  inflights: number[] = [];

  constructor(
    next: number,
    readonly maxInflight: number,
  ) {
    this.next = next;
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights = [];
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      const pending = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pending + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** Records an acknowledgement of index n; returns whether match moved. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, n + 1);
    return updated;
  }

  /**
   * Backs off after a rejection of the MsgApp sent after `rejected`, to at most matchHint + 1;
   * returns false when the rejection is stale.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  /** Whether sending must wait. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.length >= this.maxInflight;
      case 'snapshot':
        return true;
    }
  }

  /** Frees in-flight messages whose last index is <= to. */
  freeLE(to: number): void {
    let i = 0;
    while (i < this.inflights.length && this.inflights[i]! <= to) i++;
    if (i > 0) this.inflights.splice(0, i);
  }

  freeFirstOne(): void {
    this.inflights.shift();
  }
}
