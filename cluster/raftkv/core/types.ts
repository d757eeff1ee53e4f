/**
 * The data the Raft core consumes and produces. The core is a pure, deterministic state
 * machine in the shape of etcd's raft library: messages, ticks, proposals and read requests
 * go in; a Ready batch of "persist these, send these, apply these" comes out. No clock,
 * socket or file is touched inside the core; the node process (or the simulator) does all
 * I/O at the edge.
 *
 * This file is the contract between the core (cluster/raftkv/core), the node process
 * (cluster/raftkv/node) and the simulator (cluster/raftkv/sim). Extend it compatibly.
 */

/** A node id, e.g. "n1". */
export type NodeId = string;

export type EntryType = 'normal' | 'noop';

/** One log entry. `data` is opaque to the core (the KV layer stores a JSON command in it). */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: string;
}

/** What must be durable before any message that depends on it is sent (Raft paper, figure 2). */
export interface HardState {
  term: number;
  vote: NodeId | '';
  commit: number;
}

export interface SnapshotMetadata {
  index: number;
  term: number;
  voters: NodeId[];
}

/** A state-machine snapshot; `data` is opaque to the core (the KV layer serializes its map into it). */
export interface Snapshot {
  metadata: SnapshotMetadata;
  data: string;
}

export type MessageType =
  | 'MsgHup' // local: start an election now
  | 'MsgBeat' // local: leader should broadcast heartbeats
  | 'MsgProp' // a proposal (forwarded or local)
  | 'MsgApp'
  | 'MsgAppResp'
  | 'MsgVote'
  | 'MsgVoteResp'
  | 'MsgPreVote'
  | 'MsgPreVoteResp'
  | 'MsgSnap'
  | 'MsgHeartbeat'
  | 'MsgHeartbeatResp'
  | 'MsgReadIndex'
  | 'MsgReadIndexResp'
  | 'MsgTimeoutNow';

/**
 * A message between peers. Plain JSON-serializable data: the node sends it over the wire as is.
 * Fields not used by a message type are left out.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  term: number;
  /** MsgApp: term of the entry before `entries`; votes: the candidate's last log term. */
  logTerm?: number;
  /** MsgApp: index of the entry before `entries`; votes: the candidate's last log index; resps: the match/reject index. */
  index?: number;
  entries?: Entry[];
  commit?: number;
  reject?: boolean;
  /** MsgAppResp reject: the follower's hint for fast back-off (conflict index; term in logTerm). */
  rejectHint?: number;
  snapshot?: Snapshot;
  /** ReadIndex / heartbeat context (opaque request id). */
  context?: string;
}

/** A read request that is now safe to serve once the state machine has applied `index`. */
export interface ReadState {
  index: number;
  requestCtx: string;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

export interface SoftState {
  lead: NodeId | '';
  role: Role;
}

/**
 * One batch of work for the node, in the order it must be done:
 *   1. persist `hardState`, `entries` and `snapshot` (fsync when `mustSync`),
 *   2. then send `messages` (a message may promise what was just persisted, e.g. a vote),
 *   3. apply `snapshot`, then `committedEntries`, to the state machine,
 *   4. serve each of `readStates` once applied >= its index,
 *   5. call advance().
 * Nothing in a Ready may be acted on before the steps above it are durable.
 */
export interface Ready {
  softState?: SoftState;
  hardState?: HardState;
  entries: Entry[];
  snapshot?: Snapshot;
  committedEntries: Entry[];
  messages: Message[];
  readStates: ReadState[];
  mustSync: boolean;
}

/**
 * Injectable bugs the core knows about; each breaks one Raft rule at one line when switched on.
 * `stale-read`, `ack-before-persist` and `lease-no-margin` live in the node/simulator edge.
 */
export type CoreBug = 'vote-term-only' | 'commit-old-term' | 'leader-local-read';

export type BugName = CoreBug | 'stale-read' | 'ack-before-persist' | 'lease-no-margin';

export const BUG_NAMES: readonly BugName[] = [
  'vote-term-only',
  'commit-old-term',
  'stale-read',
  'leader-local-read',
  'ack-before-persist',
  'lease-no-margin',
];
