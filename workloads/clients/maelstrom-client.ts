/**
 * The client for Maelstrom-protocol nodes: lin-kv `read`, `write` and `cas` (doc/workloads.md)
 * sent as client ids `c1`, `c2`, ... to the relay of the process's home node over one TCP
 * connection per relay. Answers are sorted as Maelstrom's own lin-kv client sorts them:
 * `read_ok`/`write_ok`/`cas_ok` are ok; a read that errs or times out is fail (a read changes
 * nothing); a write or cas that gets a definite error is fail, an indefinite one (timeout, crash,
 * or a code Maelstrom does not define) or no answer within the op timeout is info.
 */
import net from 'node:net';
import {
  CLIENT_PREFIX,
  describeError,
  lineWriter,
  readLines,
  type Body,
  type Hello,
  type LinKvRequest,
  type Message,
} from '../../cluster/maelstrom/index.js';
import {
  SINGLE_KEY,
  indeterminate,
  type Client,
  type ClientOp,
  type ClientOptions,
  type ClientPool,
  type Completion,
} from './client.js';

/** Opens lin-kv clients; each process is client `c<process + 1>` talking to one node. */
export function maelstromClientPool(opts: ClientOptions): ClientPool {
  const links = new Map<string, RelayLink>();
  const linkFor = (url: string): RelayLink => {
    let l = links.get(url);
    if (!l) links.set(url, (l = new RelayLink(url)));
    return l;
  };
  return {
    open(process: number): Client {
      const home = opts.endpoints[process % opts.endpoints.length]!;
      const clientId = `${CLIENT_PREFIX}${process + 1}`;
      let msgId = 0;
      return {
        invoke: (op) => invokeLinKv(linkFor(home.url), home.node, clientId, ++msgId, op, opts.opTimeoutMs),
      };
    },
    close: async () => {
      for (const l of links.values()) l.close();
      links.clear();
    },
  };
}

/** The lin-kv body for an op. */
export function requestBody(op: ClientOp, msgId: number): LinKvRequest {
  const key = op.key ?? SINGLE_KEY;
  switch (op.f) {
    case 'read':
      return { type: 'read', msg_id: msgId, key };
    case 'write':
      return { type: 'write', msg_id: msgId, key, value: op.value };
    case 'cas': {
      const [from, to] = op.value as [unknown, unknown];
      return { type: 'cas', msg_id: msgId, key, from, to };
    }
    default:
      throw new Error(`maelstrom client: lin-kv has no op f='${op.f}'`);
  }
}

/** Sorts a reply body into a completion, as Maelstrom's lin-kv client does. */
export function completionOf(op: ClientOp, reply: Body, node: string): Completion {
  const expected = `${op.f}_ok`;
  if (reply.type === expected) return { type: 'ok', value: op.f === 'read' ? (reply.value ?? null) : op.value, node };
  if (reply.type === 'error') {
    const code = typeof reply.code === 'number' ? reply.code : -1;
    const e = describeError(code);
    const error = `${e.name} (${code})${typeof reply.text === 'string' && reply.text ? `: ${reply.text}` : ''}`;
    if (op.f === 'read' || e.definite) return { type: 'fail', error, node };
    return { type: 'info', error, node };
  }
  return indeterminate(op, `unexpected reply type ${JSON.stringify(reply.type)} to ${op.f}`, node);
}

async function invokeLinKv(
  link: RelayLink,
  node: string,
  clientId: string,
  msgId: number,
  op: ClientOp,
  timeoutMs: number,
): Promise<Completion> {
  const msg: Message = { src: clientId, dest: node, body: requestBody(op, msgId) };
  const r = await link.call(msg, timeoutMs);
  if (r.kind === 'reply') return completionOf(op, r.body, node);
  // A connection that was never made never delivered the request.
  if (r.kind === 'refused') return { type: 'fail', error: r.error, node };
  return indeterminate(op, r.error, node);
}

type CallResult = { kind: 'reply'; body: Body } | { kind: 'refused' | 'lost'; error: string };

/** One client connection to a relay, shared by every process homed on that node. */
class RelayLink {
  private socket: net.Socket | undefined;
  private write: (line: string) => void = () => undefined;
  private connected = false;
  /** `<client id> <msg_id>` -> the waiting call. */
  private readonly pending = new Map<string, (r: CallResult) => void>();

  constructor(private readonly url: string) {}

  call(msg: Message, timeoutMs: number): Promise<CallResult> {
    if (!this.socket || this.socket.destroyed) this.connect();
    const key = `${msg.src} ${msg.body.msg_id}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(key);
        resolve({ kind: 'lost', error: 'timeout' });
      }, timeoutMs);
      this.pending.set(key, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      this.write(JSON.stringify(msg));
    });
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private connect(): net.Socket {
    const u = new URL(this.url);
    const s = net.connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port), noDelay: true });
    this.socket = s;
    this.write = lineWriter(s);
    this.connected = false;
    const hello: Hello = { hello: 'client' };
    s.write(JSON.stringify(hello) + '\n');
    s.on('connect', () => (this.connected = true));
    s.on('error', () => undefined);
    s.on('close', () => {
      if (this.socket === s) this.socket = undefined;
      const kind = this.connected ? 'lost' : 'refused';
      const error = this.connected ? 'connection to the relay lost' : 'connection to the relay refused';
      for (const done of this.pending.values()) done({ kind, error });
      this.pending.clear();
    });
    readLines(s, (line) => {
      let m: Message;
      try {
        m = JSON.parse(line) as Message;
      } catch {
        return;
      }
      const key = `${m.dest} ${m.body?.in_reply_to}`;
      const done = this.pending.get(key);
      if (!done) return; // a reply after the op timed out
      this.pending.delete(key);
      done({ kind: 'reply', body: m.body });
    });
    return s;
  }
}
