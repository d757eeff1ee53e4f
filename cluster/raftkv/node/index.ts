/**
 * The raftkv node process: the I/O edge around the pure Raft core. It recovers from a
 * checksummed write-ahead log, feeds the core from a tick timer, a peer transport and a client
 * HTTP API, and handles each Ready in the order the core demands (persist with group-committed
 * fsync, send, apply, serve reads, advance). main.ts is the process entry.
 */
export { type NodeStatus } from './http-api.js';
