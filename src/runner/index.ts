/**
 * The runner: drives one test (test-spec.ts) through its phases, from a fresh cluster to a
 * verdict, recording every op as it happens and always tearing down. The generator interpreter
 * and the live view live here too.
 */
export type { TestOptions, TestSpec } from './test-spec.js';
export { runTest, PHASE_TIMEOUTS, type RunIo, type RunOutcome } from './run-test.js';
export { interpret, type InterpretOptions } from './interpreter.js';
export { Recorder, type RecorderCounts } from './recorder.js';
export { startLiveView, type LiveSource, type LiveView } from './live-view.js';
export { InfrastructureError, RunRefusedError, withPhaseTimeout } from './errors.js';
export { splitbrainVersion, versions } from './versions.js';
