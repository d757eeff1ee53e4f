/**
 * The Raft log as the core sees it: durable entries in Storage plus the unstable tail, with
 * the committed and applied cursors, the AppendEntries matching check and conflict search
 * (log.go in etcd raft). Invariant: applied <= committed <= lastIndex.
 */
import { CompactedError, RaftInvariantError, UnavailableError } from './errors.js';
import { Unstable } from './log-unstable.js';
import type { Storage } from './storage.js';
import type { Entry, Snapshot } from './types.js';

/** The log: storage + unstable + commit/apply cursors. */
export class RaftLog {
  readonly unstable: Unstable;
  committed: number;
  applied: number;

  constructor(readonly storage: Storage) {
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    // Everything up to the snapshot is committed and applied by definition.
    this.committed = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** The term of entry i, or undefined when it was compacted or does not exist yet. */
  term(i: number): number | undefined {
    const dummy = this.firstIndex() - 1;
    if (i < dummy || i > this.lastIndex()) return undefined;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    try {
      return this.storage.term(i);
    } catch (err) {
      if (err instanceof CompactedError || err instanceof UnavailableError) return undefined;
      throw err;
    }
  }

  lastTerm(): number {
    const t = this.term(this.lastIndex());
    if (t === undefined) throw new RaftInvariantError(`no term for last index ${this.lastIndex()}`);
    return t;
  }

  /** Whether entry i exists with term t. */
  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t;
  }

  /**
   * Whether a log ending at (lasti, term) is at least as up-to-date as ours (Raft paper §5.4.1):
   * a later last term wins; with equal last terms the longer log wins.
   */
  isUpToDate(lasti: number, term: number): boolean {
    const ourTerm = this.lastTerm();
    return term > ourTerm || (term === ourTerm && lasti >= this.lastIndex());
  }

  /**
   * Appends `ents` after (index, logTerm) when our log holds that entry (the AppendEntries
   * consistency check, §5.3), truncating any conflicting suffix; returns the new last index, or
   * undefined when the check fails.
   */
  maybeAppend(index: number, logTerm: number, committed: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(index, logTerm)) return undefined;
    const lastNew = index + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      if (ci <= this.committed) {
        throw new RaftInvariantError(`entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      }
      this.append(ents.slice(ci - (index + 1)));
    }
    this.commitTo(Math.min(committed, lastNew));
    return lastNew;
  }

  /** Appends entries to the unstable tail; returns the new last index. */
  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    if (after < this.committed) {
      throw new RaftInvariantError(`append after ${after} is out of range (committed ${this.committed})`);
    }
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /**
   * The index of the first entry of `ents` that is missing or has a different term in our log,
   * or 0 when all of them are already here.
   */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * Going down from `index`, the first index whose term is <= `term`: the fast back-off of a
   * rejected AppendEntries (§5.3, "the follower can include the term of the conflicting entry").
   */
  findConflictByTerm(index: number, term: number): number {
    for (let i = index; i > 0; i--) {
      const t = this.term(i);
      if (t === undefined) return i;
      if (t <= term) return i;
    }
    return 0;
  }

  /** Entries not yet persisted. */
  unstableEntries(): Entry[] {
    return [...this.unstable.entries];
  }

  /** Committed entries not yet applied. */
  nextEnts(): Entry[] {
    const off = Math.max(this.applied + 1, this.firstIndex());
    if (this.committed + 1 > off) return this.slice(off, this.committed + 1) ?? [];
    return [];
  }

  hasNextEnts(): boolean {
    return this.committed + 1 > Math.max(this.applied + 1, this.firstIndex());
  }

  /** The latest snapshot: the unstable one when held, else storage's. */
  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }

  /** Moves the commit cursor forward (never back). */
  commitTo(toCommit: number): void {
    if (this.committed < toCommit) {
      if (this.lastIndex() < toCommit) {
        throw new RaftInvariantError(`commit ${toCommit} is out of range (last ${this.lastIndex()})`);
      }
      this.committed = toCommit;
    }
  }

  appliedTo(i: number): void {
    if (i === 0) return;
    if (this.committed < i || i < this.applied) {
      throw new RaftInvariantError(`applied ${i} out of range [${this.applied}, ${this.committed}]`);
    }
    this.applied = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  /**
   * Commits maxIndex when it carries `term` (§5.4.2: only entries of the leader's current term
   * are committed by counting replicas). `anyTerm` is the commit-old-term bug's hook.
   */
  maybeCommit(maxIndex: number, term: number, anyTerm = false): boolean {
    if (maxIndex > this.committed && (anyTerm || this.term(maxIndex) === term)) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  /** Replaces the log with a snapshot. */
  restore(s: Snapshot): void {
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /** Entries in [lo, hi), at most maxEntries; undefined when lo was compacted. */
  slice(lo: number, hi: number, maxEntries = Infinity): Entry[] | undefined {
    if (lo === hi) return [];
    if (lo < this.firstIndex()) return undefined;
    if (hi > this.lastIndex() + 1)
      throw new RaftInvariantError(`slice[${lo},${hi}) out of bound (last ${this.lastIndex()})`);
    hi = Math.min(hi, lo + Math.max(1, maxEntries));
    let ents: Entry[] = [];
    const uoff = this.unstable.offset;
    if (lo < uoff) {
      try {
        ents = this.storage.entries(lo, Math.min(hi, uoff));
      } catch (err) {
        if (err instanceof CompactedError) return undefined;
        throw err;
      }
    }
    if (hi > uoff) ents = ents.concat(this.unstable.slice(Math.max(lo, uoff), hi));
    return ents;
  }

  /** Entries from i to the end, at most maxEntries; undefined when i was compacted. */
  entries(i: number, maxEntries = Infinity): Entry[] | undefined {
    if (i > this.lastIndex()) return [];
    return this.slice(i, this.lastIndex() + 1, maxEntries);
  }
}
