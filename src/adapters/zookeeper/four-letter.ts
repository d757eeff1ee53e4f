/**
 * ZooKeeper's four-letter admin words over the client port (`srvr`): the server's mode
 * (leader, follower, standalone), or nothing when it does not answer. Setup and the leader
 * lookup ask them; they are probes, never client ops.
 */
import net from 'node:net';

/** Sends a four-letter word and resolves with the whole answer, or undefined on any failure or after `timeoutMs`. */
export function fourLetterWord(
  host: string,
  port: number,
  word: string,
  timeoutMs: number,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host, port });
    const done = (answer: string | undefined) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.on('connect', () => socket.end(word));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', () => done(undefined));
  });
}

/** The server's mode from a `srvr` answer ("Mode: follower"), or undefined. */
export function modeOf(srvr: string | undefined): string | undefined {
  return srvr === undefined ? undefined : /^Mode: (\S+)/m.exec(srvr)?.[1];
}
