/**
 * Maelstrom-protocol nodes under real faults. A Maelstrom node is any program that reads JSON
 * messages on stdin and writes them on stdout (jepsen-io/maelstrom doc/protocol.md). The
 * maelstrom DB runs one per cluster node behind a relay that carries its messages over real
 * TCP, so partitions, packet loss, kills, pauses and clock skew act on them; protocol.ts holds
 * the protocol's words, relay-wire.ts the relay's own.
 */
export { MaelstromDb, CONTAINER_BIN_DIR, type MaelstromDbOptions } from './maelstrom-db.js';
export {
  CLIENT_PREFIX,
  ERROR,
  ERRORS,
  SERVICES,
  describeError,
  parseMessage,
  type AckBody,
  type Body,
  type CasBody,
  type ErrorBody,
  type ErrorCode,
  type InitBody,
  type LinKvRequest,
  type Message,
  type ReadBody,
  type ReadOkBody,
  type WriteBody,
} from './protocol.js';
export { RELAY_PORT, type Hello, type RelayConfig } from './relay-wire.js';
export { readLines } from './line-reader.js';
export { lineWriter, type LineWriter } from './line-writer.js';
