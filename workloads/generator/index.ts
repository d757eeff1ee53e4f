/**
 * Generators and their combinators: schedules of ops built as values (see generator.ts).
 */
export type { GenContext, GenEvent, GenOp, GenResult, Generator, Worker } from './generator.js';
export { restrictContext } from './generator.js';
export { repeat, sequence, empty, timeline, type OpSource, type TimedOp } from './basic.js';
export { budget, limit } from './limit.js';
export { stagger } from './stagger.js';
export { timeLimit } from './time-limit.js';
export { mix } from './mix.js';
export { phases } from './phases.js';
export { independent, type IndependentOptions } from './independent.js';
export { seedRandom, nextRandom, nextInt, createRng, resumeRng, type RandomState, type Rng } from './random.js';
export { withNemesis, NEMESIS_THREAD, NEMESIS_WORKER } from './nemesis.js';
