/**
 * The deterministic simulator: many seeded schedules of a whole raftkv cluster in one process.
 * Nodes run the real core and KV state machine over a simulated network and disk; a nemesis
 * partitions, drops, delays and crashes; clients record a history. Each run is judged by Raft's
 * five safety properties as it goes and, at the end, by a judge the caller passes (the toolkit's
 * linearizability checker, src/sim), so raftkv stays free of the toolkit. Same seed, same run:
 * nothing here reads a clock or Math.random.
 */
export { type Judge, type Judgement } from './run.js';
export { runSeeds, describeFailure } from './seeds.js';
export { type SimEvent } from './history.js';
