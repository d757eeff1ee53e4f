/**
 * The client for the bundled raftkv over its HTTP API (cluster/raftkv/README.md): GET /kv/:key,
 * PUT /kv/:key, POST /kv/:key/cas. A process talks to "its" node (spread by process number) and
 * follows not-leader redirects to the leader the node names, all within one op deadline.
 */
import {
  SINGLE_KEY,
  indeterminate,
  type Client,
  type ClientOp,
  type ClientOptions,
  type ClientPool,
  type Completion,
} from './client.js';
import { RequestError } from './request-error.js';
import { LeanHttpClient } from './lean-http.js';

/** Redirects one op may follow before it gives up (a leader election can take a few hops). */
const MAX_REDIRECTS = 3;

interface RaftkvAnswer {
  value?: unknown;
  error?: string;
  definite?: boolean;
  leader?: string | null;
  current?: unknown;
}

/**
 * Opens raftkv clients sharing one pool of keep-alive connections (a lean HTTP/1.1 client: at
 * thousands of ops a second, Node's http.request machinery was most of the runner's CPU).
 */
export function raftkvClientPool(opts: ClientOptions): ClientPool {
  const http = new LeanHttpClient();
  let counter = 0;
  return {
    open(process: number): Client {
      const home = opts.endpoints[process % opts.endpoints.length]!;
      const homeAddr = hostPortOf(home.url);
      return {
        invoke: (op) => invokeRaftkv(http, opts, homeAddr, home.node, op, `c${process}:${counter++}`),
      };
    },
    close: async () => http.close(),
  };
}

/** The host:port of a base URL such as "http://10.77.0.11:8000" (port 80 when none is given). */
function hostPortOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.includes(':') && !u.hostname.startsWith('[') ? `[${u.hostname}]` : u.hostname}:${u.port || '80'}`;
}

async function invokeRaftkv(
  http: LeanHttpClient,
  opts: ClientOptions,
  homeAddr: string,
  homeNode: string,
  op: ClientOp,
  requestId: string,
): Promise<Completion> {
  const deadline = Date.now() + opts.opTimeoutMs;
  const key = encodeURIComponent(String(op.key ?? SINGLE_KEY));
  let addr = homeAddr;
  let node = homeNode;
  for (let hop = 0; ; hop++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return indeterminate(op, 'timeout', node);
    let res;
    try {
      res = await send(http, addr, key, op, requestId, remaining);
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      // A refused connection never reached the server; anything else may have.
      if (e.kind === 'refused') return { type: 'fail', error: e.message, node };
      return indeterminate(op, e.kind === 'timeout' ? 'timeout' : e.message, node);
    }
    const body = (res.body ?? {}) as RaftkvAnswer;
    if (res.status === 200) return { type: 'ok', value: okValue(op, body), node };
    if (res.status === 409) return { type: 'fail', error: body.error ?? 'cas-mismatch', node };
    if (res.status === 307 && body.error === 'not-leader') {
      if (!body.leader || hop >= MAX_REDIRECTS) return { type: 'fail', error: 'not-leader', node };
      addr = body.leader;
      node = nodeNameFor(opts, body.leader) ?? body.leader;
      continue;
    }
    const error = body.error ?? `http ${res.status}`;
    if (body.definite === true) return { type: 'fail', error, node };
    return indeterminate(op, error, node);
  }
}

function send(http: LeanHttpClient, addr: string, key: string, op: ClientOp, requestId: string, timeoutMs: number) {
  switch (op.f) {
    case 'read':
      return http.request(addr, 'GET', `/kv/${key}`, undefined, timeoutMs);
    case 'write':
      return http.request(addr, 'PUT', `/kv/${key}`, { value: op.value, requestId }, timeoutMs);
    case 'cas': {
      const [expected, next] = op.value as [unknown, unknown];
      return http.request(addr, 'POST', `/kv/${key}/cas`, { expected, new: next, requestId }, timeoutMs);
    }
    default:
      throw new Error(`raftkv client: unsupported op f='${op.f}'`);
  }
}

function okValue(op: ClientOp, body: RaftkvAnswer): unknown {
  if (op.f === 'read') return body.value ?? null;
  return op.value;
}

function nodeNameFor(opts: ClientOptions, hostPort: string): string | undefined {
  return opts.endpoints.find((e) => e.url === `http://${hostPort}`)?.node;
}
