/**
 * Outgoing TCP connections from this relay to the other nodes' relays, one per peer, opened on
 * the first message and reopened on the next message after one breaks. Delivery is at most
 * once: what was written to a connection that then broke is lost, as a message to a crashed or
 * cut-off process is. A partition (iptables DROP) stalls a connection rather than breaking it,
 * so its messages arrive late when it heals, as TCP retransmits them.
 */
import net from 'node:net';
import { lineWriter, type LineWriter } from '../line-writer.js';
import type { Hello } from '../relay-wire.js';

/** Bytes a stalled connection may buffer in this process before further messages are dropped. */
const MAX_BUFFERED = 16 * 1024 * 1024;

/** One outgoing connection; `dropping` is set while its backlog makes sends drop. */
interface Link {
  socket: net.Socket;
  write: LineWriter;
  dropping: boolean;
}

/** The outgoing links of one relay. */
export class PeerLinks {
  private readonly sockets = new Map<string, Link>();

  constructor(
    private readonly self: string,
    /** This node's address: outgoing links are bound to it, so a link proxy knows who dials. */
    private readonly localAddress: string,
    private readonly peers: Record<string, { host: string; port: number }>,
    private readonly onDrop: (peer: string, why: string) => void,
  ) {}

  /** True when `node` is a peer this relay can send to. */
  has(node: string): boolean {
    return Object.hasOwn(this.peers, node);
  }

  /** Sends one framed line (no newline) to `peer`; returns false when it was dropped. */
  send(peer: string, frame: string): boolean {
    let link = this.sockets.get(peer);
    if (!link || link.socket.destroyed) link = this.connect(peer);
    if (link.socket.writableLength > MAX_BUFFERED) {
      // Once per stall, not once per message.
      if (!link.dropping) this.onDrop(peer, `more than ${MAX_BUFFERED} bytes queued`);
      link.dropping = true;
      return false;
    }
    link.dropping = false;
    link.write(frame);
    return true;
  }

  /** Closes every link. */
  close(): void {
    for (const l of this.sockets.values()) l.socket.destroy();
    this.sockets.clear();
  }

  private connect(peer: string): Link {
    const { host, port } = this.peers[peer]!;
    const s = net.connect({ host, port, localAddress: this.localAddress, noDelay: true });
    const hello: Hello = { hello: 'peer', node: this.self };
    s.write(JSON.stringify(hello) + '\n');
    s.setKeepAlive(true, 1000);
    s.on('error', () => undefined); // 'close' follows
    s.on('close', () => {
      if (this.sockets.get(peer)?.socket === s) this.sockets.delete(peer);
    });
    // Nothing is ever read back on a peer link; reading keeps the socket from stalling on FIN.
    s.resume();
    const link: Link = { socket: s, write: lineWriter(s), dropping: false };
    this.sockets.set(peer, link);
    return link;
  }
}
