/**
 * What the core reads of the durable log. The node persists each Ready's hard state, entries
 * and snapshot to its WAL (fsync when mustSync) and THEN appends them to a MemoryStorage; the
 * core only ever reads through this interface (storage.go in etcd raft).
 */
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from './errors.js';
import type { Entry, HardState, NodeId, Snapshot } from './types.js';

/** What a restarting node recovers: its hard state and the voter set. */
export interface InitialState {
  hardState: HardState;
  voters: NodeId[];
}

/**
 * The durable log as the core sees it. Contract: everything returned is durable; the core never
 * mutates returned arrays or entries; index 0 / a compacted prefix is represented by the
 * snapshot's (index, term), so term(firstIndex() - 1) is always answerable.
 */
export interface Storage {
  /** The saved hard state and voters. */
  initialState(): InitialState;
  /** Entries in [lo, hi), at most `maxEntries` of them; throws CompactedError / UnavailableError. */
  entries(lo: number, hi: number, maxEntries?: number): Entry[];
  /** The term of entry i, for i in [firstIndex()-1, lastIndex()]; throws outside. */
  term(i: number): number;
  /** The index of the first entry still held (snapshot index + 1). */
  firstIndex(): number;
  /** The index of the last entry held. */
  lastIndex(): number;
  /** The most recent snapshot. */
  snapshot(): Snapshot;
}

const EMPTY_HARD_STATE: HardState = { term: 0, vote: '', commit: 0 };

/**
 * An in-memory Storage: the node's view of its WAL, and the whole "disk" in tests. Like etcd's
 * MemoryStorage, ents[0] is a dummy entry standing for the snapshot's (index, term).
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot;
  private ents: Entry[];

  constructor(voters: NodeId[]) {
    this.snap = { metadata: { index: 0, term: 0, voters: [...voters] }, data: '' };
    this.ents = [{ term: 0, index: 0, type: 'noop', data: '' }];
  }

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, voters: [...this.snap.metadata.voters] };
  }

  /** Saves the hard state (after the node persisted it). */
  setHardState(hs: HardState): void {
    this.hardState = { ...hs };
  }

  private offset(): number {
    return this.ents[0]!.index;
  }

  entries(lo: number, hi: number, maxEntries = Infinity): Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    const end = Math.min(hi, lo + Math.max(1, maxEntries));
    return this.ents.slice(lo - offset, end - offset);
  }

  term(i: number): number {
    const offset = this.offset();
    if (i < offset) throw new CompactedError(i);
    if (i - offset >= this.ents.length) throw new UnavailableError(i);
    return this.ents[i - offset]!.term;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the log with a snapshot received from the leader (after the node persisted it). */
  applySnapshot(snap: Snapshot): void {
    if (snap.metadata.index <= this.snap.metadata.index) {
      throw new SnapshotOutOfDateError(snap.metadata.index, this.snap.metadata.index);
    }
    this.snap = snap;
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: 'noop', data: '' }];
  }

  /**
   * Records a snapshot of the state machine at applied index `index` (data from the KV layer).
   * Call compact(index) afterwards to drop the log prefix it covers.
   */
  createSnapshot(index: number, data: string, voters?: NodeId[]): Snapshot {
    if (index <= this.snap.metadata.index) throw new SnapshotOutOfDateError(index, this.snap.metadata.index);
    if (index > this.lastIndex()) throw new UnavailableError(index);
    this.snap = {
      metadata: { index, term: this.term(index), voters: [...(voters ?? this.snap.metadata.voters)] },
      data,
    };
    return this.snap;
  }

  /** Drops entries up to and including `index` (which must not exceed the applied index). */
  compact(index: number): void {
    const offset = this.offset();
    if (index <= offset) throw new CompactedError(index);
    if (index > this.lastIndex()) throw new UnavailableError(index);
    const i = index - offset;
    const dummy: Entry = { term: this.ents[i]!.term, index, type: 'noop', data: '' };
    this.ents = [dummy, ...this.ents.slice(i + 1)];
  }

  /**
   * Appends persisted entries; entries that overlap the held log replace it from their first
   * index on (a new leader's log wins over an uncommitted suffix).
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    let ents = entries;
    // Entries already compacted away are committed and identical: skip them.
    if (ents[0]!.index < first) ents = ents.slice(first - ents[0]!.index);
    if (ents.length === 0) return;
    const offset = ents[0]!.index - this.offset();
    if (offset > this.ents.length) {
      throw new UnavailableError(ents[0]!.index);
    }
    if (offset === this.ents.length) {
      // The common case, a plain append: extend in place (entries() hands out copies).
      for (const e of ents) this.ents.push(e);
      return;
    }
    this.ents = this.ents.slice(0, offset).concat(ents);
  }
}
