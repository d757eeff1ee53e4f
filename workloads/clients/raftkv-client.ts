/**
 * The client for the bundled raftkv over its HTTP API (cluster/raftkv/README.md): GET /kv/:key,
 * PUT /kv/:key, POST /kv/:key/cas. A process talks to "its" node (spread by process number) and
 * follows not-leader redirects to the leader the node names, all within one op deadline.
 */
import type http from 'node:http';
import {
  SINGLE_KEY,
  indeterminate,
  type Client,
  type ClientOp,
  type ClientOptions,
  type ClientPool,
  type Completion,
} from './client.js';
import { RequestError, keepAliveAgent, requestJson } from './http-json.js';

/** Redirects one op may follow before it gives up (a leader election can take a few hops). */
const MAX_REDIRECTS = 3;

interface RaftkvAnswer {
  value?: unknown;
  error?: string;
  definite?: boolean;
  leader?: string | null;
  current?: unknown;
}

/** Opens raftkv clients sharing one keep-alive agent. */
export function raftkvClientPool(opts: ClientOptions): ClientPool {
  const agent = keepAliveAgent();
  let counter = 0;
  return {
    open(process: number): Client {
      const home = opts.endpoints[process % opts.endpoints.length]!;
      return {
        invoke: (op) => invokeRaftkv(agent, opts, home.url, home.node, op, `c${process}:${counter++}`),
      };
    },
    close: async () => agent.destroy(),
  };
}

async function invokeRaftkv(
  agent: http.Agent,
  opts: ClientOptions,
  homeUrl: string,
  homeNode: string,
  op: ClientOp,
  requestId: string,
): Promise<Completion> {
  const deadline = Date.now() + opts.opTimeoutMs;
  const key = encodeURIComponent(String(op.key ?? SINGLE_KEY));
  let url = homeUrl;
  let node = homeNode;
  for (let hop = 0; ; hop++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return indeterminate(op, 'timeout', node);
    let res;
    try {
      res = await send(agent, url, key, op, requestId, remaining);
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
      url = `http://${body.leader}`;
      node = nodeNameFor(opts, body.leader) ?? body.leader;
      continue;
    }
    const error = body.error ?? `http ${res.status}`;
    if (body.definite === true) return { type: 'fail', error, node };
    return indeterminate(op, error, node);
  }
}

function send(agent: http.Agent, base: string, key: string, op: ClientOp, requestId: string, timeoutMs: number) {
  switch (op.f) {
    case 'read':
      return requestJson(agent, `${base}/kv/${key}`, 'GET', undefined, timeoutMs);
    case 'write':
      return requestJson(agent, `${base}/kv/${key}`, 'PUT', { value: op.value, requestId }, timeoutMs);
    case 'cas': {
      const [expected, next] = op.value as [unknown, unknown];
      return requestJson(agent, `${base}/kv/${key}/cas`, 'POST', { expected, new: next, requestId }, timeoutMs);
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
