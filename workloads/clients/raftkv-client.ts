/**
 * The client for the bundled raftkv over its HTTP API (cluster/raftkv/README.md): GET /kv/:key,
 * PUT /kv/:key, POST /kv/:key/cas. Built to see what a faulty cluster does, as Jepsen's clients:
 * - reads go to the process's own node (spread by process number), so every node, a deposed
 *   leader included, is read from and its answers are recorded; a node that will not serve a
 *   read hands it on once to the leader (the one it names, else the one the pool knows), so every
 *   reader also reads at the leader, and after an outage a read is as likely as a write to be the
 *   first op a new leader serves (after a crash of every node, only such a read shows that
 *   acknowledged writes are gone);
 * - writes and cas go to the last leader any process of the pool saw, follow not-leader redirects,
 *   and fail over fast: a node that gives no answer within FAILOVER_MS ends the op (`info`, it may
 *   have happened) and the next op tries another node, instead of every worker waiting on a
 *   leader that was cut off.
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
import { FAILOVER_MS, LeaderHint, READ_TIMEOUT_MS, hostPortOf, nodeNameFor } from './failover.js';
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
  const leader = new LeaderHint(opts.endpoints);
  let counter = 0;
  return {
    open(process: number): Client {
      const home = opts.endpoints[process % opts.endpoints.length]!;
      const homeAddr = hostPortOf(home.url);
      return {
        invoke: (op) =>
          op.f === 'read'
            ? readAt(http, opts, leader, homeAddr, home.node, op)
            : writeViaLeader(http, opts, leader, op, `c${process}:${counter++}`),
      };
    },
    close: async () => http.close(),
  };
}

/**
 * A read at the process's own node. A node that says it does not lead hands the read on once to
 * the leader it names, or, naming none, to the leader the pool last saw (unless that leader
 * stopped answering writes); a node that thinks it leads answers itself, so a deposed leader's
 * answers are still recorded. A read that is not served fails: it changed nothing.
 */
async function readAt(
  http: LeanHttpClient,
  opts: ClientOptions,
  leader: LeaderHint,
  homeAddr: string,
  homeNode: string,
  op: ClientOp,
): Promise<Completion> {
  const deadline = Date.now() + Math.min(opts.opTimeoutMs, READ_TIMEOUT_MS);
  const key = encodeURIComponent(String(op.key ?? SINGLE_KEY));
  let addr = homeAddr;
  let node = homeNode;
  for (let hop = 0; ; hop++) {
    let res;
    try {
      res = await send(http, addr, key, op, '', Math.max(1, deadline - Date.now()));
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      return { type: 'fail', error: e.kind === 'timeout' ? 'timeout' : e.message, node };
    }
    const body = (res.body ?? {}) as RaftkvAnswer;
    if (res.status === 200) return { type: 'ok', value: body.value ?? null, node };
    const named = res.status === 307 ? body.leader : undefined;
    if (named) leader.saw(named);
    // A node cut off from the leader, or just restarted, names none: the leader the writers found.
    const next = res.status === 307 ? (named ?? leader.known()) : undefined;
    if (!next || next === addr || hop >= 1 || leader.isSuspect(next) || deadline <= Date.now()) {
      return { type: 'fail', error: body.error ?? `http ${res.status}`, node };
    }
    addr = next;
    node = nodeNameFor(opts.endpoints, next) ?? next;
  }
}

/** A write or cas at the leader the pool knows of, following redirects, failing over fast. */
async function writeViaLeader(
  http: LeanHttpClient,
  opts: ClientOptions,
  leader: LeaderHint,
  op: ClientOp,
  requestId: string,
): Promise<Completion> {
  const deadline = Date.now() + opts.opTimeoutMs;
  const key = encodeURIComponent(String(op.key ?? SINGLE_KEY));
  let { addr, node } = leader.current();
  for (let hop = 0; ; hop++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return indeterminate(op, 'timeout', node);
    let res;
    try {
      res = await send(http, addr, key, op, requestId, Math.min(remaining, FAILOVER_MS));
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      leader.failed(addr);
      // A refused connection never reached the server; anything else may have.
      if (e.kind === 'refused') return { type: 'fail', error: e.message, node };
      return indeterminate(op, e.kind === 'timeout' ? 'timeout' : e.message, node);
    }
    const body = (res.body ?? {}) as RaftkvAnswer;
    if (res.status === 200) {
      leader.confirmed(addr);
      return { type: 'ok', value: op.value, node };
    }
    if (res.status === 409) return { type: 'fail', error: body.error ?? 'cas-mismatch', node };
    if (res.status === 307 && body.error === 'not-leader') {
      if (!body.leader || body.leader === addr || leader.isSuspect(body.leader) || hop >= MAX_REDIRECTS) {
        leader.failed(addr, false);
        return { type: 'fail', error: 'not-leader', node };
      }
      leader.saw(body.leader);
      addr = body.leader;
      node = nodeNameFor(opts.endpoints, body.leader) ?? body.leader;
      continue;
    }
    if (body.error === 'leader-lost') leader.failed(addr);
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
