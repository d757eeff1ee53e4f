/**
 * The client for etcd 3.4 over its v3 JSON gateway: read = range, write = put, cas = a txn that
 * compares the value and puts on success. Keys and values travel base64-encoded; values are the
 * JSON text of the small integers the workloads use. Reads are linearizable (etcd's default) unless
 * asked to be serializable: then the node that gets the range answers from its own copy without
 * asking the quorum, so a node cut off from the majority keeps serving stale values.
 *
 * Ops are aimed as the raftkv client aims them (failover.ts): reads at the process's own node, so
 * every member's answers are recorded; writes and cas at the last member that took a write (any
 * member forwards proposals to its leader, so one that answers is attached to a quorum), failing
 * over after ETCD_WAIT_MS from a member that does not answer, instead of each writer homed on a
 * cut-off member hanging there for the whole op timeout.
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
import { LeaderHint, hostPortOf } from './failover.js';
import { LeanHttpClient } from './lean-http.js';
import { RequestError } from './request-error.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

interface EtcdAnswer {
  kvs?: { value?: string }[];
  succeeded?: boolean;
  error?: string;
  message?: string;
  code?: number;
}

/**
 * How long an op waits for a member before it gives up on it, ms: etcd's election timeout as
 * cluster/db/etcd.ts sets it (1 s). raftkv's clients give up after 400 ms (failover.ts), but etcd
 * fsyncs every commit, and on a loaded machine its slowest ordinary writes took 300-400 ms: at
 * 400 ms over a third of the writes of a run ended `info`, each an op the checker must place
 * anywhere later, which blunts it. When the member cut off is the leader, no other member commits
 * anything before an election timeout has passed anyway. Reads wait as long: a linearizable range
 * waits for a quorum round and the apply as a write does.
 */
const ETCD_WAIT_MS = 1000;

/** The read consistencies etcd's range offers (`--read-consistency`); the first is the default. */
export const ETCD_READ_CONSISTENCIES = ['linearizable', 'serializable'] as const;

/** One of etcd's read consistencies. */
export type EtcdReadConsistency = (typeof ETCD_READ_CONSISTENCIES)[number];

/** Options of the etcd client: the common ones and how reads are served. */
export interface EtcdClientOptions extends ClientOptions {
  /** `serializable` sends ranges with `serializable: true` (local, possibly stale). Default linearizable. */
  readConsistency?: EtcdReadConsistency;
}

/** Opens etcd clients sharing one pool of keep-alive connections and one idea of where writes go. */
export function etcdClientPool(opts: EtcdClientOptions): ClientPool {
  const http = new LeanHttpClient();
  const writeTo = new LeaderHint(opts.endpoints);
  const serializable = opts.readConsistency === 'serializable';
  return {
    open(process: number): Client {
      const home = opts.endpoints[process % opts.endpoints.length]!;
      const homeAddr = hostPortOf(home.url);
      return {
        invoke: (op) =>
          op.f === 'read'
            ? readAt(http, Math.min(opts.opTimeoutMs, ETCD_WAIT_MS), homeAddr, home.node, op, serializable)
            : writeAtLeader(http, opts.opTimeoutMs, writeTo, op),
      };
    },
    close: async () => http.close(),
  };
}

/** A range at one member: anything but an answer is a `fail`, since a read changes nothing. */
async function readAt(
  http: LeanHttpClient,
  timeoutMs: number,
  addr: string,
  node: string,
  op: ClientOp,
  serializable: boolean,
): Promise<Completion> {
  let res;
  try {
    res = await http.request(addr, 'POST', pathFor(op), bodyFor(op, keyOf(op), serializable), timeoutMs);
  } catch (e) {
    if (!(e instanceof RequestError)) throw e;
    return { type: 'fail', error: e.kind === 'timeout' ? 'timeout' : e.message, node };
  }
  const body = (res.body ?? {}) as EtcdAnswer;
  if (res.status !== 200) return { type: 'fail', error: errorOf(body, res.status), node };
  const raw = body.kvs?.[0]?.value;
  return { type: 'ok', value: raw === undefined ? null : (JSON.parse(unb64(raw)) as unknown), node };
}

/**
 * A put or cas txn at the member that last took a write. A member that gives no answer within
 * ETCD_WAIT_MS (or an error) is passed over by the next write; the op is `info` unless the
 * connection was refused, since etcd may still commit a proposal it did not confirm.
 */
async function writeAtLeader(
  http: LeanHttpClient,
  opTimeoutMs: number,
  writeTo: LeaderHint,
  op: ClientOp,
): Promise<Completion> {
  const { addr, node } = writeTo.current();
  let res;
  try {
    res = await http.request(
      addr,
      'POST',
      pathFor(op),
      bodyFor(op, keyOf(op), false),
      Math.min(opTimeoutMs, ETCD_WAIT_MS),
    );
  } catch (e) {
    if (!(e instanceof RequestError)) throw e;
    writeTo.failed(addr);
    if (e.kind === 'refused') return { type: 'fail', error: e.message, node };
    return indeterminate(op, e.kind === 'timeout' ? 'timeout' : e.message, node);
  }
  const body = (res.body ?? {}) as EtcdAnswer;
  if (res.status !== 200) {
    writeTo.failed(addr);
    return indeterminate(op, errorOf(body, res.status), node);
  }
  writeTo.confirmed(addr);
  if (op.f === 'write' || body.succeeded === true) return { type: 'ok', value: op.value, node };
  return { type: 'fail', error: 'cas-mismatch', node };
}

const keyOf = (op: ClientOp): string => b64(`splitbrain/${String(op.key ?? SINGLE_KEY)}`);

const errorOf = (body: EtcdAnswer, status: number): string => body.error ?? body.message ?? `http ${status}`;

function pathFor(op: ClientOp): string {
  switch (op.f) {
    case 'read':
      return '/v3/kv/range';
    case 'write':
      return '/v3/kv/put';
    case 'cas':
      return '/v3/kv/txn';
    default:
      throw new Error(`etcd client: unsupported op f='${op.f}'`);
  }
}

function bodyFor(op: ClientOp, key: string, serializable: boolean): unknown {
  switch (op.f) {
    case 'read':
      return serializable ? { key, serializable: true } : { key };
    case 'write':
      return { key, value: b64(JSON.stringify(op.value)) };
    default: {
      const [expected, next] = op.value as [unknown, unknown];
      return {
        compare: [{ key, target: 'VALUE', result: 'EQUAL', value: b64(JSON.stringify(expected)) }],
        success: [{ request_put: { key, value: b64(JSON.stringify(next)) } }],
      };
    }
  }
}
