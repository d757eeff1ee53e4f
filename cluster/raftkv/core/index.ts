/**
 * The Raft core: a deterministic state machine in etcd raft's shape. Inputs are ticks, peer
 * messages, proposals and read requests; output is a Ready batch of hard state and entries to
 * persist, messages to send, committed entries to apply and reads now safe to serve. It touches
 * no clock, socket or file, so the node process and the simulator drive the same code. Start at
 * RawNode (raw-node.ts) and the README next to this file.
 */
export * from './types.js';
export { RawNode, type RawNodeConfig, type Status } from './raw-node.js';
export { Raft, type Config, type Logger } from './raft.js';
export { MemoryStorage, type Storage, type InitialState } from './storage.js';
export {
  NotLeaderError,
  ProposalDroppedError,
  CompactedError,
  UnavailableError,
  SnapshotOutOfDateError,
  RaftInvariantError,
} from './errors.js';
export { describeEntry, describeHardState, describeMessage, describeReady } from './describe.js';
export { quorumSize, committedIndex, voteResult, type VoteResult } from './quorum.js';
