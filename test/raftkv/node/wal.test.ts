import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Entry } from '../../../cluster/raftkv/core/types.js';
import { crc32 } from '../../../cluster/raftkv/node/crc32.js';
import { writeSnapshotFile } from '../../../cluster/raftkv/node/snapshot-file.js';
import { Wal } from '../../../cluster/raftkv/node/wal.js';
import { decodeRecords, encodeRecord, replayRecords, type WalRecord } from '../../../cluster/raftkv/node/wal-record.js';

const ent = (index: number, term: number, data = `d${index}`): Entry => ({ index, term, type: 'normal', data });

describe('WAL records', () => {
  it('computes the standard CRC-32 check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('decodes exactly what was encoded', () => {
    const recs: WalRecord[] = [
      { type: 'hardState', hardState: { term: 3, vote: 'n2', commit: 7 } },
      { type: 'entries', entries: [ent(1, 1), ent(2, 3)] },
      { type: 'snapshot', metadata: { index: 2, term: 3, voters: ['n1', 'n2'] } },
    ];
    const buf = Buffer.concat(recs.map((r) => encodeRecord(r)));
    const d = decodeRecords(buf);
    expect(d.records).toEqual(recs);
    expect(d.validBytes).toBe(buf.length);
    expect(d.tornReason).toBeUndefined();
  });

  it('stops at a torn tail: a partial frame or a flipped byte ends the valid prefix', () => {
    const a = encodeRecord({ type: 'entries', entries: [ent(1, 1)] });
    const b = encodeRecord({ type: 'entries', entries: [ent(2, 1)] });
    const whole = Buffer.concat([a, b]);
    for (let cut = a.length + 1; cut < whole.length; cut++) {
      const d = decodeRecords(whole.subarray(0, cut));
      expect(d.records).toHaveLength(1);
      expect(d.validBytes).toBe(a.length);
    }
    const flipped = Buffer.from(whole);
    flipped[a.length + 12] ^= 0x40;
    const d = decodeRecords(flipped);
    expect(d.records).toHaveLength(1);
    expect(d.tornReason).toBe('checksum mismatch');
  });

  it('replays a conflicting tail as overwritten and drops what a snapshot covers', () => {
    const r = replayRecords([
      { type: 'entries', entries: [ent(1, 1), ent(2, 1), ent(3, 1)] },
      { type: 'entries', entries: [ent(2, 2)] },
      { type: 'hardState', hardState: { term: 2, vote: 'n1', commit: 1 } },
      { type: 'entries', entries: [ent(3, 2), ent(4, 2)] },
    ]);
    expect(r.entries.map((e) => `${e.index}/${e.term}`)).toEqual(['1/1', '2/2', '3/2', '4/2']);
    expect(r.hardState.commit).toBe(1);
    const s = replayRecords([
      { type: 'entries', entries: [ent(1, 1), ent(2, 1), ent(3, 1)] },
      { type: 'snapshot', metadata: { index: 2, term: 1, voters: [] } },
    ]);
    expect(s.entries.map((e) => e.index)).toEqual([3]);
    expect(s.snapshot?.index).toBe(2);
  });
});

describe('WAL file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'raftkv-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('recovers every fsynced record after a reopen', async () => {
    const { wal } = await Wal.open(dir);
    await wal.append([{ type: 'entries', entries: [ent(1, 1), ent(2, 1)] }]);
    await wal.append([{ type: 'hardState', hardState: { term: 1, vote: 'n1', commit: 2 } }]);
    await wal.close();
    const { wal: again, state } = await Wal.open(dir);
    await again.close();
    expect(state.entries.map((e) => e.index)).toEqual([1, 2]);
    expect(state.hardState).toEqual({ term: 1, vote: 'n1', commit: 2 });
    expect(state.truncatedBytes).toBe(0);
  });

  it('batches appends that arrive during an fsync into one group commit', async () => {
    const { wal } = await Wal.open(dir);
    const writes = Array.from({ length: 50 }, (_, i) => wal.append([{ type: 'entries', entries: [ent(i + 1, 1)] }]));
    await Promise.all(writes);
    expect(wal.syncs).toBeLessThan(50);
    await wal.close();
    const { wal: again, state } = await Wal.open(dir);
    await again.close();
    expect(state.entries).toHaveLength(50);
  });

  it('writes a lazily appended commit index with the next durable append, costing no fsync of its own', async () => {
    const { wal } = await Wal.open(dir);
    await wal.append([{ type: 'entries', entries: [ent(1, 1), ent(2, 1)] }]);
    const syncs = wal.syncs;
    wal.appendLazy([{ type: 'hardState', hardState: { term: 1, vote: 'n1', commit: 1 } }]);
    wal.appendLazy([{ type: 'hardState', hardState: { term: 1, vote: 'n1', commit: 2 } }]);
    await wal.append([{ type: 'entries', entries: [ent(3, 1)] }]);
    expect(wal.syncs).toBe(syncs + 1);
    // Read the file while the WAL is still open: what a SIGKILL now would leave.
    const onDisk = replayRecords(decodeRecords(readFileSync(join(dir, 'wal'))).records);
    expect(onDisk.hardState.commit).toBe(2);
    expect(onDisk.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    await wal.close();
  });

  it('writes a lazily appended commit index on its own within a short while when nothing else comes', async () => {
    const { wal } = await Wal.open(dir);
    await wal.append([{ type: 'entries', entries: [ent(1, 1)] }]);
    wal.appendLazy([{ type: 'hardState', hardState: { term: 1, vote: 'n1', commit: 1 } }]);
    const deadline = Date.now() + 10_000;
    while (replayRecords(decodeRecords(readFileSync(join(dir, 'wal'))).records).hardState.commit !== 1) {
      if (Date.now() > deadline) throw new Error('the lazy record never reached the file');
      await new Promise((r) => setTimeout(r, 20));
    }
    await wal.close();
  });

  it('truncates a torn tail on recovery and keeps appending after it', async () => {
    const { wal } = await Wal.open(dir);
    await wal.append([{ type: 'entries', entries: [ent(1, 1), ent(2, 1)] }]);
    await wal.close();
    const good = statSync(join(dir, 'wal')).size;
    // A crash mid-write: half a frame of the next record.
    appendFileSync(join(dir, 'wal'), encodeRecord({ type: 'entries', entries: [ent(3, 1)] }).subarray(0, 11));
    const { wal: w2, state } = await Wal.open(dir);
    expect(state.truncatedBytes).toBe(11);
    expect(statSync(join(dir, 'wal')).size).toBe(good);
    await w2.append([{ type: 'entries', entries: [ent(3, 1)] }]);
    await w2.close();
    const { wal: w3, state: s3 } = await Wal.open(dir);
    await w3.close();
    expect(s3.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(s3.truncatedBytes).toBe(0);
  });

  it('compacts to a snapshot and recovers the snapshot plus the entries after it', async () => {
    const { wal } = await Wal.open(dir);
    await wal.append([{ type: 'entries', entries: [ent(1, 1), ent(2, 1), ent(3, 1), ent(4, 1)] }]);
    await wal.append([{ type: 'hardState', hardState: { term: 1, vote: 'n1', commit: 4 } }]);
    const meta = { index: 3, term: 1, voters: ['n1'] };
    writeSnapshotFile(dir, { metadata: meta, data: '{"x":1}' });
    const before = wal.bytes;
    await wal.compact(meta);
    expect(wal.bytes).toBeLessThan(before);
    await wal.append([{ type: 'entries', entries: [ent(5, 1)] }]);
    await wal.close();
    const { wal: again, state } = await Wal.open(dir);
    await again.close();
    expect(state.snapshot?.data).toBe('{"x":1}');
    expect(state.entries.map((e) => e.index)).toEqual([4, 5]);
    expect(state.hardState.commit).toBe(4);
  });

  it('treats a corrupted byte in the last record as a torn tail, not as data', async () => {
    const { wal } = await Wal.open(dir);
    await wal.append([{ type: 'entries', entries: [ent(1, 1)] }]);
    await wal.append([{ type: 'entries', entries: [ent(2, 1)] }]);
    await wal.close();
    const path = join(dir, 'wal');
    const buf = readFileSync(path);
    buf[buf.length - 3] ^= 0xff;
    writeFileSync(path, buf);
    const { wal: again, state } = await Wal.open(dir);
    await again.close();
    expect(state.entries.map((e) => e.index)).toEqual([1]);
    expect(state.tornReason).toBe('checksum mismatch');
    truncateSync(path, 0);
  });
});
