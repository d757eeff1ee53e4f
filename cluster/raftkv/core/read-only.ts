/**
 * The leader's queue of ReadIndex requests waiting for a heartbeat round to confirm it is
 * still leader (Raft thesis §6.4; read_only.go). A request is released once a majority
 * acknowledged a heartbeat carrying its context or the context of a later request.
 */
import type { NodeId } from './types.js';

/** One pending read: the commit index when it arrived and who confirmed leadership since. */
export interface ReadIndexStatus {
  ctx: string;
  index: number;
  from: NodeId;
  acks: Set<NodeId>;
}

/** The pending ReadIndex requests, in arrival order. */
export class ReadOnly {
  private pending = new Map<string, ReadIndexStatus>();
  private queue: string[] = [];

  /** Queues a read at commit index `index`; a duplicate context is ignored. */
  addRequest(index: number, ctx: string, from: NodeId): void {
    if (this.pending.has(ctx)) return;
    this.pending.set(ctx, { ctx, index, from, acks: new Set() });
    this.queue.push(ctx);
  }

  /** Records that `from` acknowledged the heartbeat for ctx; returns the ackers so far. */
  recvAck(from: NodeId, ctx: string): ReadonlySet<NodeId> | undefined {
    const rs = this.pending.get(ctx);
    if (!rs) return undefined;
    rs.acks.add(from);
    return rs.acks;
  }

  /** Releases ctx and every request queued before it. */
  advance(ctx: string): ReadIndexStatus[] {
    const i = this.queue.indexOf(ctx);
    if (i < 0) return [];
    const done = this.queue.splice(0, i + 1);
    const out: ReadIndexStatus[] = [];
    for (const c of done) {
      const rs = this.pending.get(c);
      if (rs) out.push(rs);
      this.pending.delete(c);
    }
    return out;
  }

  /** The context of the newest pending request, which a heartbeat carries. */
  lastPendingRequestCtx(): string | undefined {
    return this.queue[this.queue.length - 1];
  }

  get size(): number {
    return this.queue.length;
  }
}
