/**
 * Maelstrom-protocol nodes under real faults. A Maelstrom node is any program that reads JSON
 * messages on stdin and writes them on stdout (jepsen-io/maelstrom doc/protocol.md). The
 * maelstrom DB runs one per cluster node behind a relay that carries its messages over real
 * TCP, so partitions, packet loss, kills, pauses and clock skew act on them; protocol.ts holds
 * the protocol's words, relay-wire.ts the relay's own.
 */
export { MaelstromDb, type MaelstromDbOptions } from './maelstrom-db.js';
export { CLIENT_PREFIX, describeError, type Body, type LinKvRequest, type Message } from './protocol.js';
export type { Hello } from './relay-wire.js';
export { readLines } from './line-reader.js';
export { lineWriter } from './line-writer.js';
