/** Reading a container's output as the engine returns it. */

/**
 * Joins the frames of Docker's multiplexed log format (an 8-byte header per frame: stream, three
 * zero bytes, a big-endian length) into one buffer. Output of a container with a TTY has no
 * frames and is returned as is.
 */
export function demuxLogs(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const stream = raw[at];
    if ((stream !== 0 && stream !== 1 && stream !== 2) || raw[at + 1] !== 0 || raw[at + 2] !== 0 || raw[at + 3] !== 0)
      return raw; // not multiplexed
    const size = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return at === raw.length ? Buffer.concat(parts) : raw;
}
