/**
 * The node's client side: the KV operations its HTTP API serves. A write becomes a proposal and
 * is answered when its entry is applied (or indefinitely when leadership is lost first); reads
 * arriving together share one ReadIndex and are answered once the applied index reaches it
 * (Raft thesis §6.4). The Ready loop (node.ts) calls in as entries apply, read states arrive
 * and leadership is lost; this file holds no Raft state of its own.
 */
import { randomBytes } from 'node:crypto';
import { NotLeaderError, type BugName, type NodeId, type ReadState, type RawNode } from '../core/index.js';
import { encodeCommand, type ApplyResult, type KvCommand, type KvStateMachine } from '../kv/index.js';
import type { HttpReply } from './http-api.js';
import type { LeaseTracker } from './lease.js';

/** A write not applied within this long is answered "may have happened" (the client records info). */
const WRITE_TIMEOUT_MS = 5000;
/** A read not served within this long is answered "did not happen" (reads have no effect). */
const READ_TIMEOUT_MS = 5000;

interface PendingWrite {
  resolve: (r: HttpReply) => void;
  cmd: KvCommand;
  timer: NodeJS.Timeout;
}

interface ReadRequest {
  key: string;
  resolve: (r: HttpReply) => void;
}

interface PendingRead {
  reads: ReadRequest[];
  timer: NodeJS.Timeout;
  /** Set once the ReadState arrived: serve when applied reaches it. */
  index?: number;
}

/** What the service is given by the node that runs the Ready loop. */
export interface KvServiceOptions {
  id: NodeId;
  /** Client address (host:port) of every node known so far, for not-leader redirects. */
  clientAddrs: ReadonlyMap<NodeId, string>;
  bugs: ReadonlySet<BugName>;
  lease: LeaseTracker;
  /** The applied state the reads are served from; only the Ready loop applies to it. */
  sm: KvStateMachine;
  /** The Raft core, for status, proposals and ReadIndex requests. */
  core: Pick<RawNode, 'status' | 'propose' | 'readIndex'>;
  /** Term of the last applied entry: lease reads need an applied entry of the leader's own term. */
  appliedTerm: () => number;
  /** Asks the Ready loop to run soon (after a proposal or a read arrived). */
  schedule: () => void;
}

/** The KV operations of one node, answered through the Raft core. */
export class RaftKvService {
  private readonly pendingWrites = new Map<string, PendingWrite[]>();
  private readonly pendingReads = new Map<string, PendingRead>();
  private readBatch: ReadRequest[] = [];
  private readCounter = 0;
  private readonly readPrefix = randomBytes(4).toString('hex');

  constructor(private readonly o: KvServiceOptions) {}

  /** Reads a key linearizably (unless a read bug is on). */
  get(key: string): Promise<HttpReply> {
    const { bugs, core, sm } = this.o;
    // BUG stale-read: any node answers from its local applied state, skipping ReadIndex, so a
    // partitioned follower or deposed leader serves stale data (Raft thesis §6.4 requires it).
    if (bugs.has('stale-read')) return Promise.resolve({ status: 200, body: { value: sm.read(key) } });
    const st = core.status();
    if (bugs.has('lease-no-margin') && this.o.appliedTerm() === st.term && this.o.lease.holds(st.term, Date.now())) {
      // BUG lease-no-margin: a leader-lease read (see LeaseTracker for the missing drift margin).
      // It asks only the lease, not the core's role, as lease-holder designs do: by the Raft
      // thesis §6.4.1 argument no other leader can exist before the lease runs out, so the lease
      // alone is the permission to read. The lease is of this node's own term (only answers to
      // it as leader are recorded), and a node that has seen a newer term has no lease. That is
      // why a CheckQuorum step-down does not end these reads: only the wall-clock expiry does.
      return Promise.resolve({ status: 200, body: { value: sm.read(key) } });
    }
    if (st.role !== 'leader') return Promise.resolve(this.notLeader(st.lead));
    return new Promise<HttpReply>((resolve) => {
      this.readBatch.push({ key, resolve });
      this.o.schedule();
    });
  }

  /** Writes a key; `requestId` lets a retried write apply once. */
  put(key: string, value: unknown, requestId: string): Promise<HttpReply> {
    return this.proposeCommand({ requestId, kind: 'write', key, value });
  }

  /** Compare-and-set on a key. */
  cas(key: string, expected: unknown, next: unknown, requestId: string): Promise<HttpReply> {
    return this.proposeCommand({ requestId, kind: 'cas', key, expected, new: next });
  }

  /**
   * Starts one ReadIndex for every read that arrived since the last batch: one heartbeat round
   * confirms leadership for all of them (etcd batches reads the same way).
   */
  flushReadBatch(): void {
    if (this.readBatch.length === 0) return;
    const reads = this.readBatch;
    this.readBatch = [];
    const ctx = `${this.readPrefix}-${++this.readCounter}`;
    try {
      this.o.core.readIndex(ctx);
    } catch (e) {
      if (!(e instanceof NotLeaderError)) throw e;
      for (const r of reads) r.resolve(this.notLeader(e.lead));
      return;
    }
    const timer = setTimeout(() => {
      const p = this.pendingReads.get(ctx);
      this.pendingReads.delete(ctx);
      for (const r of p?.reads ?? []) r.resolve({ status: 503, body: { error: 'read-timeout', definite: true } });
    }, READ_TIMEOUT_MS);
    this.pendingReads.set(ctx, { reads, timer });
  }

  /** Records the read indexes a Ready confirmed; the reads are served once applied reaches them. */
  noteReadStates(readStates: readonly ReadState[]): void {
    for (const rs of readStates) {
      const p = this.pendingReads.get(rs.requestCtx);
      if (p) p.index = rs.index;
    }
  }

  /** Serves every confirmed read whose index is applied. */
  serveReads(applied: number): void {
    for (const [ctx, p] of this.pendingReads) {
      if (p.index !== undefined && p.index <= applied) {
        clearTimeout(p.timer);
        this.pendingReads.delete(ctx);
        for (const r of p.reads) r.resolve({ status: 200, body: { value: this.o.sm.read(r.key) } });
      }
    }
  }

  /** Answers the write an applied entry carried, if this node is the one its client waits on. */
  answerWrite(result: ApplyResult): void {
    const list = this.pendingWrites.get(result.requestId);
    if (!list) return;
    this.pendingWrites.delete(result.requestId);
    for (const p of list) {
      clearTimeout(p.timer);
      if (result.ok) {
        const value = p.cmd.kind === 'cas' ? [p.cmd.expected ?? null, p.cmd.new ?? null] : result.value;
        p.resolve({ status: 200, body: { value } });
      } else {
        p.resolve({ status: 409, body: { error: 'cas-mismatch', definite: true, current: result.current } });
      }
    }
  }

  /** Leadership was lost: pending writes may still commit under the next leader, so they are indefinite. */
  failPendingOnLeaderLoss(): void {
    for (const list of this.pendingWrites.values()) {
      for (const p of list) {
        clearTimeout(p.timer);
        p.resolve({ status: 503, body: { error: 'leader-lost', definite: false } });
      }
    }
    this.pendingWrites.clear();
    for (const p of this.pendingReads.values()) {
      clearTimeout(p.timer);
      for (const r of p.reads) r.resolve({ status: 503, body: { error: 'leader-lost', definite: true } });
    }
    this.pendingReads.clear();
  }

  private notLeader(lead: NodeId | ''): HttpReply {
    const leader = lead && lead !== this.o.id ? (this.o.clientAddrs.get(lead) ?? null) : null;
    const r: HttpReply = { status: 307, body: { error: 'not-leader', leader, definite: true } };
    if (leader) r.headers = { location: `http://${leader}` };
    return r;
  }

  private proposeCommand(cmd: KvCommand): Promise<HttpReply> {
    const st = this.o.core.status();
    if (st.role !== 'leader') return Promise.resolve(this.notLeader(st.lead));
    try {
      this.o.core.propose(encodeCommand(cmd));
    } catch (e) {
      // ProposalDroppedError extends NotLeaderError: nothing was appended anywhere.
      if (e instanceof NotLeaderError) return Promise.resolve(this.notLeader(e.lead));
      throw e;
    }
    return new Promise<HttpReply>((resolve) => {
      const list = this.pendingWrites.get(cmd.requestId) ?? [];
      const p: PendingWrite = {
        resolve,
        cmd,
        timer: setTimeout(() => {
          this.removePendingWrite(cmd.requestId, p);
          resolve({ status: 503, body: { error: 'timeout', definite: false } });
        }, WRITE_TIMEOUT_MS),
      };
      list.push(p);
      this.pendingWrites.set(cmd.requestId, list);
      this.o.schedule();
    });
  }

  private removePendingWrite(requestId: string, p: PendingWrite): void {
    const list = this.pendingWrites.get(requestId);
    if (!list) return;
    const rest = list.filter((x) => x !== p);
    if (rest.length > 0) this.pendingWrites.set(requestId, rest);
    else this.pendingWrites.delete(requestId);
  }
}
