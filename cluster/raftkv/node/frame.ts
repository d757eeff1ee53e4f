/**
 * Length-prefixed frames for the peer transport: a little-endian u32 length, then that many
 * bytes of UTF-8 JSON. A zero-length frame is a keep-alive acknowledgement.
 */

/** Encodes a JSON value as one frame. */
export function encodeFrame(value: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(value), 'utf8');
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  payload.copy(frame, 4);
  return frame;
}

/** The zero-length frame a receiver sends back to show the connection is alive. */
export const ACK_FRAME = Buffer.alloc(4);

/** Frames larger than this mean the stream is corrupt; the connection is dropped. */
const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** Splits a byte stream into frames; `push` returns the payloads completed by a chunk (null = ack). */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds a chunk and returns every frame it completes, or throws on a corrupt length. */
  push(chunk: Buffer): (Buffer | null)[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: (Buffer | null)[] = [];
    let buf = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    let off = 0;
    while (buf.length - off >= 4) {
      const len = buf.readUInt32LE(off);
      if (len > MAX_FRAME_BYTES) throw new Error(`peer frame of ${len} bytes is too large`);
      if (buf.length - off - 4 < len) break;
      out.push(len === 0 ? null : buf.subarray(off + 4, off + 4 + len));
      off += 4 + len;
    }
    buf = buf.subarray(off);
    this.chunks = buf.length > 0 ? [buf] : [];
    this.buffered = buf.length;
    return out;
  }
}
