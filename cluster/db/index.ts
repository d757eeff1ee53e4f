/**
 * The bundled DBs (adapters/ makes them adapters), each an implementation of cluster/db.ts acting on nodes only
 * through the runtime: the bundled raftkv and Debian's etcd.
 */
export { RaftkvDb, RAFTKV_CLIENT_PORT, RAFTKV_PEER_PORT, type RaftkvDbOptions } from './raftkv.js';
export { DaemonDb, withTimeout, type DaemonDbConfig } from './daemon-db.js';
export { EtcdDb, ETCD_BINARY, ETCD_CLIENT_PORT, ETCD_PEER_PORT } from './etcd.js';
export { splitbrainRoot } from './project-root.js';

export { probeJson, waitFor } from './http-probe.js';
export { hostPort, nodePort } from './ports.js';
