import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** An HTTP answer: status, JSON body, extra headers. */
export interface HttpReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The body of `GET /status`: this node's view of the cluster, read by readiness checks and leader lookups. */
export interface NodeStatus {
  id: string;
  term: number;
  lead: string | null;
  role: string;
  commit: number;
  applied: number;
  /** The leader's client address (HOST:PORT), when known. */
  leaderAddr: string | null;
  lastIndex: number;
  snapshotIndex: number;
  walBytes: number;
  walSyncs: number;
  droppedFrames: number;
  bugs: string[];
}

/** The node operations behind the client API; each resolves to the exact answer to send. */
export interface KvService {
  get(key: string): Promise<HttpReply>;
  put(key: string, value: unknown, requestId: string): Promise<HttpReply>;
  cas(key: string, expected: unknown, next: unknown, requestId: string): Promise<HttpReply>;
  status(): NodeStatus;
  /** True once the node has recovered and its listeners are up. */
  serving(): boolean;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
let generatedIds = 0;

function reply(res: ServerResponse, r: HttpReply): void {
  const body = JSON.stringify(r.body);
  res.writeHead(r.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...r.headers,
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > MAX_BODY_BYTES) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const bad = (msg: string): HttpReply => ({ status: 400, body: { error: msg, definite: true } });

/** Routes one request to the service; malformed requests get 400 with definite=true. */
async function route(svc: KvService, req: IncomingMessage, nodeId: string): Promise<HttpReply> {
  const url = new URL(req.url ?? '/', 'http://x');
  const parts = url.pathname.split('/').filter((p) => p.length > 0);
  if (req.method === 'GET' && url.pathname === '/status') return { status: 200, body: svc.status() };
  if (req.method === 'GET' && url.pathname === '/health')
    return svc.serving()
      ? { status: 200, body: { ok: true } }
      : { status: 503, body: { error: 'starting', definite: true } };
  if (parts[0] !== 'kv' || parts.length < 2 || parts.length > 3)
    return { status: 404, body: { error: 'no such route', definite: true } };
  let key: string;
  try {
    key = decodeURIComponent(parts[1]!);
  } catch {
    return bad('bad key encoding');
  }
  if (parts.length === 2 && req.method === 'GET') return svc.get(key);
  const isPut = parts.length === 2 && req.method === 'PUT';
  const isCas = parts.length === 3 && parts[2] === 'cas' && req.method === 'POST';
  if (!isPut && !isCas) return { status: 405, body: { error: 'method not allowed', definite: true } };
  let body: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(await readBody(req));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return bad('body must be a JSON object');
    body = parsed as Record<string, unknown>;
  } catch (e) {
    return bad(`bad body: ${(e as Error).message}`);
  }
  const requestId =
    typeof body.requestId === 'string' && body.requestId.length > 0
      ? body.requestId
      : `${nodeId}-anon-${++generatedIds}-${Date.now()}`;
  if (isPut) {
    if (!('value' in body)) return bad('PUT body needs "value"');
    return svc.put(key, body.value ?? null, requestId);
  }
  if (!('expected' in body) || !('new' in body)) return bad('cas body needs "expected" and "new"');
  return svc.cas(key, body.expected ?? null, body.new ?? null, requestId);
}

/** Starts the client HTTP/1.1 JSON server (keep-alive) on host:port. */
export async function startHttpApi(svc: KvService, nodeId: string, host: string, port: number): Promise<Server> {
  const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (req, res) => {
    route(svc, req, nodeId).then(
      (r) => {
        // A redirect names the same path on the leader.
        if (r.status === 307 && r.headers?.location)
          r.headers = { ...r.headers, location: r.headers.location + (req.url ?? '/') };
        reply(res, r);
      },
      (e: unknown) => reply(res, { status: 500, body: { error: String((e as Error)?.message ?? e), definite: false } }),
    );
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
