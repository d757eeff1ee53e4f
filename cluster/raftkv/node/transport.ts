import { createServer, connect, isIP, type Server, type Socket } from 'node:net';
import type { Message, NodeId } from '../core/index.js';
import { coalesceMessages } from './coalesce.js';
import { ACK_FRAME, encodeFrame, FrameDecoder } from './frame.js';

/** What one peer frame carries: a hello naming the sender, or a batch of Raft messages. */
type PeerFrame = { hello: { id: NodeId; clientAddr: string } } | { msgs: Message[] };

/** Options for the peer transport. */
export interface TransportOptions {
  id: NodeId;
  peers: Map<NodeId, { host: string; port: number }>;
  listenHost: string;
  /** This node's client address, announced to peers so followers can name the leader. */
  clientAddr: string;
  onMessages: (msgs: Message[]) => void;
  onHello: (id: NodeId, clientAddr: string) => void;
  log: (line: string) => void;
}

const CONNECT_TIMEOUT_MS = 1000;
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 1000;
/** A connection with unanswered frames and no acknowledgement for this long is presumed cut. */
const STALL_MS = 2000;
/** Above this many unsent bytes queued in user space, new messages are dropped (Raft retransmits). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** While connecting, at most this many frames wait; older ones are dropped. */
const MAX_CONNECTING_FRAMES = 64;
/** An inbound connection with no frame for this long is closed. */
const INBOUND_IDLE_MS = 30_000;
/** The receiver acknowledges at most this often (and always within it). */
const ACK_EVERY_MS = 100;
/** At most this many entries are folded into one merged MsgApp (see coalesceMessages). */
const MAX_MERGED_ENTRIES = 4096;

/**
 * One outbound connection to a peer: persistent TCP with length-prefixed JSON frames, connect
 * timeout, reconnect with back-off, and drop (never queue without bound) when the peer is dead
 * or partitioned. An iptables DROP makes connects and writes hang silently, so liveness comes
 * from the receiver's acknowledgement frames, not from TCP errors.
 */
class PeerLink {
  private socket: Socket | undefined;
  private connected = false;
  private waiting: Buffer[] = [];
  private backoffMs = BACKOFF_MIN_MS;
  private retryAt = 0;
  private lastAck = 0;
  private unackedSince = 0;
  private closed = false;
  dropped = 0;

  constructor(
    private readonly peer: NodeId,
    private readonly addr: { host: string; port: number },
    private readonly hello: Buffer,
    private readonly log: (line: string) => void,
    private readonly localAddress: string | undefined,
  ) {}

  send(frame: Buffer): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.connected && this.socket) {
      if (this.socket.writableLength > MAX_BUFFERED_BYTES) {
        this.dropped++;
        return;
      }
      if (this.unackedSince === 0) this.unackedSince = now;
      this.socket.write(frame);
      return;
    }
    this.waiting.push(frame);
    if (this.waiting.length > MAX_CONNECTING_FRAMES) {
      this.waiting.shift();
      this.dropped++;
    }
    if (!this.socket && now >= this.retryAt) this.dial();
  }

  /** Called periodically: cuts a connection whose peer stopped acknowledging. */
  checkLiveness(now: number): void {
    if (!this.connected || !this.socket) {
      if (!this.socket && this.waiting.length > 0 && now >= this.retryAt) this.dial();
      return;
    }
    if (this.unackedSince > 0 && now - Math.max(this.unackedSince, this.lastAck) > STALL_MS) {
      this.log(`transport: no acknowledgement from ${this.peer} for ${STALL_MS} ms, reconnecting`);
      this.socket.destroy();
    }
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }

  private dial(): void {
    // Bind outgoing connections to our own listen address when it is a specific one, so a
    // partition rule keyed on a node's address (e.g. 127.0.0.3 on loopback) cuts both directions.
    const s = this.localAddress
      ? connect({ host: this.addr.host, port: this.addr.port, localAddress: this.localAddress })
      : connect({ host: this.addr.host, port: this.addr.port });
    this.socket = s;
    s.setNoDelay(true);
    const timer = setTimeout(() => s.destroy(new Error('connect timeout')), CONNECT_TIMEOUT_MS);
    const decoder = new FrameDecoder();
    s.once('connect', () => {
      clearTimeout(timer);
      this.connected = true;
      this.backoffMs = BACKOFF_MIN_MS;
      this.lastAck = Date.now();
      this.unackedSince = 0;
      s.write(this.hello);
      const queued = this.waiting;
      this.waiting = [];
      for (const f of queued) this.send(f);
    });
    s.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk);
      } catch {
        s.destroy();
        return;
      }
      // Anything the peer sends back on this connection is an acknowledgement.
      this.lastAck = Date.now();
      this.unackedSince = 0;
    });
    s.on('error', () => {
      // Reported through 'close'; a dead peer is routine.
    });
    s.on('close', () => {
      clearTimeout(timer);
      if (this.socket === s) {
        this.socket = undefined;
        this.connected = false;
        this.unackedSince = 0;
        this.dropped += this.waiting.length;
        this.waiting = [];
        this.retryAt = Date.now() + this.backoffMs;
        this.backoffMs = Math.min(BACKOFF_MAX_MS, this.backoffMs * 2);
      }
    });
  }
}

/** The peer transport: a listener for inbound frames and one PeerLink per other voter. */
export class Transport {
  private server: Server | undefined;
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly inbound = new Set<Socket>();
  private livenessTimer: NodeJS.Timeout | undefined;
  /** Messages waiting for the next flush, by destination. */
  private outbox = new Map<NodeId, Message[]>();
  private flushScheduled = false;
  private closed = false;

  constructor(private readonly opts: TransportOptions) {
    const local =
      isIP(opts.listenHost) && opts.listenHost !== '0.0.0.0' && opts.listenHost !== '::' ? opts.listenHost : undefined;
    const hello = encodeFrame({ hello: { id: opts.id, clientAddr: opts.clientAddr } } satisfies PeerFrame);
    for (const [id, addr] of opts.peers)
      if (id !== opts.id) this.links.set(id, new PeerLink(id, addr, hello, opts.log, local));
  }

  /** Starts listening on this node's peer port. */
  async start(): Promise<void> {
    const self = this.opts.peers.get(this.opts.id)!;
    const server = createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(self.port, this.opts.listenHost, () => resolve());
    });
    this.livenessTimer = setInterval(() => {
      const now = Date.now();
      for (const l of this.links.values()) l.checkLiveness(now);
    }, 250);
  }

  /**
   * Queues messages for their peers; they leave, one frame per peer, when the event loop has
   * handled the I/O at hand (setImmediate), after each peer's run of MsgApps and superseded
   * acknowledgements has been folded into one (see coalesceMessages). So the several Readys a
   * busy node handles per loop turn cost one socket write per peer, not one each. Sending later
   * than asked is always allowed (the network may delay); never blocks and may drop.
   */
  send(msgs: readonly Message[]): void {
    if (this.closed) return;
    for (const m of msgs) {
      const list = this.outbox.get(m.to);
      if (list) list.push(m);
      else this.outbox.set(m.to, [m]);
    }
    if (!this.flushScheduled && this.outbox.size > 0) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const outbox = this.outbox;
    this.outbox = new Map();
    if (this.closed) return;
    for (const [to, list] of outbox) {
      const link = this.links.get(to);
      if (!link) {
        this.opts.log(`transport: message to unknown peer ${to} dropped`);
        continue;
      }
      link.send(encodeFrame({ msgs: coalesceMessages(list, MAX_MERGED_ENTRIES) } satisfies PeerFrame));
    }
  }

  /** Total messages frames dropped so far, for /status diagnostics. */
  get dropped(): number {
    let n = 0;
    for (const l of this.links.values()) n += l.dropped;
    return n;
  }

  /** Closes the listener and every connection. */
  close(): void {
    this.closed = true;
    this.outbox.clear();
    if (this.livenessTimer) clearInterval(this.livenessTimer);
    for (const l of this.links.values()) l.close();
    for (const s of this.inbound) s.destroy();
    this.server?.close();
  }

  private accept(s: Socket): void {
    this.inbound.add(s);
    s.setNoDelay(true);
    // A sender cut off by a DROP partition never closes its side: reap connections that go
    // quiet (a live sender reconnects on its next message).
    s.setTimeout(INBOUND_IDLE_MS, () => s.destroy());
    const decoder = new FrameDecoder();
    let lastAck = 0;
    let ackTimer: NodeJS.Timeout | undefined;
    s.on('data', (chunk: Buffer) => {
      let frames: (Buffer | null)[];
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        this.opts.log(`transport: ${(e as Error).message}; closing inbound connection`);
        s.destroy();
        return;
      }
      for (const f of frames) {
        if (f === null) continue;
        let frame: PeerFrame;
        try {
          frame = JSON.parse(f.toString('utf8')) as PeerFrame;
        } catch {
          s.destroy();
          return;
        }
        if ('hello' in frame) this.opts.onHello(frame.hello.id, frame.hello.clientAddr);
        else this.opts.onMessages(frame.msgs);
      }
      // Acknowledge at most every ACK_EVERY_MS, but always within it, so the sender sees progress.
      if (!ackTimer) {
        const wait = Math.max(0, lastAck + ACK_EVERY_MS - Date.now());
        ackTimer = setTimeout(() => {
          ackTimer = undefined;
          lastAck = Date.now();
          if (!s.destroyed) s.write(ACK_FRAME);
        }, wait);
      }
    });
    s.on('error', () => {});
    s.on('close', () => {
      if (ackTimer) clearTimeout(ackTimer);
      this.inbound.delete(s);
    });
  }
}
