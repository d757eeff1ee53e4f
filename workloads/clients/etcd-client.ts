/**
 * The client for etcd 3.4 over its v3 JSON gateway: read = range, write = put, cas = a txn that
 * compares the value and puts on success. Keys and values travel base64-encoded; values are the
 * JSON text of the small integers the workloads use. Reads are linearizable (etcd's default) unless
 * asked to be serializable: then the node that gets the range answers from its own copy without
 * asking the quorum, so a node cut off from the majority keeps serving stale values.
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

/** The read consistencies etcd's range offers (`--read-consistency`); the first is the default. */
export const ETCD_READ_CONSISTENCIES = ['linearizable', 'serializable'] as const;

/** One of etcd's read consistencies. */
export type EtcdReadConsistency = (typeof ETCD_READ_CONSISTENCIES)[number];

/** Options of the etcd client: the common ones and how reads are served. */
export interface EtcdClientOptions extends ClientOptions {
  /** `serializable` sends ranges with `serializable: true` (local, possibly stale). Default linearizable. */
  readConsistency?: EtcdReadConsistency;
}

/** Opens etcd clients sharing one pool of keep-alive connections. */
export function etcdClientPool(opts: EtcdClientOptions): ClientPool {
  const http = new LeanHttpClient();
  const serializable = opts.readConsistency === 'serializable';
  return {
    open(process: number): Client {
      const home = opts.endpoints[process % opts.endpoints.length]!;
      const hostPort = new URL(home.url).host;
      return { invoke: (op) => invokeEtcd(http, opts.opTimeoutMs, hostPort, home.node, op, serializable) };
    },
    close: async () => http.close(),
  };
}

async function invokeEtcd(
  http: LeanHttpClient,
  timeoutMs: number,
  hostPort: string,
  node: string,
  op: ClientOp,
  serializable: boolean,
): Promise<Completion> {
  const key = b64(`splitbrain/${String(op.key ?? SINGLE_KEY)}`);
  let res;
  try {
    res = await http.request(hostPort, 'POST', pathFor(op), bodyFor(op, key, serializable), timeoutMs);
  } catch (e) {
    if (!(e instanceof RequestError)) throw e;
    if (e.kind === 'refused') return { type: 'fail', error: e.message, node };
    return indeterminate(op, e.kind === 'timeout' ? 'timeout' : e.message, node);
  }
  const body = (res.body ?? {}) as EtcdAnswer;
  if (res.status !== 200) return indeterminate(op, body.error ?? body.message ?? `http ${res.status}`, node);
  switch (op.f) {
    case 'read': {
      const raw = body.kvs?.[0]?.value;
      return { type: 'ok', value: raw === undefined ? null : (JSON.parse(unb64(raw)) as unknown), node };
    }
    case 'write':
      return { type: 'ok', value: op.value, node };
    default:
      return body.succeeded === true
        ? { type: 'ok', value: op.value, node }
        : { type: 'fail', error: 'cas-mismatch', node };
  }
}

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
