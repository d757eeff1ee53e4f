import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entry, HardState, Snapshot, SnapshotMetadata } from '../core/index.js';
import { fsyncDir, readSnapshotFile, removeOtherSnapshots } from './snapshot-file.js';
import { decodeRecords, encodeRecord, replayRecords, type WalRecord } from './wal-record.js';

/** What a node recovers from its data directory at start. */
export interface RecoveredState {
  hardState: HardState;
  snapshot?: Snapshot;
  /** Entries after the snapshot, contiguous. */
  entries: Entry[];
  /** Bytes cut off the end of the WAL because they were a torn (partial or corrupt) write. */
  truncatedBytes: number;
  tornReason?: string;
}

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
}

const WAL_FILE = 'wal';
/** A lazily appended record waits at most this long for a write+fsync to ride along with. */
const LAZY_FLUSH_MS = 100;

/**
 * A checksummed append-only write-ahead log with group commit. Appends that arrive while an
 * fsync is in flight are batched into the next single write+fsync, so many Readys cost one
 * disk flush. A promise from append resolves only after its bytes are on disk.
 */
export class Wal {
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private compaction: { meta: SnapshotMetadata; waiter: Waiter } | undefined;
  private failed: Error | undefined;
  private lazyTimer: NodeJS.Timeout | undefined;
  /** Set when lazily appended records must be written even though no durable append waits. */
  private drainLazy = false;
  /** Number of write+fsync rounds done, for diagnostics (group commit shows as rounds < appends). */
  syncs = 0;

  private constructor(
    private readonly dir: string,
    private fh: FileHandle,
    private size: number,
  ) {}

  /**
   * Opens (or creates) the WAL in `dir`, truncates a torn tail and replays it. The truncation
   * is fsynced before returning so a second crash cannot resurrect the garbage.
   */
  static async open(dir: string): Promise<{ wal: Wal; state: RecoveredState }> {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, WAL_FILE);
    let truncatedBytes = 0;
    let tornReason: string | undefined;
    let records: WalRecord[] = [];
    let size = 0;
    if (existsSync(path)) {
      const buf = readFileSync(path);
      const decoded = decodeRecords(buf);
      records = decoded.records;
      size = decoded.validBytes;
      if (decoded.validBytes < buf.length) {
        truncatedBytes = buf.length - decoded.validBytes;
        tornReason = decoded.tornReason;
        const fd = openSync(path, 'r+');
        try {
          // ftruncate + fsync: the torn tail is gone before anything new is appended after it.
          ftruncateSync(fd, decoded.validBytes);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
    } else {
      closeSync(openSync(path, 'w'));
      fsyncDir(dir);
    }
    const replayed = replayRecords(records);
    const snapshot = replayed.snapshot ? readSnapshotFile(dir, replayed.snapshot) : undefined;
    const fh = await open(path, 'r+');
    const wal = new Wal(dir, fh, size);
    const state: RecoveredState = { hardState: replayed.hardState, entries: replayed.entries, truncatedBytes };
    if (snapshot) state.snapshot = snapshot;
    if (tornReason !== undefined) state.tornReason = tornReason;
    return { wal, state };
  }

  /** Appends records; resolves once they (and everything before them) are fsynced. */
  append(records: readonly WalRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    for (const r of records) this.pending.push(encodeRecord(r));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /**
   * Queues records that need not be durable at once (a commit index, which Raft can recover):
   * they go to disk with the next write+fsync that some durable append causes, in order with
   * it, or on their own within LAZY_FLUSH_MS. Costs no fsync of its own under load.
   */
  appendLazy(records: readonly WalRecord[]): void {
    if (this.failed) return;
    for (const r of records) this.pending.push(encodeRecord(r));
    if (!this.flushing) this.armLazyTimer();
  }

  /**
   * Rewrites the WAL to start at a snapshot whose file is already durable: the new file holds
   * the hard state, the snapshot record and the entries after it, and replaces the old one by
   * an atomic rename. Runs between group commits, never during one.
   */
  compact(meta: SnapshotMetadata): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<void>((resolve, reject) => {
      const prev = this.compaction;
      this.compaction = { meta, waiter: { resolve, reject } };
      prev?.waiter.resolve(); // superseded by the newer snapshot
      this.kick();
    });
  }

  /** Current size of the WAL file in bytes. */
  get bytes(): number {
    return this.size;
  }

  /** Waits for pending writes (lazy ones included), then closes the file. */
  async close(): Promise<void> {
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = undefined;
    if (this.pending.length > 0 && !this.failed) {
      this.drainLazy = true;
      this.kick();
    }
    while (this.flushing) await new Promise((r) => setTimeout(r, 5));
    await this.fh.close();
  }

  private kick(): void {
    if (this.flushing) return;
    if (this.lazyTimer) {
      clearTimeout(this.lazyTimer);
      this.lazyTimer = undefined;
    }
    this.flushing = true;
    void this.flushLoop();
  }

  private armLazyTimer(): void {
    if (this.lazyTimer || this.failed || this.pending.length === 0) return;
    this.lazyTimer = setTimeout(() => {
      this.lazyTimer = undefined;
      this.drainLazy = true;
      this.kick();
    }, LAZY_FLUSH_MS);
    this.lazyTimer.unref();
  }

  /** Whether the flush loop has work: a durable append waiting, a compaction, or lazy records due. */
  private hasWork(): boolean {
    return (this.pending.length > 0 && (this.waiters.length > 0 || this.drainLazy)) || this.compaction !== undefined;
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.hasWork()) {
        if (this.pending.length > 0) {
          this.drainLazy = false;
          const bufs = this.pending;
          const waiters = this.waiters;
          this.pending = [];
          this.waiters = [];
          const buf = bufs.length === 1 ? bufs[0]! : Buffer.concat(bufs);
          try {
            let off = 0;
            while (off < buf.length) {
              const { bytesWritten } = await this.fh.write(buf, off, buf.length - off, this.size + off);
              off += bytesWritten;
            }
            await this.fh.datasync();
            this.size += buf.length;
            this.syncs++;
          } catch (e) {
            this.fail(e as Error, waiters);
            return;
          }
          for (const w of waiters) w.resolve();
        }
        if (this.compaction && this.pending.length === 0) {
          const c = this.compaction;
          this.compaction = undefined;
          try {
            await this.rewrite(c.meta);
          } catch (e) {
            this.fail(e as Error, [c.waiter]);
            return;
          }
          c.waiter.resolve();
        }
      }
    } finally {
      this.flushing = false;
      // Lazily appended records left behind wait for the next durable append, or the timer.
      this.armLazyTimer();
    }
  }

  private fail(e: Error, waiters: Waiter[]): void {
    // A failed fsync leaves the file state unknown (fsyncgate): refuse every later write.
    this.failed = e;
    for (const w of [...waiters, ...this.waiters]) w.reject(e);
    this.waiters = [];
    this.pending = [];
  }

  private async rewrite(meta: SnapshotMetadata): Promise<void> {
    const path = join(this.dir, WAL_FILE);
    const replayed = replayRecords(decodeRecords(readFileSync(path).subarray(0, this.size)).records);
    const tail = replayed.entries.filter((e) => e.index > meta.index);
    const connects = replayed.entries.some((e) => e.index === meta.index && e.term === meta.term);
    const records: WalRecord[] = [{ type: 'snapshot', metadata: meta }];
    if (connects && tail.length > 0) records.push({ type: 'entries', entries: tail });
    // Every pending append is flushed before a rewrite, so the last hard state on disk is current.
    records.push({ type: 'hardState', hardState: replayed.hardState });
    const buf = Buffer.concat(records.map(encodeRecord));
    const tmp = `${path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    await this.fh.close();
    renameSync(tmp, path);
    fsyncDir(this.dir);
    this.fh = await open(path, 'r+');
    this.size = buf.length;
    removeOtherSnapshots(this.dir, meta);
  }
}
