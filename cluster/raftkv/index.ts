/**
 * raftkv: the Raft key-value store splitbrain ships to test. The core is a deterministic Raft
 * state machine, kv is the replicated map, node is the durable process around them and sim
 * runs a whole cluster in one process under seeded faults. Nothing here imports the rest of
 * the toolkit except the simulator, which hands its history to the checker.
 */
export * from './core/index.js';
export * from './kv/index.js';
