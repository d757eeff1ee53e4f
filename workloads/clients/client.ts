/**
 * A client turns one op into a request to one node and the answer into a completion, as
 * Jepsen's client.clj: `ok` (it happened, with the result), `fail` (it certainly did not happen:
 * refused, precondition failed, a read that got no answer) or `info` (it may have happened: a
 * write or cas that timed out or lost its connection). The runner retires a process after `info`.
 */
import type { Key } from '../../src/history/index.js';

/** An op as the client receives it (the invoke's f, key and value). */
export interface ClientOp {
  f: string;
  key?: Key;
  value?: unknown;
}

/** How an op ended. `node` names the node that answered (or was last tried). */
export interface Completion {
  type: 'ok' | 'fail' | 'info';
  value?: unknown;
  error?: string;
  node?: string;
}

/** One logical process's connection; invoke is never called while a previous invoke is pending. */
export interface Client {
  invoke(op: ClientOp): Promise<Completion>;
}

/** Where a node's DB listens, as the client sees it. */
export interface ClientEndpoint {
  /** Node name, e.g. "n1". */
  node: string;
  /** Base URL, e.g. "http://10.77.0.11:8000". */
  url: string;
}

/** Options every DB client takes. */
export interface ClientOptions {
  endpoints: readonly ClientEndpoint[];
  /** Time an op may take in all, redirects included (`--op-timeout`). */
  opTimeoutMs: number;
}

/** Opens clients for processes and owns what they share (the keep-alive agent). */
export interface ClientPool {
  /** A client for a process; processes are spread over the nodes by number. */
  open(process: number): Client;
  close(): Promise<void>;
}

/** The key single-object workloads use on a keyed store. */
export const SINGLE_KEY = 'register';

/** True for ops that cannot change state, so an unknown outcome is a `fail`. */
export function isReadOnly(op: ClientOp): boolean {
  return op.f === 'read';
}

/** The completion for an op whose outcome is unknown: `fail` for a read, `info` otherwise. */
export function indeterminate(op: ClientOp, error: string, node: string): Completion {
  return { type: isReadOnly(op) ? 'fail' : 'info', error, node };
}
