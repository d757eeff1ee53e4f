/**
 * The Raft state machine (raft.go in etcd raft). step() settles terms, then hands the message
 * to the role's step function; tick() advances logical time through the role's tick function.
 * Output accumulates in `msgs` and `readStates` and is drained by RawNode into a Ready.
 * Nothing here touches a clock, socket or file: same inputs, same outputs.
 */
import { NotLeaderError, ProposalDroppedError, RaftInvariantError } from './errors.js';
import { RaftLog } from './log.js';
import { Progress } from './progress.js';
import { committedIndex, quorumSize, voteResult } from './quorum.js';
import { ReadOnly } from './read-only.js';
import type { Storage } from './storage.js';
import type {
  BugName,
  Entry,
  HardState,
  Message,
  MessageType,
  NodeId,
  ReadState,
  Role,
  Snapshot,
  SoftState,
} from './types.js';

/** Receives one line per notable event (role changes, rejected votes). */
export type Logger = (line: string) => void;

/** How to build a Raft node; see RawNode for the meaning of each field. */
export interface Config {
  /** This node's id. */
  id: NodeId;
  /** Every voter's id, including this node's. Ignored when storage already holds voters from a snapshot. */
  peers: NodeId[];
  /** The durable log; the node appends to it after persisting each Ready. */
  storage: Storage;
  /** Ticks without hearing from a leader before campaigning; randomized in [t, 2t). Default 10. */
  electionTick?: number;
  /** Ticks between leader heartbeats. Default 1. */
  heartbeatTick?: number;
  /** Run a pre-election first so a partitioned node does not disrupt the cluster (thesis §9.6). */
  preVote?: boolean;
  /** Leader steps down without hearing from a quorum for an election timeout; followers in contact with a leader refuse votes (thesis §6.2, §4.2.3). */
  checkQuorum?: boolean;
  /** Seedable uniform [0, 1) source for the randomized election timeout. */
  rng: () => number;
  /** Injected bugs; only the core's (vote-term-only, commit-old-term, leader-local-read) matter here. */
  bugs?: ReadonlySet<BugName>;
  logger?: Logger;
  /** Max unacknowledged MsgApp per follower in replicate state. Default 256. */
  maxInflight?: number;
  /** Max entries per MsgApp. Default 64. */
  maxEntriesPerMsg?: number;
  /** The last index the state machine applied before a restart (default: the snapshot index). */
  applied?: number;
}

type StepFn = (r: Raft, m: Message) => void;
type TickFn = (r: Raft) => void;

const NONE = '';

function voteRespType(t: MessageType): MessageType {
  if (t === 'MsgVote') return 'MsgVoteResp';
  if (t === 'MsgPreVote') return 'MsgPreVoteResp';
  throw new RaftInvariantError(`not a vote message: ${t}`);
}

/** A Raft peer. Drive it through RawNode; fields are public for tests and invariant checks. */
export class Raft {
  readonly id: NodeId;
  term = 0;
  vote: NodeId | '' = NONE;
  lead: NodeId | '' = NONE;
  role: Role = 'follower';
  readonly log: RaftLog;
  voters: NodeId[];
  readonly prs = new Map<NodeId, Progress>();
  votes = new Map<NodeId, boolean>();
  msgs: Message[] = [];
  readStates: ReadState[] = [];
  readOnly = new ReadOnly();
  /** ReadIndex requests that arrived before this leader committed an entry of its term. */
  pendingReadIndex: string[] = [];

  readonly electionTimeout: number;
  readonly heartbeatTimeout: number;
  randomizedElectionTimeout = 0;
  electionElapsed = 0;
  heartbeatElapsed = 0;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly bugs: ReadonlySet<BugName>;
  readonly maxInflight: number;
  readonly maxEntriesPerMsg: number;
  private readonly rng: () => number;
  private readonly logger: Logger;
  private stepFn: StepFn = stepFollower;
  private tickFn: TickFn = tickElection;

  constructor(c: Config) {
    this.id = c.id;
    this.log = new RaftLog(c.storage);
    const { hardState, voters } = c.storage.initialState();
    this.voters = voters.length > 0 ? [...voters] : [...c.peers];
    if (!this.voters.includes(this.id))
      throw new RaftInvariantError(`${this.id} is not among the voters ${this.voters.join(',')}`);
    this.electionTimeout = c.electionTick ?? 10;
    this.heartbeatTimeout = c.heartbeatTick ?? 1;
    if (this.heartbeatTimeout >= this.electionTimeout) {
      throw new RangeError(
        `heartbeatTick (${this.heartbeatTimeout}) must be less than electionTick (${this.electionTimeout})`,
      );
    }
    this.preVote = c.preVote ?? false;
    this.checkQuorum = c.checkQuorum ?? false;
    this.bugs = c.bugs ?? new Set();
    this.maxInflight = c.maxInflight ?? 256;
    this.maxEntriesPerMsg = c.maxEntriesPerMsg ?? 64;
    this.rng = c.rng;
    this.logger = c.logger ?? (() => undefined);
    if (hardState.term !== 0 || hardState.vote !== NONE || hardState.commit !== 0) this.loadState(hardState);
    if (c.applied !== undefined && c.applied > 0) this.log.appliedTo(c.applied);
    this.becomeFollower(this.term, NONE);
  }

  private loadState(hs: HardState): void {
    if (hs.commit < this.log.committed || hs.commit > this.log.lastIndex()) {
      throw new RaftInvariantError(
        `${this.id} hard state commit ${hs.commit} out of range [${this.log.committed}, ${this.log.lastIndex()}]`,
      );
    }
    this.log.committed = hs.commit;
    this.term = hs.term;
    this.vote = hs.vote;
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.log.committed };
  }

  softState(): SoftState {
    return { lead: this.lead, role: this.role };
  }

  private log1(line: string): void {
    this.logger(`${this.id} [term ${this.term}] ${line}`);
  }

  // ---------------------------------------------------------------- sending

  private send(m: Omit<Message, 'from'> & { from?: NodeId }): void {
    // Callers build a fresh object, so stamping it in place is safe (and cheaper than copying).
    const msg = m as Message;
    msg.from = this.id;
    // Vote requests and pre-vote responses carry their own (future) term; local messages none.
    if (
      msg.type !== 'MsgVote' &&
      msg.type !== 'MsgPreVote' &&
      msg.type !== 'MsgVoteResp' &&
      msg.type !== 'MsgPreVoteResp'
    ) {
      msg.term = this.term;
    }
    this.msgs.push(msg);
  }

  /**
   * Sends the entries `to` is missing, or a snapshot when they were compacted; returns whether a
   * message went out. With sendIfEmpty false an empty MsgApp is not sent.
   */
  sendAppend(to: NodeId, sendIfEmpty = true): boolean {
    const pr = this.prs.get(to)!;
    if (pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    const ents = this.log.entries(pr.next, this.maxEntriesPerMsg);
    if (ents !== undefined && ents.length === 0 && !sendIfEmpty) return false;
    if (prevTerm === undefined || ents === undefined) {
      // The entries were compacted: ship the snapshot instead (§7, InstallSnapshot).
      const snapshot = this.log.snapshot();
      if (snapshot.metadata.index === 0) throw new RaftInvariantError(`need a snapshot for ${to} but none exists`);
      this.send({ type: 'MsgSnap', to, term: this.term, snapshot });
      pr.becomeSnapshot(snapshot.metadata.index);
      return true;
    }
    this.send({
      type: 'MsgApp',
      to,
      term: this.term,
      index: prevIndex,
      logTerm: prevTerm,
      entries: ents,
      commit: this.log.committed,
    });
    if (ents.length > 0) {
      if (pr.state === 'replicate') {
        const last = ents[ents.length - 1]!.index;
        pr.next = last + 1;
        pr.inflights.push(last);
      } else if (pr.state === 'probe') {
        pr.probeSent = true;
      }
    } else if (pr.state === 'probe') {
      pr.probeSent = true;
    }
    return true;
  }

  /** Sends a heartbeat to `to`, carrying a commit index it is known to hold. */
  private sendHeartbeat(to: NodeId, ctx: string | undefined): void {
    const pr = this.prs.get(to)!;
    const commit = Math.min(pr.match, this.log.committed);
    const m: Message = { type: 'MsgHeartbeat', from: this.id, to, term: this.term, commit };
    if (ctx !== undefined) m.context = ctx;
    this.send(m);
  }

  bcastAppend(): void {
    for (const id of this.voters) if (id !== this.id) this.sendAppend(id);
  }

  bcastHeartbeat(ctx = this.readOnly.lastPendingRequestCtx()): void {
    for (const id of this.voters) if (id !== this.id) this.sendHeartbeat(id, ctx);
  }

  // ---------------------------------------------------------------- log

  /** Advances the commit index to what a quorum holds; returns whether it moved. */
  maybeCommit(): boolean {
    const mci = committedIndex(this.voters, (id) => this.prs.get(id)?.match ?? 0);
    // BUG commit-old-term: counting replicas commits entries of earlier terms too, which the Raft
    // paper §5.4.2 (figure 8) forbids: such an entry can still be overwritten by a later leader.
    return this.log.maybeCommit(mci, this.term, this.bugs.has('commit-old-term'));
  }

  /** Appends entries at the leader, stamping term and index; returns the index of the last one. */
  appendEntry(es: Array<Pick<Entry, 'type' | 'data'>>): number {
    let li = this.log.lastIndex();
    const ents: Entry[] = es.map((e) => ({ term: this.term, index: ++li, type: e.type, data: e.data }));
    li = this.log.append(ents);
    this.prs.get(this.id)!.maybeUpdate(li);
    this.maybeCommit();
    return li;
  }

  // ---------------------------------------------------------------- role changes

  private reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.votes = new Map();
    this.prs.clear();
    for (const id of this.voters) {
      const pr = new Progress(this.log.lastIndex() + 1, this.maxInflight);
      if (id === this.id) pr.match = this.log.lastIndex();
      this.prs.set(id, pr);
    }
    this.pendingReadIndex = [];
    this.readOnly = new ReadOnly();
  }

  private resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + Math.floor(this.rng() * this.electionTimeout);
  }

  becomeFollower(term: number, lead: NodeId | ''): void {
    this.stepFn = stepFollower;
    this.reset(term);
    this.tickFn = tickElection;
    this.lead = lead;
    this.role = 'follower';
    this.log1(`became follower (leader: ${lead || 'none'})`);
  }

  becomeCandidate(): void {
    if (this.role === 'leader') throw new RaftInvariantError('invalid transition [leader -> candidate]');
    this.stepFn = stepCandidate;
    this.reset(this.term + 1);
    this.tickFn = tickElection;
    this.vote = this.id;
    this.role = 'candidate';
    this.log1('became candidate');
  }

  becomePreCandidate(): void {
    if (this.role === 'leader') throw new RaftInvariantError('invalid transition [leader -> pre-candidate]');
    // A pre-candidate changes neither term nor vote: a lost pre-election leaves no trace.
    this.stepFn = stepCandidate;
    this.votes = new Map();
    this.tickFn = tickElection;
    this.lead = NONE;
    this.role = 'pre-candidate';
    this.log1('became pre-candidate');
  }

  becomeLeader(): void {
    if (this.role === 'follower') throw new RaftInvariantError('invalid transition [follower -> leader]');
    this.stepFn = stepLeader;
    this.reset(this.term);
    this.tickFn = tickHeartbeat;
    this.lead = this.id;
    this.role = 'leader';
    for (const [id, pr] of this.prs) if (id !== this.id) pr.recentActive = true;
    // A no-op of the new term lets the leader commit (and learn the commit index of) everything
    // before it, and is what ReadIndex waits for (§8).
    this.appendEntry([{ type: 'noop', data: '' }]);
    this.log1(`became leader at last index ${this.log.lastIndex()}`);
  }

  // ---------------------------------------------------------------- elections

  /** Starts an election (or pre-election) unless already leader. */
  hup(): void {
    if (this.role === 'leader') return;
    this.campaign(this.preVote ? 'pre' : 'election');
  }

  /** Runs a pre-election or an election: become (pre-)candidate, vote for self, ask the others. */
  campaign(kind: 'pre' | 'election'): void {
    let voteMsg: MessageType;
    let term: number;
    if (kind === 'pre') {
      this.becomePreCandidate();
      voteMsg = 'MsgPreVote';
      // Pre-votes ask for the term we would campaign with, without incrementing ours.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = 'MsgVote';
      term = this.term;
    }
    if (this.poll(this.id, voteRespType(voteMsg), true) === 'won') {
      if (kind === 'pre') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    for (const id of this.voters) {
      if (id === this.id) continue;
      this.send({ type: voteMsg, to: id, term, index: this.log.lastIndex(), logTerm: this.log.lastTerm() });
    }
  }

  /** Records a vote and tallies the election. */
  poll(id: NodeId, t: MessageType, granted: boolean): ReturnType<typeof voteResult> {
    if (!this.votes.has(id)) this.votes.set(id, granted);
    if (id !== this.id && !granted) this.log1(`got ${t} rejection from ${id}`);
    return voteResult(this.voters, this.votes);
  }

  // ---------------------------------------------------------------- step

  /**
   * Feeds one message in. Terms are settled here for every role (figure 2, "Rules for All
   * Servers"); the rest goes to the role's step function.
   */
  step(m: Message): void {
    if (m.term === 0) {
      // Local message: MsgHup, MsgBeat, MsgProp, MsgReadIndex.
    } else if (m.term > this.term) {
      if (m.type === 'MsgVote' || m.type === 'MsgPreVote') {
        // Leader lease for votes (thesis §4.2.3): while we heard from a leader within the
        // election timeout, a vote request is a disruption, not a sign the leader is gone.
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        if (inLease) {
          this.log1(`ignored ${m.type} from ${m.from} at term ${m.term}: lease not expired`);
          return;
        }
      }
      if (m.type === 'MsgPreVote') {
        // Never change our term on a pre-vote.
      } else if (m.type === 'MsgPreVoteResp' && !m.reject) {
        // A granted pre-vote carries the future term; it is counted, not adopted.
      } else {
        this.log1(`received ${m.type} from ${m.from} at higher term ${m.term}`);
        if (m.type === 'MsgApp' || m.type === 'MsgHeartbeat' || m.type === 'MsgSnap')
          this.becomeFollower(m.term, m.from);
        else this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'MsgHeartbeat' || m.type === 'MsgApp')) {
        // A stale leader cut off by CheckQuorum/PreVote would never learn the new term otherwise.
        this.send({ type: 'MsgAppResp', to: m.from, term: this.term });
      } else if (m.type === 'MsgPreVote') {
        this.send({ type: 'MsgPreVoteResp', to: m.from, term: this.term, reject: true });
      }
      return;
    }

    switch (m.type) {
      case 'MsgHup':
        this.hup();
        return;
      case 'MsgVote':
      case 'MsgPreVote': {
        const canVote =
          this.vote === m.from ||
          (this.vote === NONE && this.lead === NONE) ||
          (m.type === 'MsgPreVote' && m.term > this.term);
        // BUG vote-term-only: compares last log terms only, dropping the length tie-break of the
        // election restriction (§5.4.1), so a candidate missing committed entries can win.
        const upToDate = this.bugs.has('vote-term-only')
          ? (m.logTerm ?? 0) >= this.log.lastTerm()
          : this.log.isUpToDate(m.index ?? 0, m.logTerm ?? 0);
        if (canVote && upToDate) {
          // A granted pre-vote answers with the proposed term so the candidate counts it.
          this.send({ type: voteRespType(m.type), to: m.from, term: m.term });
          if (m.type === 'MsgVote') {
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.send({ type: voteRespType(m.type), to: m.from, term: this.term, reject: true });
        }
        return;
      }
      default:
        this.stepFn(this, m);
    }
  }

  /** Appends a proposal at the leader; returns its (index, term). Throws ProposalDroppedError elsewhere. */
  propose(data: string): { index: number; term: number } {
    if (this.role !== 'leader') throw new ProposalDroppedError(this.lead);
    const index = this.appendEntry([{ type: 'normal', data }]);
    this.bcastAppend();
    return { index, term: this.term };
  }

  /**
   * Starts a linearizable read (thesis §6.4): the read may be served once the state machine has
   * applied the commit index recorded now AND a heartbeat round confirmed leadership. Its
   * ReadState comes out in a later Ready. Throws NotLeaderError off the leader.
   */
  readIndex(ctx: string): void {
    if (this.role !== 'leader') throw new NotLeaderError(this.lead);
    // BUG leader-local-read: answers at once from the local commit index without confirming
    // leadership with a quorum, so a deposed leader serves stale reads (§8, thesis §6.4).
    if (this.bugs.has('leader-local-read')) {
      this.readStates.push({ index: this.log.committed, requestCtx: ctx });
      return;
    }
    // The commit index is only known to be current once an entry of this term committed (§8).
    if (this.log.term(this.log.committed) !== this.term) {
      this.pendingReadIndex.push(ctx);
      return;
    }
    this.startReadIndex(ctx);
  }

  private startReadIndex(ctx: string): void {
    if (quorumSize(this.voters) === 1) {
      this.readStates.push({ index: this.log.committed, requestCtx: ctx });
      return;
    }
    this.readOnly.addRequest(this.log.committed, ctx, this.id);
    this.readOnly.recvAck(this.id, ctx);
    this.bcastHeartbeat(ctx);
  }

  releasePendingReadIndex(): void {
    if (this.pendingReadIndex.length === 0) return;
    if (this.log.term(this.log.committed) !== this.term) return;
    const pending = this.pendingReadIndex;
    this.pendingReadIndex = [];
    for (const ctx of pending) this.startReadIndex(ctx);
  }

  tick(): void {
    this.tickFn(this);
  }

  // ---------------------------------------------------------------- follower handlers

  handleAppendEntries(m: Message): void {
    const index = m.index ?? 0;
    if (index < this.log.committed) {
      // Entries up to our commit index are settled, so a leader's copies must match them (Log
      // Matching). One that differs means an entry committed here was overwritten: stop, rather
      // than answer "I have them" to a leader whose log differs and leave it probing forever.
      for (const e of m.entries ?? []) {
        if (e.index > this.log.committed) break;
        const ours = this.log.term(e.index);
        if (ours !== undefined && ours !== e.term) {
          throw new RaftInvariantError(
            `entry ${e.index} of term ${e.term} from ${m.from} conflicts with committed entry of term ${ours} (committed ${this.log.committed})`,
          );
        }
      }
      this.send({ type: 'MsgAppResp', to: m.from, index: this.log.committed, term: this.term });
      return;
    }
    const lastNew = this.log.maybeAppend(index, m.logTerm ?? 0, m.commit ?? 0, m.entries ?? []);
    if (lastNew !== undefined) {
      this.send({ type: 'MsgAppResp', to: m.from, index: lastNew, term: this.term });
      return;
    }
    // Consistency check failed (§5.3). Hint the leader at the last index whose term is <= the
    // term it sent, so it skips a whole conflicting term per round trip.
    const hintIndex = this.log.findConflictByTerm(Math.min(index, this.log.lastIndex()), m.logTerm ?? 0);
    const hintTerm = this.log.term(hintIndex) ?? 0;
    this.send({
      type: 'MsgAppResp',
      to: m.from,
      term: this.term,
      index,
      reject: true,
      rejectHint: hintIndex,
      logTerm: hintTerm,
    });
  }

  handleHeartbeat(m: Message): void {
    this.log.commitTo(Math.min(m.commit ?? 0, this.log.lastIndex()));
    const resp: Message = { type: 'MsgHeartbeatResp', from: this.id, to: m.from, term: this.term };
    if (m.context !== undefined) resp.context = m.context;
    this.send(resp);
  }

  handleSnapshot(m: Message): void {
    const s = m.snapshot!;
    if (this.restore(s)) {
      this.log1(`restored snapshot at index ${s.metadata.index} term ${s.metadata.term}`);
      this.send({ type: 'MsgAppResp', to: m.from, index: this.log.lastIndex(), term: this.term });
    } else {
      this.send({ type: 'MsgAppResp', to: m.from, index: this.log.committed, term: this.term });
    }
  }

  private restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.log.committed) return false;
    if (this.role !== 'follower') throw new RaftInvariantError(`${this.role} got a snapshot`);
    if (this.log.matchTerm(s.metadata.index, s.metadata.term)) {
      // We already hold the entry the snapshot ends at: just learn that it is committed.
      this.log.commitTo(s.metadata.index);
      return false;
    }
    this.log.restore(s);
    this.voters = [...s.metadata.voters];
    return true;
  }

  /** Whether a quorum was heard from since the last check; resets the marks. */
  private quorumActive(): boolean {
    let active = 0;
    for (const [id, pr] of this.prs) {
      if (id === this.id || pr.recentActive) active++;
      if (id !== this.id) pr.recentActive = false;
    }
    return active >= quorumSize(this.voters);
  }

  checkQuorumNow(): void {
    if (!this.quorumActive()) {
      this.log1('stepped down: no quorum heard within an election timeout');
      this.becomeFollower(this.term, NONE);
    }
  }
}

// ---------------------------------------------------------------- tick functions

function tickElection(r: Raft): void {
  r.electionElapsed++;
  if (r.electionElapsed >= r.randomizedElectionTimeout) {
    r.electionElapsed = 0;
    r.step({ type: 'MsgHup', from: r.id, to: r.id, term: 0 });
  }
}

function tickHeartbeat(r: Raft): void {
  r.heartbeatElapsed++;
  r.electionElapsed++;
  if (r.electionElapsed >= r.electionTimeout) {
    r.electionElapsed = 0;
    if (r.checkQuorum) r.checkQuorumNow();
  }
  if (r.role !== 'leader') return;
  if (r.heartbeatElapsed >= r.heartbeatTimeout) {
    r.heartbeatElapsed = 0;
    r.step({ type: 'MsgBeat', from: r.id, to: r.id, term: 0 });
  }
}

// ---------------------------------------------------------------- step functions

function stepLeader(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgBeat':
      r.bcastHeartbeat();
      return;
    case 'MsgProp':
      for (const e of m.entries ?? []) r.propose(e.data);
      return;
    case 'MsgReadIndex':
      r.readIndex(m.context ?? '');
      return;
  }
  const pr = r.prs.get(m.from);
  if (!pr) return;
  switch (m.type) {
    case 'MsgAppResp': {
      pr.recentActive = true;
      if (m.reject) {
        let nextProbe = m.rejectHint ?? 0;
        if ((m.logTerm ?? 0) > 0) nextProbe = r.log.findConflictByTerm(nextProbe, m.logTerm ?? 0);
        if (pr.maybeDecrTo(m.index ?? 0, nextProbe)) {
          if (pr.state === 'replicate') pr.becomeProbe();
          r.sendAppend(m.from);
        }
        return;
      }
      const oldPaused = pr.isPaused();
      // A probe answered at the known match also proves the follower's position: start streaming.
      if (pr.maybeUpdate(m.index ?? 0) || (pr.match === m.index && pr.state === 'probe')) {
        if (pr.state === 'probe') pr.becomeReplicate();
        else if (pr.state === 'snapshot' && pr.match >= pr.pendingSnapshot) pr.becomeProbe();
        else if (pr.state === 'replicate') pr.freeLE(m.index ?? 0);
        if (r.maybeCommit()) {
          r.releasePendingReadIndex();
          r.bcastAppend();
        } else if (oldPaused) {
          r.sendAppend(m.from);
        }
        // Keep streaming while there is more to send and room in flight.
        while (r.sendAppend(m.from, false)) {
          /* each call sends one batch */
        }
      }
      return;
    }
    case 'MsgHeartbeatResp': {
      pr.recentActive = true;
      pr.probeSent = false;
      // A lost snapshot would leave the follower parked in snapshot state: retry via probe.
      if (pr.state === 'snapshot') pr.becomeProbe();
      if (pr.state === 'replicate' && pr.inflights.length >= pr.maxInflight) pr.freeFirstOne();
      if (pr.match < r.log.lastIndex()) r.sendAppend(m.from);
      if (m.context === undefined) return;
      const acks = r.readOnly.recvAck(m.from, m.context);
      if (!acks || acks.size < quorumSize(r.voters)) return;
      for (const rs of r.readOnly.advance(m.context)) r.readStates.push({ index: rs.index, requestCtx: rs.ctx });
      return;
    }
  }
}

function stepCandidate(r: Raft, m: Message): void {
  const myVoteResp: MessageType = r.role === 'pre-candidate' ? 'MsgPreVoteResp' : 'MsgVoteResp';
  switch (m.type) {
    case 'MsgProp':
      throw new ProposalDroppedError(NONE);
    case 'MsgReadIndex':
      throw new NotLeaderError(NONE);
    case 'MsgApp':
      r.becomeFollower(m.term, m.from);
      r.handleAppendEntries(m);
      return;
    case 'MsgHeartbeat':
      r.becomeFollower(m.term, m.from);
      r.handleHeartbeat(m);
      return;
    case 'MsgSnap':
      r.becomeFollower(m.term, m.from);
      r.handleSnapshot(m);
      return;
    case myVoteResp: {
      const res = r.poll(m.from, m.type, !m.reject);
      if (res === 'won') {
        if (r.role === 'pre-candidate') r.campaign('election');
        else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (res === 'lost') {
        // A rejection with a higher term already made us follower in step().
        r.becomeFollower(r.term, NONE);
      }
      return;
    }
    default:
      return;
  }
}

function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case 'MsgProp':
      throw new ProposalDroppedError(r.lead);
    case 'MsgReadIndex':
      throw new NotLeaderError(r.lead);
    case 'MsgApp':
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleAppendEntries(m);
      return;
    case 'MsgHeartbeat':
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleHeartbeat(m);
      return;
    case 'MsgSnap':
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleSnapshot(m);
      return;
    default:
      return;
  }
}
