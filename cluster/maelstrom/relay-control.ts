/**
 * The DB's end of a relay's control connection: requests matched to replies by id, and the
 * relay's unasked events handed to a listener.
 */
import net from 'node:net';
import { readLines } from './line-reader.js';
import type { ControlOp, ControlReply, Hello, RelayEvent } from './relay-wire.js';

/** One open control connection to a relay. */
export class RelayControl {
  private nextId = 0;
  private readonly pending = new Map<number, (r: ControlReply) => void>();
  private closed = false;

  private constructor(
    private readonly socket: net.Socket,
    onEvent: (e: RelayEvent) => void,
  ) {
    readLines(socket, (line) => {
      let msg: ControlReply | RelayEvent;
      try {
        msg = JSON.parse(line) as ControlReply | RelayEvent;
      } catch {
        return;
      }
      if ('event' in msg) return onEvent(msg);
      const done = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      done?.(msg);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const [id, done] of this.pending) done({ id, ok: false, error: 'the relay closed its control connection' });
      this.pending.clear();
    });
  }

  /**
   * Connects to the relay at host:port, retrying until `timeoutMs` passes (the relay process may
   * still be starting), and says hello; `record` asks for every inter-node message as events.
   */
  static async open(
    host: string,
    port: number,
    opts: { timeoutMs: number; record: boolean; onEvent: (e: RelayEvent) => void },
  ): Promise<RelayControl> {
    const deadline = Date.now() + opts.timeoutMs;
    let last: Error | undefined;
    while (Date.now() < deadline) {
      try {
        const socket = await connectOnce(host, port);
        const hello: Hello = { hello: 'control', record: opts.record };
        socket.write(JSON.stringify(hello) + '\n');
        return new RelayControl(socket, opts.onEvent);
      } catch (e) {
        last = e as Error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(
      `no relay answered at ${host}:${port} within ${opts.timeoutMs} ms (${last?.message ?? 'no attempt'})`,
    );
  }

  /** Sends a control op and waits for its reply (an error reply after `timeoutMs`). */
  request(op: ControlOp, timeoutMs: number): Promise<ControlReply> {
    const id = ++this.nextId;
    if (this.closed) return Promise.resolve({ id, ok: false, error: 'the relay closed its control connection' });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ id, ok: false, error: `the relay did not answer ${op} within ${timeoutMs} ms` });
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.socket.write(JSON.stringify({ id, op }) + '\n');
    });
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }
}

function connectOnce(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port, noDelay: true });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}
