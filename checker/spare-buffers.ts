/**
 * Buffers that finished searches hand back for the next ones. A search keeps its arrays in one
 * ArrayBuffer, and one of more than a few dozen bytes lives outside V8's heap: allocating it, and
 * the garbage collection its external memory triggers, cost more than the whole search of a
 * small part. Checks of many small histories, and keyed histories of thousands of small parts,
 * run one search after another, so each can reuse the buffer of the one before.
 */

/** Spares kept at most, and the largest kept: enough for a run of small searches, no hoard. */
const MAX_SPARES = 4;
const MAX_SPARE_BYTES = 1 << 20;

const spares: ArrayBuffer[] = [];

/** A zeroed buffer of at least `bytes` bytes: a spare when one is big enough, else a new one. */
export function takeBuffer(bytes: number): ArrayBuffer {
  for (let k = spares.length - 1; k >= 0; k--) {
    const buffer = spares[k]!;
    if (buffer.byteLength < bytes) continue;
    spares[k] = spares[spares.length - 1]!;
    spares.pop();
    new Uint8Array(buffer, 0, bytes).fill(0);
    return buffer;
  }
  // A quarter more than asked, so a slightly larger search later can take it too.
  return new ArrayBuffer(bytes > MAX_SPARE_BYTES ? bytes : Math.min(MAX_SPARE_BYTES, Math.ceil(bytes * 1.25)));
}

/** Hands back a buffer its owner no longer reads or writes, through any view. */
export function giveBack(buffer: ArrayBuffer): void {
  if (buffer.byteLength > MAX_SPARE_BYTES) return;
  if (spares.length < MAX_SPARES) spares.push(buffer);
  else {
    // Keep the larger ones: they fit more searches.
    let smallest = 0;
    for (let k = 1; k < spares.length; k++) if (spares[k]!.byteLength < spares[smallest]!.byteLength) smallest = k;
    if (spares[smallest]!.byteLength < buffer.byteLength) spares[smallest] = buffer;
  }
}
