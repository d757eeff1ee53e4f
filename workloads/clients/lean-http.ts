/**
 * A lean HTTP/1.1 JSON client over raw keep-alive sockets, for clients that send thousands of
 * small requests a second (the raftkv and etcd clients). Node's http.request costs tens of microseconds of
 * JavaScript per request (ClientRequest, agent bookkeeping, header validation, stream plumbing);
 * here a request is one socket write of a prebuilt string and the answer is parsed in place.
 * Errors are sorted by what they imply for the op (see RequestError).
 */
import { connect, type Socket } from 'node:net';
import { RequestError, type JsonResponse } from './request-error.js';

/** Header bytes beyond this mean the peer is not speaking HTTP to us. */
const MAX_HEAD_BYTES = 64 * 1024;

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** One request's answer as it arrives on a connection. */
interface Parsed {
  status: number;
  body: Buffer;
  keepAlive: boolean;
}

/**
 * Incremental parser of one response: status line, headers, then a body framed by
 * Content-Length, chunked transfer coding, or (neither) the end of the connection.
 */
class ResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private head: { status: number; length: number | undefined; chunked: boolean; keepAlive: boolean } | undefined;
  private bodyStart = 0;

  /** Adds bytes; returns the response once complete. Throws on a malformed response. */
  push(chunk: Buffer): Parsed | undefined {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (!this.head) {
      const end = this.buf.indexOf(CRLFCRLF);
      if (end < 0) {
        if (this.buf.length > MAX_HEAD_BYTES) throw new Error('response head too large');
        return undefined;
      }
      this.head = parseHead(this.buf.toString('latin1', 0, end));
      this.bodyStart = end + 4;
    }
    return this.tryBody(false);
  }

  /** The connection ended: a response framed by the end of the connection is complete now. */
  end(): Parsed | undefined {
    return this.head ? this.tryBody(true) : undefined;
  }

  private tryBody(ended: boolean): Parsed | undefined {
    const h = this.head!;
    const { status, keepAlive } = h;
    if (h.length !== undefined) {
      if (this.buf.length - this.bodyStart < h.length) return undefined;
      return { status, keepAlive, body: this.buf.subarray(this.bodyStart, this.bodyStart + h.length) };
    }
    if (h.chunked) {
      const parts: Buffer[] = [];
      let off = this.bodyStart;
      for (;;) {
        const eol = this.buf.indexOf('\r\n', off, 'latin1');
        if (eol < 0) return undefined;
        const size = parseInt(this.buf.toString('latin1', off, eol).split(';')[0]!.trim(), 16);
        if (!Number.isFinite(size) || size < 0) throw new Error('bad chunk size');
        const dataStart = eol + 2;
        if (size === 0) {
          // Last chunk; no trailers are expected, so the message ends at the blank line.
          if (this.buf.length < dataStart + 2) return undefined;
          return { status, keepAlive, body: Buffer.concat(parts) };
        }
        if (this.buf.length < dataStart + size + 2) return undefined;
        parts.push(this.buf.subarray(dataStart, dataStart + size));
        off = dataStart + size + 2;
      }
    }
    if (!ended) return undefined;
    return { status, keepAlive: false, body: this.buf.subarray(this.bodyStart) };
  }
}

function parseHead(text: string): { status: number; length: number | undefined; chunked: boolean; keepAlive: boolean } {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`);
  let length: number | undefined;
  let chunked = false;
  let keepAlive = m[1] === '1';
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') length = Number(value);
    else if (name === 'transfer-encoding') chunked = value.includes('chunked');
    else if (name === 'connection') keepAlive = value.includes('keep-alive') || (keepAlive && !value.includes('close'));
  }
  if (length !== undefined && (!Number.isInteger(length) || length < 0)) throw new Error('bad content-length');
  // A 1xx, 204 or 304 answer has no body (none of which the JSON APIs send, but be exact).
  const status = Number(m[2]);
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) length = 0;
  return { status, length: chunked ? undefined : length, chunked, keepAlive };
}

/**
 * A pool of keep-alive connections per host:port. Each request takes an idle connection (or
 * opens one), writes the whole request at once and gets the connection back when the answer is
 * complete; a connection that timed out, erred or was told to close is destroyed, never reused.
 */
export class LeanHttpClient {
  private readonly idle = new Map<string, Socket[]>();
  private readonly open = new Set<Socket>();
  private closed = false;

  /** Sends `method path` with a JSON body (or none) to host:port and parses the JSON answer. */
  request(
    hostPort: string,
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    body: unknown,
    timeoutMs: number,
  ): Promise<JsonResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${hostPort}\r\nAccept: application/json\r\n`;
    if (payload !== undefined)
      head += `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n`;
    const text = `${head}\r\n${payload ?? ''}`;
    return new Promise<JsonResponse>((resolve, reject) => {
      if (this.closed) return reject(new RequestError('refused', 'client closed'));
      const socket = this.takeIdle(hostPort) ?? this.dial(hostPort);
      const parser = new ResponseParser();
      let done = false;
      const finish = (err: RequestError | undefined, res?: Parsed): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('end', onEnd);
        socket.off('close', onClose);
        socket.off('error', onError);
        socket.off('connect', onConnect);
        if (err || !res) {
          socket.destroy();
          return reject(err ?? new RequestError('connection-lost', 'connection lost'));
        }
        if (res.keepAlive && !this.closed && !socket.destroyed) this.release(hostPort, socket);
        else socket.destroy();
        const textBody = res.body.toString('utf8');
        let parsed: unknown = undefined;
        try {
          parsed = textBody.length > 0 ? JSON.parse(textBody) : undefined;
        } catch {
          parsed = { error: `unparsable answer: ${textBody.slice(0, 100)}` };
        }
        resolve({ status: res.status, body: parsed });
      };
      const onData = (chunk: Buffer): void => {
        let res: Parsed | undefined;
        try {
          res = parser.push(chunk);
        } catch (e) {
          return finish(new RequestError('connection-lost', `bad answer: ${(e as Error).message}`));
        }
        if (res) finish(undefined, res);
      };
      const onEnd = (): void => {
        const res = parser.end();
        if (res) finish(undefined, res);
        else finish(new RequestError('connection-lost', 'connection closed before the answer'));
      };
      const onClose = (): void => finish(new RequestError('connection-lost', 'connection closed before the answer'));
      const onError = (e: NodeJS.ErrnoException): void => {
        if (e.code === 'ECONNREFUSED') finish(new RequestError('refused', 'connection refused'));
        else if ((e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') && socket.connecting)
          finish(new RequestError('refused', `unreachable (${e.code})`));
        else finish(new RequestError('connection-lost', e.code ?? e.message));
      };
      const onConnect = (): void => {
        socket.write(text, 'utf8');
      };
      const timer = setTimeout(
        () => finish(new RequestError('timeout', `no answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      socket.on('data', onData);
      socket.on('end', onEnd);
      socket.on('close', onClose);
      socket.on('error', onError);
      if (socket.connecting) socket.once('connect', onConnect);
      else socket.write(text, 'utf8');
    });
  }

  /** Destroys every connection; later requests are refused. */
  close(): void {
    this.closed = true;
    for (const s of this.open) s.destroy();
    this.open.clear();
    this.idle.clear();
  }

  private dial(hostPort: string): Socket {
    const colon = hostPort.lastIndexOf(':');
    let host = hostPort.slice(0, colon);
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    const socket = connect({ host, port: Number(hostPort.slice(colon + 1)) });
    socket.setNoDelay(true);
    this.open.add(socket);
    socket.on('close', () => {
      this.open.delete(socket);
      this.forget(hostPort, socket);
    });
    // An idle connection the server closes or resets is dropped from the pool by 'close';
    // without a listener an 'error' between requests would be thrown.
    socket.on('error', () => undefined);
    return socket;
  }

  /** The most recently used idle connection to hostPort that is still open, if any. */
  private takeIdle(hostPort: string): Socket | undefined {
    const list = this.idle.get(hostPort);
    for (let s = list?.pop(); s; s = list?.pop()) if (!s.destroyed && s.writable) return s;
    return undefined;
  }

  private release(hostPort: string, socket: Socket): void {
    let list = this.idle.get(hostPort);
    if (!list) this.idle.set(hostPort, (list = []));
    list.push(socket);
  }

  private forget(hostPort: string, socket: Socket): void {
    const list = this.idle.get(hostPort);
    if (!list) return;
    const i = list.indexOf(socket);
    if (i >= 0) list.splice(i, 1);
  }
}
