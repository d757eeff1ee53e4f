/**
 * One direction of a proxied TCP connection, faulted as a real network would fault it.
 *
 * A cut (loss 1) stops forwarding and stops reading, so the sender's kernel buffer fills and
 * its writes queue, while the receiver hears nothing: the silent hang an iptables DROP gives,
 * never a clean close or a reset the peer could act on at once. Raft nodes must find such a
 * peer dead by their own timeouts, and bugs that need a slow detection stay reachable. What
 * was sent during the cut (a FIN or RST included) is delivered after the heal, as TCP
 * retransmits it.
 *
 * Loss below 1 cannot drop bytes from a stream without corrupting it, and iptables loss does not
 * either: TCP retransmits, so the receiver gets every byte in order, late. So each chunk (on
 * loopback about one segment) is "lost" with the given probability, again on each retry, and
 * held for Linux's retransmission timeouts (200 ms, doubling), with everything behind it.
 */
import type { Socket } from 'node:net';

/** Linux's minimum retransmission timeout, the wait before a lost segment is sent again. */
export const RTO_MS = 200;
/** Consecutive losses of one chunk counted at most (TCP backs off 200 ms .. 12.8 s). */
const MAX_RETRIES = 6;
/** Above this many queued bytes the source is no longer read (the sender's buffer fills instead). */
const HIGH_WATER_BYTES = 1 << 20;

type Item = { data: Buffer; due: number } | { close: 'fin' | 'reset'; due: number };

/** The wait before a chunk gets through when each try is lost with probability `loss`. */
export function retransmitDelayMs(loss: number, rng: () => number): number {
  if (!(loss > 0 && loss < 1)) return 0;
  let tries = 0;
  while (tries < MAX_RETRIES && rng() < loss) tries++;
  return RTO_MS * (2 ** tries - 1);
}

/** Forwards `src` to `dst` under the loss `loss()` says is in force now (re-read on every step). */
export class LinkPipe {
  private readonly queue: Item[] = [];
  private queuedBytes = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | undefined;
  private awaitingDrain = false;
  private srcEnded = false;
  private finished = false;

  constructor(
    private readonly src: Socket,
    private readonly dst: Socket,
    private readonly loss: () => number,
    private readonly rng: () => number = Math.random,
  ) {
    src.on('data', (chunk: Buffer) => this.push({ data: chunk, due: this.dueTime() }));
    src.on('end', () => {
      this.srcEnded = true;
      this.push({ close: 'fin', due: this.dueTime() });
    });
    // A close without an end is a reset (or an error): pass it on as one, in order.
    src.on('close', () => {
      if (!this.srcEnded) {
        this.srcEnded = true;
        this.push({ close: 'reset', due: this.dueTime() });
      }
    });
    src.on('error', () => {});
    this.throttle();
  }

  /** Re-reads the loss in force; called when the faults change. */
  poke(): void {
    this.pump();
  }

  /** Bytes read from the source and not yet delivered. */
  get heldBytes(): number {
    return this.queuedBytes;
  }

  private dueTime(): number {
    const due = Math.max(Date.now() + retransmitDelayMs(this.loss(), this.rng), this.lastDue);
    this.lastDue = due;
    return due;
  }

  private push(item: Item): void {
    if (this.finished) return;
    this.queue.push(item);
    if ('data' in item) this.queuedBytes += item.data.length;
    this.pump();
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && !this.awaitingDrain && !this.finished) {
      if (this.loss() >= 1) break;
      const head = this.queue[0]!;
      const wait = head.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.pump(), wait);
        break;
      }
      this.queue.shift();
      if ('data' in head) {
        this.queuedBytes -= head.data.length;
        if (this.dst.destroyed) continue;
        if (!this.dst.write(head.data)) {
          this.awaitingDrain = true;
          this.dst.once('drain', () => {
            this.awaitingDrain = false;
            this.pump();
          });
        }
      } else {
        this.finished = true;
        if (head.close === 'fin') this.dst.end();
        else if (!this.dst.destroyed) this.dst.resetAndDestroy();
      }
    }
    this.throttle();
  }

  /** Reads the source only while the link is open and the queue is short. */
  private throttle(): void {
    if (this.srcEnded || this.src.destroyed) return;
    if (this.loss() >= 1 || this.queuedBytes > HIGH_WATER_BYTES) this.src.pause();
    else this.src.resume();
  }
}
