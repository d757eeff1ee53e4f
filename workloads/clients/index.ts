/**
 * Clients, one per DB: raftkv over its HTTP API, etcd over its v3 JSON gateway, and Maelstrom
 * lin-kv nodes through their relays.
 */
export {
  SINGLE_KEY,
  isReadOnly,
  indeterminate,
  type Client,
  type ClientEndpoint,
  type ClientOp,
  type ClientOptions,
  type ClientPool,
  type Completion,
} from './client.js';
export { raftkvClientPool } from './raftkv-client.js';
export { maelstromClientPool, completionOf, requestBody } from './maelstrom-client.js';
export {
  ETCD_READ_CONSISTENCIES,
  etcdClientPool,
  type EtcdClientOptions,
  type EtcdReadConsistency,
} from './etcd-client.js';
export { RequestError, type JsonResponse } from './request-error.js';
export { LeanHttpClient } from './lean-http.js';
