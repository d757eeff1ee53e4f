/**
 * The raftkv node's Ready loop, as etcd's node.go run: it recovers from the WAL, feeds the Raft
 * core from a tick timer and the peer transport, and handles each Ready in order (persist with
 * fsync, send, apply, serve reads, advance). The client operations are its KV service
 * (kv-service.ts), which it calls as entries apply and read states arrive.
 */
import type { Server } from 'node:http';
import {
  MemoryStorage,
  RawNode,
  type BugName,
  type CoreBug,
  type Entry,
  type Message,
  type NodeId,
  type Ready,
  type Role,
} from '../core/index.js';
import { KvStateMachine } from '../kv/index.js';
import type { NodeArgs } from './args.js';
import { startHttpApi, type KvService, type NodeStatus } from './http-api.js';
import { RaftKvService } from './kv-service.js';
import { LeaseTracker } from './lease.js';
import { writeSnapshotFile } from './snapshot-file.js';
import { Transport } from './transport.js';
import { Wal } from './wal.js';
import type { WalRecord } from './wal-record.js';

const CORE_BUGS: readonly CoreBug[] = ['vote-term-only', 'commit-old-term', 'leader-local-read'];
/** Entries kept in memory behind a snapshot so a slightly lagging follower catches up without one. */
const CATCH_UP_ENTRIES = 1000;
/** How long the ack-before-persist bug delays the WAL write it skipped. */
const LATE_PERSIST_MS = 2000;

/**
 * One raftkv server process: feeds the Raft core from timers, peer sockets and client requests,
 * and handles each Ready in order (WAL append + fsync, send, apply, serve reads, advance), as
 * etcd's node.go run loop does. All I/O of the node lives here and in its helpers.
 */
export class RaftKvNode {
  private raw!: RawNode;
  private storage!: MemoryStorage;
  private wal!: Wal;
  private readonly sm = new KvStateMachine();
  private transport!: Transport;
  private http: Server | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private readonly bugs: ReadonlySet<BugName>;
  private readonly clientAddrs = new Map<NodeId, string>();
  private readonly lease: LeaseTracker;
  private kv!: RaftKvService;
  private role: Role = 'follower';
  private applied = 0;
  private snapshotIndex = 0;
  private processing = false;
  private scheduled = false;
  private started = false;
  private stopped = false;
  /** Term of the last applied entry: lease reads need an applied entry of the leader's own term. */
  private appliedTerm = 0;
  /**
   * Last log index known durable in the WAL. Committed entries are never overwritten, so a
   * committed entry at or below it is the one on disk.
   */
  private durableIndex = 0;

  constructor(private readonly args: NodeArgs) {
    this.bugs = new Set(args.bugs);
    const selfHost = args.peers.get(args.id)!.host;
    this.clientAddrs.set(args.id, `${selfHost}:${args.clientPort}`);
    for (const [id, addr] of args.clientAddrs) this.clientAddrs.set(id, addr);
    this.lease = new LeaseTracker(args.id, [...args.peers.keys()], args.electionTicks * args.tickMs);
  }

  private log(line: string): void {
    process.stderr.write(`${new Date().toISOString()} ${this.args.id} ${line}\n`);
  }

  /** Recovers from the data directory, then starts the peer listener, the client API and the tick timer. */
  async start(): Promise<void> {
    const { wal, state } = await Wal.open(this.args.dataDir);
    this.wal = wal;
    if (state.truncatedBytes > 0)
      this.log(`wal: truncated a torn tail of ${state.truncatedBytes} bytes (${state.tornReason})`);
    const voters = [...this.args.peers.keys()];
    this.storage = new MemoryStorage(voters);
    if (state.snapshot) {
      this.storage.applySnapshot(state.snapshot);
      this.sm.restore(state.snapshot.data);
      this.applied = state.snapshot.metadata.index;
      this.snapshotIndex = this.applied;
    }
    this.storage.append(state.entries);
    this.durableIndex = this.storage.lastIndex();
    // A snapshot is committed by definition, and commit cannot point past the log. Only a node
    // that ran with ack-before-persist can leave a WAL that breaks this; repair it rather than
    // crash-looping (the lost entries are exactly what that bug is meant to lose).
    const hs = { ...state.hardState };
    const lastIndex = this.storage.lastIndex();
    if (hs.commit < this.snapshotIndex || hs.commit > lastIndex) {
      const fixed = Math.min(Math.max(hs.commit, this.snapshotIndex), lastIndex);
      this.log(`wal: hard state commit ${hs.commit} outside [${this.snapshotIndex}, ${lastIndex}], using ${fixed}`);
      hs.commit = fixed;
    }
    this.storage.setHardState(hs);
    this.log(
      `recovered term=${state.hardState.term} vote=${state.hardState.vote || '-'} commit=${state.hardState.commit} ` +
        `snapshot=${this.snapshotIndex} entries=${state.entries.length}`,
    );
    const coreBugs = new Set<BugName>(this.args.bugs.filter((b) => (CORE_BUGS as readonly string[]).includes(b)));
    this.raw = new RawNode({
      id: this.args.id,
      peers: voters,
      storage: this.storage,
      electionTick: this.args.electionTicks,
      heartbeatTick: this.args.heartbeatTicks,
      preVote: true,
      checkQuorum: true,
      rng: Math.random,
      bugs: coreBugs,
      logger: (l) => this.log(l),
      applied: this.applied,
      maxInflight: this.args.maxInflightMsgs,
      maxEntriesPerMsg: this.args.maxEntriesPerMsg,
    });
    this.kv = new RaftKvService({
      id: this.args.id,
      clientAddrs: this.clientAddrs,
      bugs: this.bugs,
      lease: this.lease,
      sm: this.sm,
      core: this.raw,
      appliedTerm: () => this.appliedTerm,
      schedule: () => this.schedule(),
    });
    this.transport = new Transport({
      id: this.args.id,
      peers: this.args.peers,
      listenHost: this.args.listenHost,
      clientAddr: this.clientAddrs.get(this.args.id)!,
      onMessages: (msgs) => this.onPeerMessages(msgs),
      onHello: (id, addr) => {
        if (!this.args.clientAddrs.has(id)) this.clientAddrs.set(id, addr);
      },
      log: (l) => this.log(l),
    });
    await this.transport.start();
    const kv = this.kv;
    const api: KvService = {
      get: (key) => kv.get(key),
      put: (key, value, requestId) => kv.put(key, value, requestId),
      cas: (key, expected, next, requestId) => kv.cas(key, expected, next, requestId),
      status: () => this.status(),
      serving: () => this.serving(),
    };
    this.http = await startHttpApi(api, this.args.id, this.args.listenHost, this.args.clientPort);
    this.tickTimer = setInterval(() => {
      this.raw.tick();
      this.schedule();
    }, this.args.tickMs);
    this.started = true;
    this.log(
      `serving: peers on ${this.args.listenHost}:${this.args.peers.get(this.args.id)!.port}, clients on port ${this.args.clientPort}, bugs=[${[...this.bugs].join(',')}]`,
    );
    this.schedule();
  }

  /** Stops timers and listeners (a clean shutdown; SIGKILL skips this, which recovery handles). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.transport?.close();
    this.http?.close();
    this.http?.closeAllConnections();
    await this.wal?.close();
  }

  /** True once recovered and listening, until stopped. */
  serving(): boolean {
    return this.started && !this.stopped;
  }

  /** The node's GET /status body. */
  status(): NodeStatus {
    const s = this.raw.status();
    return {
      id: s.id,
      term: s.term,
      lead: s.lead || null,
      role: s.role,
      commit: s.commit,
      applied: this.applied,
      leaderAddr: s.lead ? (this.clientAddrs.get(s.lead) ?? null) : null,
      lastIndex: s.lastIndex,
      snapshotIndex: this.snapshotIndex,
      walBytes: this.wal.bytes,
      walSyncs: this.wal.syncs,
      droppedFrames: this.transport.dropped,
      bugs: [...this.bugs],
    };
  }

  // ------------------------------------------------------------------ the loop

  private onPeerMessages(msgs: Message[]): void {
    if (this.stopped) return;
    const now = Date.now();
    const leaseBug = this.bugs.has('lease-no-margin');
    for (const m of msgs) {
      if (leaseBug && (m.type === 'MsgAppResp' || m.type === 'MsgHeartbeatResp') && m.reject !== true) {
        // Only answers to this node as leader of its current term earn a lease.
        const st = this.raw.status();
        if (st.role === 'leader' && m.term === st.term) this.lease.recordAck(m.from, m.term, now);
      }
      try {
        this.raw.step(m);
      } catch (e) {
        this.log(`step ${m.type} from ${m.from} failed: ${(e as Error).message}`);
        if ((e as Error).name === 'RaftInvariantError') this.fatal(e as Error);
      }
    }
    this.schedule();
  }

  /** Runs the Ready loop soon, once, after the current burst of events has been stepped in. */
  private schedule(): void {
    if (this.scheduled || this.processing || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.processReadys();
    });
  }

  private async processReadys(): Promise<void> {
    if (this.processing || this.stopped) return;
    this.processing = true;
    try {
      while (!this.stopped && (this.kv.flushReadBatch(), this.raw.hasReady())) {
        const rd = this.raw.ready();
        await this.handleReady(rd);
        this.raw.advance(rd);
        this.maybeSnapshot();
      }
    } catch (e) {
      this.fatal(e as Error);
    } finally {
      this.processing = false;
    }
  }

  private async handleReady(rd: Ready): Promise<void> {
    if (rd.softState) {
      const was = this.role;
      this.role = rd.softState.role;
      if (was === 'leader' && this.role !== 'leader') this.kv.failPendingOnLeaderLoss();
      if (was !== this.role) this.log(`role ${was} -> ${this.role} (lead ${rd.softState.lead || '-'})`);
    }
    // 1. Persist: the snapshot file first (its WAL record must never lack its file), then the
    //    records, fsynced (group-committed with any other Ready in flight) before anything below.
    const records: WalRecord[] = [];
    if (rd.snapshot) records.push({ type: 'snapshot', metadata: rd.snapshot.metadata });
    if (rd.entries.length > 0) records.push({ type: 'entries', entries: rd.entries });
    if (rd.hardState) records.push({ type: 'hardState', hardState: rd.hardState });
    // A leader may send its MsgApp in parallel with its own fsync (Raft thesis §10.2.1, as etcd's
    // raft node does): followers persist before they acknowledge, and nothing from this Ready is
    // applied or answered before the leader's own write below is durable. Any other role must
    // persist first, because its messages (votes, acks) promise what it just wrote.
    const sendEarly = this.role === 'leader' && rd.messages.length > 0;
    if (sendEarly) this.transport.send(rd.messages);
    let committed = rd.committedEntries;
    if (records.length > 0) {
      const persist = async (): Promise<void> => {
        if (rd.snapshot) writeSnapshotFile(this.args.dataDir, rd.snapshot);
        await this.wal.append(records);
      };
      if (this.bugs.has('ack-before-persist')) {
        // BUG ack-before-persist: messages (votes, MsgAppResp acks) go out and entries are applied
        // before the WAL write; it happens two seconds later and is lost on SIGKILL. Raft paper
        // figure 2 requires persistent state to be on stable storage before responding to RPCs.
        setTimeout(() => void persist().catch((e: Error) => this.fatal(e)), LATE_PERSIST_MS);
      } else if (rd.mustSync || rd.snapshot) {
        const written = persist();
        if (!rd.snapshot) {
          // Committed entries already on our disk (from earlier Readys) are applied, and their
          // clients answered, while this Ready's fsync runs, as etcd's server applies in
          // parallel with its WAL write. Entries persisted by this very Ready wait for it.
          // (An entry this Ready overwrites is not "on disk" even if its index is below durableIndex.)
          const onDisk = Math.min(this.durableIndex, (rd.entries[0]?.index ?? Infinity) - 1);
          const early = committed.filter((e) => e.index <= onDisk);
          committed = committed.slice(early.length);
          for (const e of early) this.applyEntry(e);
          // Reads wait only for the apply index, not for this Ready's own writes.
          this.kv.noteReadStates(rd.readStates);
          this.kv.serveReads(this.applied);
        }
        await written;
      } else {
        // Only the commit index moved: it is recoverable, so it rides along with the next fsync
        // instead of costing one of its own (etcd does not sync for it either).
        this.wal.appendLazy(records);
      }
    }
    if (rd.snapshot) this.durableIndex = rd.snapshot.metadata.index;
    if (rd.entries.length > 0) this.durableIndex = rd.entries[rd.entries.length - 1]!.index;
    if (rd.snapshot) this.storage.applySnapshot(rd.snapshot);
    if (rd.entries.length > 0) this.storage.append(rd.entries);
    if (rd.hardState) this.storage.setHardState(rd.hardState);
    // 2. Send.
    if (!sendEarly && rd.messages.length > 0) this.transport.send(rd.messages);
    // 3. Apply.
    if (rd.snapshot && rd.snapshot.metadata.index > this.applied) {
      this.sm.restore(rd.snapshot.data);
      this.applied = rd.snapshot.metadata.index;
      this.snapshotIndex = this.applied;
      this.appliedTerm = rd.snapshot.metadata.term;
    }
    for (const e of committed) this.applyEntry(e);
    // 4. Serve reads whose index is applied.
    this.kv.noteReadStates(rd.readStates);
    this.kv.serveReads(this.applied);
  }

  private applyEntry(e: Entry): void {
    if (e.index <= this.applied) return;
    const result = this.sm.apply(e);
    this.applied = e.index;
    this.appliedTerm = e.term;
    if (result) this.kv.answerWrite(result);
  }

  /** Every snapshotEntries applied entries: snapshot the state machine, compact the WAL and the in-memory log. */
  private maybeSnapshot(): void {
    if (this.applied - this.snapshotIndex < this.args.snapshotEntries) return;
    const index = this.applied;
    const snap = this.storage.createSnapshot(index, this.sm.snapshot());
    writeSnapshotFile(this.args.dataDir, snap);
    this.snapshotIndex = index;
    this.wal.compact(snap.metadata).catch((e: Error) => this.fatal(e));
    const keepFrom = index - Math.min(CATCH_UP_ENTRIES, this.args.snapshotEntries);
    if (keepFrom >= this.storage.firstIndex()) this.storage.compact(keepFrom);
    this.log(`snapshot at ${index}; wal compacted`);
  }

  private fatal(e: Error): void {
    this.log(`fatal: ${e.stack ?? e.message}`);
    // Exit without flushing anything: the WAL on disk is the only truth, as after SIGKILL.
    process.exit(1);
  }
}
