/**
 * The key-value state machine replicated by Raft: committed entries carry JSON commands (write,
 * compare-and-set) with client request ids, and applying them in log order gives every replica
 * the same map and the same answers. Reads are served from it after a ReadIndex. Used by the
 * node process and by the simulator alike.
 */
export { KvStateMachine } from './state-machine.js';
export { encodeCommand, type KvCommand, type ApplyResult } from './command.js';
