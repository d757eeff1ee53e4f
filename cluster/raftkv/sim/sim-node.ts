/**
 * One raftkv node inside the simulator: the same RawNode and KvStateMachine the real node runs,
 * with a simulated disk instead of a WAL. A crash keeps only what reached the disk. The
 * node-edge bugs live here, at the line of the rule they break:
 *   stale-read          any node answers a read from its local state,
 *   ack-before-persist  messages (acks, votes) and client answers go out before the disk write.
 */
import {
  MemoryStorage,
  NotLeaderError,
  RaftInvariantError,
  RawNode,
  type BugName,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type Ready,
  type Snapshot,
} from '../core/index.js';
import { encodeCommand, KvStateMachine, type ApplyResult, type KvCommand } from '../kv/index.js';
import type { SafetyInvariants } from './invariants.js';
import { Rng } from './rng.js';

/** A client request as the simulated node receives it. */
export interface SimRequest {
  f: 'read' | 'write' | 'cas';
  key: string;
  /** write: the value; cas: [expected, new]. */
  value?: unknown;
  requestId: string;
  /** Unique per attempt: the ReadIndex context. */
  attemptId: string;
}

/** A node's answer to a client. */
export type SimReply =
  { kind: 'ok'; value: unknown } | { kind: 'fail'; error: string } | { kind: 'not-leader'; lead: NodeId | '' };

/** What a node needs from the simulation around it. */
export interface SimWorld {
  now(): number;
  after(delay: number, fn: () => void): void;
  send(m: Message): void;
  invariants: SafetyInvariants;
  bugs: ReadonlySet<BugName>;
}

/** Raft and storage knobs for a simulated node. */
export interface SimNodeOptions {
  preVote: boolean;
  checkQuorum: boolean;
  electionTick: number;
  maxEntriesPerMsg: number;
  maxInflight: number;
  /** Compact once this many applied entries sit in the log. */
  compactEvery: number;
  /** ack-before-persist: how long after the ack the disk write lands. */
  flushDelay: number;
}

/** What survives a crash: exactly what was written to the simulated disk. */
interface Disk {
  hardState: HardState;
  snapshot: Snapshot | undefined;
  entries: Entry[];
}

type DiskWrite = { snapshot?: Snapshot; entries: Entry[]; hardState?: HardState } | { compacted: Snapshot };

/** A simulated raftkv node. */
export class SimNode {
  alive = false;
  rn!: RawNode;
  storage!: MemoryStorage;
  kv!: KvStateMachine;
  /** Incremented by each crash, so delayed disk writes of a dead incarnation are dropped. */
  private incarnation = 0;
  private readonly disk: Disk = { hardState: { term: 0, vote: '', commit: 0 }, snapshot: undefined, entries: [] };
  private pendingWrites = new Map<string, Array<(r: SimReply) => void>>();
  private pendingReads = new Map<string, { key: string; reply: (r: SimReply) => void }>();
  private readyReads: Array<{ index: number; key: string; reply: (r: SimReply) => void }> = [];
  private broken = false;

  constructor(
    readonly id: NodeId,
    private readonly voters: NodeId[],
    private readonly world: SimWorld,
    private readonly opts: SimNodeOptions,
    private readonly rng: Rng,
  ) {}

  /** Starts (or restarts) the node from its disk. */
  boot(): void {
    this.storage = new MemoryStorage(this.voters);
    this.kv = new KvStateMachine();
    let applied = 0;
    if (this.disk.snapshot) {
      this.storage.applySnapshot(this.disk.snapshot);
      this.kv.restore(this.disk.snapshot.data);
      applied = this.disk.snapshot.metadata.index;
    }
    this.storage.append([...this.disk.entries]);
    // A commit index below the snapshot is implied by the snapshot itself.
    const hs = this.disk.hardState;
    this.storage.setHardState({ ...hs, commit: Math.max(hs.commit, applied) });
    this.rn = new RawNode({
      id: this.id,
      peers: this.voters,
      storage: this.storage,
      rng: this.rng.fn(),
      electionTick: this.opts.electionTick,
      heartbeatTick: 1,
      preVote: this.opts.preVote,
      checkQuorum: this.opts.checkQuorum,
      bugs: this.world.bugs,
      maxEntriesPerMsg: this.opts.maxEntriesPerMsg,
      maxInflight: this.opts.maxInflight,
      applied,
    });
    this.alive = true;
    this.process();
  }

  /** Stops the node like SIGKILL: memory, pending requests and unwritten disk writes are gone. */
  crash(): void {
    this.alive = false;
    this.incarnation++;
    this.pendingWrites = new Map();
    this.pendingReads = new Map();
    this.readyReads = [];
  }

  tick(): void {
    if (!this.alive) return;
    this.guard(() => this.rn.tick());
  }

  receive(m: Message): void {
    if (!this.alive) return;
    this.guard(() => this.rn.step(m));
  }

  /** Handles a client request; `reply` is called at most once. */
  request(req: SimRequest, reply: (r: SimReply) => void): void {
    if (!this.alive) return;
    if (req.f === 'read') {
      // BUG stale-read: serves from local state on any node, without ReadIndex (Raft paper §8:
      // a read must not return stale data, which needs the leader and a confirmed heartbeat round).
      if (this.world.bugs.has('stale-read')) {
        reply({ kind: 'ok', value: this.kv.read(req.key) });
        return;
      }
      // Checking the role first spares building an error (and its stack) per redirected read.
      if (this.rn.raft.role !== 'leader') {
        reply({ kind: 'not-leader', lead: this.rn.raft.lead });
        return;
      }
      this.guard(() => {
        try {
          this.rn.readIndex(req.attemptId);
          this.pendingReads.set(req.attemptId, { key: req.key, reply });
        } catch (err) {
          if (err instanceof NotLeaderError) reply({ kind: 'not-leader', lead: err.lead });
          else throw err;
        }
      });
      return;
    }
    const cmd: KvCommand =
      req.f === 'write'
        ? { requestId: req.requestId, kind: 'write', key: req.key, value: req.value }
        : {
            requestId: req.requestId,
            kind: 'cas',
            key: req.key,
            expected: (req.value as unknown[])[0],
            new: (req.value as unknown[])[1],
          };
    if (this.rn.raft.role !== 'leader') {
      reply({ kind: 'not-leader', lead: this.rn.raft.lead });
      return;
    }
    this.guard(() => {
      try {
        this.rn.propose(encodeCommand(cmd));
        const waiting = this.pendingWrites.get(req.requestId) ?? [];
        waiting.push(reply);
        this.pendingWrites.set(req.requestId, waiting);
      } catch (err) {
        if (err instanceof NotLeaderError) reply({ kind: 'not-leader', lead: err.lead });
        else throw err;
      }
    });
  }

  /** Runs `fn` then drains Readys; a core assertion (only reachable with a bug on) stops the node. */
  private guard(fn: () => void): void {
    if (this.broken) return;
    try {
      fn();
      this.process();
    } catch (err) {
      if (!(err instanceof RaftInvariantError) && !(err instanceof Error)) throw err;
      this.broken = true;
      this.alive = false;
      this.world.invariants.coreAssertion(this.id, err);
    }
  }

  private process(): void {
    while (this.rn.hasReady()) this.handleReady(this.rn.ready());
  }

  /** The Ready contract: persist, then send, then apply, then serve reads, then advance. */
  private handleReady(rd: Ready): void {
    const r = this.rn.raft;
    const inv = this.world.invariants;
    if (r.role === 'leader' && rd.entries.length > 0) {
      inv.onLeaderAppend(this.id, r.term, rd.entries[0]!.index, this.storage.lastIndex());
    }
    // 1. persist (disk), then mirror into MemoryStorage.
    const write: DiskWrite = { entries: rd.entries };
    if (rd.snapshot) write.snapshot = rd.snapshot;
    if (rd.hardState) write.hardState = rd.hardState;
    // BUG ack-before-persist: the write is queued and lands later, while step 2 sends acks and
    // votes now; a crash in between forgets what was promised (Raft paper §5, figure 2: "respond
    // to RPCs only after updating stable storage").
    if (this.world.bugs.has('ack-before-persist')) this.writeLater(write);
    else this.writeDisk(write);
    if (rd.snapshot) this.storage.applySnapshot(rd.snapshot);
    this.storage.append(rd.entries);
    if (rd.hardState) this.storage.setHardState(rd.hardState);
    // 2. send.
    for (const m of rd.messages) this.world.send(m);
    // 3. apply.
    if (rd.snapshot) {
      this.kv.restore(rd.snapshot.data);
      this.readyReads = this.readyReads.filter((x) => this.serveIfApplied(x));
    }
    for (const e of rd.committedEntries) {
      inv.onApply(this.id, e);
      const result = this.kv.apply(e);
      if (result) this.answerWrite(result);
    }
    // 4. serve reads whose index is applied.
    for (const rs of rd.readStates) {
      const p = this.pendingReads.get(rs.requestCtx);
      if (!p) continue;
      this.pendingReads.delete(rs.requestCtx);
      this.readyReads.push({ index: rs.index, key: p.key, reply: p.reply });
    }
    this.rn.advance(rd);
    if (this.readyReads.length > 0) this.readyReads = this.readyReads.filter((x) => !this.serveIfApplied(x));
    if (r.role === 'leader') inv.onLeader(this.id, r.term, r.log);
    this.maybeCompact();
  }

  private serveIfApplied(x: { index: number; key: string; reply: (r: SimReply) => void }): boolean {
    if (this.kv.applied < x.index) return false;
    x.reply({ kind: 'ok', value: this.kv.read(x.key) });
    return true;
  }

  private answerWrite(result: ApplyResult): void {
    const waiting = this.pendingWrites.get(result.requestId);
    if (!waiting) return;
    this.pendingWrites.delete(result.requestId);
    const reply: SimReply = result.ok ? { kind: 'ok', value: result.value } : { kind: 'fail', error: result.error };
    for (const w of waiting) w(reply);
  }

  private maybeCompact(): void {
    const applied = this.rn.raft.log.applied;
    if (applied - this.storage.firstIndex() + 1 < this.opts.compactEvery) return;
    if (applied > this.storage.lastIndex()) return;
    const snap = this.storage.createSnapshot(applied, this.kv.snapshot());
    this.storage.compact(applied);
    const write: DiskWrite = { compacted: snap };
    if (this.world.bugs.has('ack-before-persist')) this.writeLater(write);
    else this.writeDisk(write);
  }

  private writeLater(w: DiskWrite): void {
    const inc = this.incarnation;
    this.world.after(this.opts.flushDelay, () => {
      if (this.incarnation === inc) this.writeDisk(w);
    });
  }

  /** Applies a write to the simulated disk (an fsynced WAL append in the real node). */
  private writeDisk(w: DiskWrite): void {
    const d = this.disk;
    if ('compacted' in w) {
      if (!d.snapshot || w.compacted.metadata.index > d.snapshot.metadata.index) {
        d.snapshot = w.compacted;
        d.entries = d.entries.filter((e) => e.index > w.compacted.metadata.index);
      }
      return;
    }
    if (w.snapshot) {
      d.snapshot = w.snapshot;
      d.entries = [];
    }
    if (w.entries.length > 0) {
      const first = w.entries[0]!.index;
      const last = d.entries[d.entries.length - 1];
      if (last !== undefined && last.index === first - 1) {
        for (const e of w.entries) d.entries.push(e);
      } else {
        d.entries = d.entries.filter((e) => e.index < first).concat(w.entries);
      }
    }
    if (w.hardState) d.hardState = w.hardState;
  }
}
