/**
 * The runner: drives one test (test-spec.ts) through its phases, from a fresh cluster to a
 * verdict, recording every op as it happens and always tearing down. The generator interpreter
 * and the live view live here too.
 */
export { type TestOptions, type TestSpec } from './test-spec.js';
export { runTest, type RunIo, type RunOutcome } from './run-test.js';
export { InfrastructureError } from './errors.js';
export { splitbrainVersion } from './versions.js';
