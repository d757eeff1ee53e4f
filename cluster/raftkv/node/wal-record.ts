import type { Entry, HardState, SnapshotMetadata } from '../core/index.js';
import { crc32 } from './crc32.js';

/**
 * One write-ahead-log record. Entries records may overwrite a conflicting tail (replay drops
 * every entry at or after the first index of a later record); a snapshot record drops every
 * entry it covers; the last hard state wins.
 */
export type WalRecord =
  | { type: 'hardState'; hardState: HardState }
  | { type: 'entries'; entries: Entry[] }
  | { type: 'snapshot'; metadata: SnapshotMetadata };

/** Bytes before each payload: a little-endian u32 length, then a u32 CRC-32 of the payload. */
export const RECORD_HEADER_BYTES = 8;
/** A frame longer than this is treated as garbage (a torn length), not as a record. */
const MAX_RECORD_BYTES = 1 << 30;

/** Encodes one record as a length-prefixed, checksummed frame. */
export function encodeRecord(record: WalRecord): Buffer {
  const payload = Buffer.from(JSON.stringify(record), 'utf8');
  const frame = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  payload.copy(frame, RECORD_HEADER_BYTES);
  return frame;
}

/** What decoding a WAL file yields: the intact records and where the intact prefix ends. */
export interface DecodedWal {
  records: WalRecord[];
  /** Length of the prefix made of whole, checksum-valid records; the rest is a torn tail. */
  validBytes: number;
  /** Why decoding stopped before the end of the buffer, if it did. */
  tornReason?: string;
}

/**
 * Decodes frames until the buffer ends or a frame is incomplete, fails its checksum or does
 * not parse: a crash mid-write leaves such a tail, and everything before it is intact because
 * records are only acknowledged after the fsync that follows them.
 */
export function decodeRecords(buf: Buffer): DecodedWal {
  const records: WalRecord[] = [];
  let off = 0;
  while (off < buf.length) {
    if (buf.length - off < RECORD_HEADER_BYTES) return { records, validBytes: off, tornReason: 'short header' };
    const len = buf.readUInt32LE(off);
    const sum = buf.readUInt32LE(off + 4);
    if (len === 0 || len > MAX_RECORD_BYTES) return { records, validBytes: off, tornReason: `bad length ${len}` };
    const end = off + RECORD_HEADER_BYTES + len;
    if (end > buf.length) return { records, validBytes: off, tornReason: 'short payload' };
    const payload = buf.subarray(off + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== sum) return { records, validBytes: off, tornReason: 'checksum mismatch' };
    let rec: WalRecord;
    try {
      rec = JSON.parse(payload.toString('utf8')) as WalRecord;
    } catch {
      return { records, validBytes: off, tornReason: 'unparsable payload' };
    }
    records.push(rec);
    off = end;
  }
  return { records, validBytes: off };
}

/** The Raft state a sequence of records describes, as replay rebuilds it. */
export interface ReplayedLog {
  hardState: HardState;
  snapshot?: SnapshotMetadata;
  /** Entries after the snapshot (or from index 1), contiguous. */
  entries: Entry[];
}

/** Replays records in order: later entries overwrite a conflicting tail, snapshots drop what they cover. */
export function replayRecords(records: readonly WalRecord[]): ReplayedLog {
  let hardState: HardState = { term: 0, vote: '', commit: 0 };
  let snapshot: SnapshotMetadata | undefined;
  let entries: Entry[] = [];
  for (const r of records) {
    if (r.type === 'hardState') hardState = r.hardState;
    else if (r.type === 'snapshot') {
      snapshot = r.metadata;
      const first = entries[0]?.index;
      const keep = entries.filter((e) => e.index > r.metadata.index);
      // Keep the tail only if it still connects to the snapshot; otherwise the log restarts after it.
      const lastCovered = entries.find((e) => e.index === r.metadata.index);
      entries = first !== undefined && lastCovered && lastCovered.term === r.metadata.term ? keep : [];
    } else if (r.entries.length > 0) {
      const first = r.entries[0]!.index;
      const base = entries[0]?.index;
      if (base === undefined) entries = [...r.entries];
      else {
        entries = entries.slice(0, Math.max(0, first - base));
        entries.push(...r.entries);
      }
    }
  }
  return snapshot ? { hardState, snapshot, entries } : { hardState, entries };
}
