/**
 * Generators and their combinators: schedules of ops built as values (see generator.ts).
 */
export type { GenContext, GenEvent, GenOp, GenResult, Generator, Worker } from './generator.js';
export { restrictContext } from './generator.js';
export { repeat, sequence, empty, type OpSource } from './basic.js';
export { limit } from './limit.js';
export { stagger } from './stagger.js';
export { timeLimit } from './time-limit.js';
export { mix } from './mix.js';
export { phases } from './phases.js';
export { independent, type IndependentOptions } from './independent.js';
export { seedRandom, nextRandom, nextInt, type RandomState } from './random.js';
