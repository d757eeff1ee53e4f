/**
 * Typed errors the core throws at its API edge. The node maps them to client answers: a
 * not-leader error means the operation definitely did not happen (the client records `fail`
 * and may retry at `lead`).
 */
import type { NodeId } from './types.js';

/** Thrown when a request needs the leader and this node is not it; `lead` is the leader it knows of, or ''. */
export class NotLeaderError extends Error {
  readonly code: string = 'not-leader';
  constructor(
    readonly lead: NodeId | '',
    message = `not the leader (leader: ${lead || 'unknown'})`,
  ) {
    super(message);
    this.name = 'NotLeaderError';
  }
}

/**
 * Thrown by propose() when the proposal was not appended to any log (this node is not the
 * leader), so it definitely will not be applied. Carries the known leader for a retry there.
 */
export class ProposalDroppedError extends NotLeaderError {
  override readonly code = 'proposal-dropped';
  constructor(lead: NodeId | '') {
    super(lead, `proposal dropped: not the leader (leader: ${lead || 'unknown'})`);
    this.name = 'ProposalDroppedError';
  }
}

/** Thrown by storage when the requested index was compacted into a snapshot. */
export class CompactedError extends Error {
  constructor(index: number) {
    super(`index ${index} is compacted`);
    this.name = 'CompactedError';
  }
}

/** Thrown by storage when the requested index is beyond its last entry. */
export class UnavailableError extends Error {
  constructor(index: number) {
    super(`index ${index} is unavailable`);
    this.name = 'UnavailableError';
  }
}

/** Thrown by MemoryStorage.applySnapshot / createSnapshot for a snapshot older than the one held. */
export class SnapshotOutOfDateError extends Error {
  constructor(index: number, held: number) {
    super(`snapshot at ${index} is older than the held snapshot at ${held}`);
    this.name = 'SnapshotOutOfDateError';
  }
}

/** Thrown when the core meets a state that Raft's invariants rule out (etcd panics here). */
export class RaftInvariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftInvariantError';
  }
}
