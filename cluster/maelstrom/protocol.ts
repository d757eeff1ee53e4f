/**
 * Maelstrom's protocol in its own words (jepsen-io/maelstrom doc/protocol.md and the lin-kv
 * section of doc/workloads.md), in one place. A node is any program that reads messages on
 * stdin and writes messages on stdout, one JSON object per line: `{src, dest, body}`. A body
 * has a `type`, optionally a `msg_id` unique on its sender, and for a reply the `in_reply_to`
 * of the request. Nodes are `n1`, `n2`, ...; clients are `c1`, `c2`, ...
 */

/** One message on a node's stdin or stdout. */
export interface Message<B extends Body = Body> {
  src: string;
  dest: string;
  body: B;
}

/** The reserved keys of a body; any others depend on the type. */
export interface Body {
  type: string;
  msg_id?: number;
  in_reply_to?: number;
  [field: string]: unknown;
}

/** The first message every node gets: its own id and every node's, itself included. */
export interface InitBody extends Body {
  type: 'init';
  msg_id: number;
  node_id: string;
  node_ids: string[];
}

/** Asks for the value of `key`; a key never written answers error 20 (key-does-not-exist). */
export interface ReadBody extends Body {
  type: 'read';
  key: unknown;
}
/** Sets `key` to `value`, creating it if need be. */
export interface WriteBody extends Body {
  type: 'write';
  key: unknown;
  value: unknown;
}
/** Sets `key` to `to` if it is `from`; error 22 when it is not, 20 when the key does not exist. */
export interface CasBody extends Body {
  type: 'cas';
  key: unknown;
  from: unknown;
  to: unknown;
  /** lin-kv's option: a cas on a missing key creates it instead of answering error 20. */
  create_if_not_exists?: boolean;
}
/** The lin-kv request bodies a client sends. */
export type LinKvRequest = ReadBody | WriteBody | CasBody;

/** The answer to a read: the key's current value. */
export interface ReadOkBody extends Body {
  type: 'read_ok';
  in_reply_to: number;
  value: unknown;
}
/** The answers to init, write and cas carry nothing but `in_reply_to`. */
export interface AckBody extends Body {
  type: 'init_ok' | 'write_ok' | 'cas_ok';
  in_reply_to: number;
}

/** An error reply: a `code` from ERRORS (or the node's own, 1000 and up) and optional `text`. */
export interface ErrorBody extends Body {
  type: 'error';
  code: number;
  text?: string;
}

/** What an error code means, as protocol.md's table says. */
export interface ErrorCode {
  code: number;
  name: string;
  /** True when the operation certainly did not happen and never will; false when it may have. */
  definite: boolean;
}

/**
 * Maelstrom's defined errors (protocol.md's table, with the lin-kv codes 20-22 of workloads.md).
 * A code not listed here is indefinite, as Maelstrom's client treats unknown codes.
 */
export const ERRORS: readonly ErrorCode[] = [
  { code: 0, name: 'timeout', definite: false },
  { code: 1, name: 'node-not-found', definite: true },
  { code: 10, name: 'not-supported', definite: true },
  { code: 11, name: 'temporarily-unavailable', definite: true },
  { code: 12, name: 'malformed-request', definite: true },
  { code: 13, name: 'crash', definite: false },
  { code: 14, name: 'abort', definite: true },
  { code: 20, name: 'key-does-not-exist', definite: true },
  { code: 21, name: 'key-already-exists', definite: true },
  { code: 22, name: 'precondition-failed', definite: true },
  { code: 30, name: 'txn-conflict', definite: true },
];

/** Error codes by name, for the places that send one. */
export const ERROR = {
  timeout: 0,
  nodeNotFound: 1,
  notSupported: 10,
  temporarilyUnavailable: 11,
  malformedRequest: 12,
  crash: 13,
  abort: 14,
  keyDoesNotExist: 20,
  keyAlreadyExists: 21,
  preconditionFailed: 22,
  txnConflict: 30,
} as const;

const BY_CODE = new Map(ERRORS.map((e) => [e.code, e]));

/** The table entry for a code; an unknown code is named `error-<code>` and indefinite. */
export function describeError(code: number): ErrorCode {
  return BY_CODE.get(code) ?? { code, name: `error-${code}`, definite: false };
}

/**
 * Maelstrom's own services (a node may call them as if they were nodes). splitbrain does not
 * offer them: a node that sends to one gets error 10 (not-supported) and the run log says so.
 */
export const SERVICES = ['lin-kv', 'seq-kv', 'lww-kv', 'lin-tso'] as const;

/** The `src` of the init message (a client id no splitbrain client uses). */
export const INIT_CLIENT = 'c0';
/** The prefix of client ids (`c1`, `c2`, ...). */
export const CLIENT_PREFIX = 'c';

/** Builds the init body for `nodeId` in a cluster of `nodeIds`. */
export function initBody(msgId: number, nodeId: string, nodeIds: readonly string[]): InitBody {
  return { type: 'init', msg_id: msgId, node_id: nodeId, node_ids: [...nodeIds] };
}

/** Parses one line a node printed; throws saying why when it is not a message. */
export function parseMessage(line: string): Message {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    throw new Error(`not JSON: ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    throw new Error(`not a JSON object: ${line.slice(0, 200)}`);
  const { src, dest, body } = m as Partial<Message>;
  if (typeof src !== 'string' || typeof dest !== 'string')
    throw new Error(`a message needs string src and dest: ${line.slice(0, 200)}`);
  if (typeof body !== 'object' || body === null || typeof (body as Body).type !== 'string')
    throw new Error(`a message needs a body with a string type: ${line.slice(0, 200)}`);
  return m as Message;
}
