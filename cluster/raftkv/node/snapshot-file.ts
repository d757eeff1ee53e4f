import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot, SnapshotMetadata } from '../core/index.js';

const NAME = /^snap-(\d+)-(\d+)\.json$/;

/** The file name of the snapshot with this metadata: `snap-<term>-<index>.json`. */
export function snapshotFileName(meta: SnapshotMetadata): string {
  return `snap-${meta.term}-${meta.index}.json`;
}

/** Makes a rename or a new file in `dir` durable. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a snapshot durably: to a temporary file, fsync, rename into place, fsync the directory.
 * The WAL's snapshot record is written only after this returns, so a record always has its file.
 */
export function writeSnapshotFile(dir: string, snap: Snapshot): void {
  const final = join(dir, snapshotFileName(snap.metadata));
  const tmp = `${final}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const buf = Buffer.from(JSON.stringify(snap), 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, final);
  fsyncDir(dir);
}

/** Reads the snapshot file for `meta`, throwing with the path if it is missing or corrupt. */
export function readSnapshotFile(dir: string, meta: SnapshotMetadata): Snapshot {
  const path = join(dir, snapshotFileName(meta));
  const snap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  if (snap.metadata.index !== meta.index || snap.metadata.term !== meta.term)
    throw new Error(
      `${path}: holds snapshot ${snap.metadata.term}/${snap.metadata.index}, expected ${meta.term}/${meta.index}`,
    );
  return snap;
}

/** Removes every snapshot file (and leftover temporary file) except the one for `keep`. */
export function removeOtherSnapshots(dir: string, keep: SnapshotMetadata): void {
  const keepName = snapshotFileName(keep);
  for (const name of readdirSync(dir)) {
    if ((NAME.test(name) && name !== keepName) || (name.startsWith('snap-') && name.endsWith('.tmp'))) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // Already gone: nothing to clean.
      }
    }
  }
}
