/**
 * A small JSON-over-HTTP request with a hard deadline and errors sorted by what they imply: was
 * the request certainly never received (connection refused), or may it have been (timeout, reset)?
 */
import http from 'node:http';

/** The answer of a request that got one. */
export interface JsonResponse {
  status: number;
  body: unknown;
}

/** Why a request got no answer. `refused` means the server certainly never saw it. */
export class RequestError extends Error {
  constructor(
    readonly kind: 'refused' | 'timeout' | 'connection-lost',
    message: string,
  ) {
    super(message);
  }
}

/** Sends one request with a JSON body (or none) and parses the JSON answer; rejects with RequestError. */
export function requestJson(
  agent: http.Agent,
  url: string,
  method: 'GET' | 'PUT' | 'POST',
  body: unknown,
  timeoutMs: number,
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    let done = false;
    const finish = (err: RequestError | undefined, res?: JsonResponse): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(res!);
    };
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => finish(new RequestError('connection-lost', 'connection lost while reading the answer')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = undefined;
        try {
          parsed = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          parsed = { error: `unparsable answer: ${text.slice(0, 100)}` };
        }
        finish(undefined, { status: res.statusCode ?? 0, body: parsed });
      });
    });
    const timer = setTimeout(() => {
      finish(new RequestError('timeout', `no answer within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish(new RequestError('refused', 'connection refused'));
      else if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH')
        finish(new RequestError('refused', `unreachable (${e.code})`));
      else finish(new RequestError('connection-lost', e.code ?? e.message));
    });
    req.end(payload);
  });
}

/** A keep-alive agent for one client pool: sockets are reused across ops, as a real client would. */
export function keepAliveAgent(maxSockets = 256): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
}
