/**
 * The raftkv node process: the I/O edge around the pure Raft core. It recovers from a
 * checksummed write-ahead log, feeds the core from a tick timer, a peer transport and a client
 * HTTP API, and handles each Ready in the order the core demands (persist with group-committed
 * fsync, send, apply, serve reads, advance). main.ts is the process entry.
 */
export { RaftKvNode } from './node.js';
export { parseNodeArgs, ArgsError, USAGE, type NodeArgs } from './args.js';
export { Wal, type RecoveredState } from './wal.js';
export {
  encodeRecord,
  decodeRecords,
  replayRecords,
  type WalRecord,
  type DecodedWal,
  type ReplayedLog,
} from './wal-record.js';
export { Transport, type TransportOptions } from './transport.js';
export { startHttpApi, type HttpReply, type KvService, type NodeStatus } from './http-api.js';
export { crc32 } from './crc32.js';
