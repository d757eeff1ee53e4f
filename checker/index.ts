/**
 * The linearizability checker. A history is linearizable when every operation can be given one
 * instant between its invoke and its completion such that, taken in that order, the operations
 * make sense to a single-copy object (the model). `check` searches for such an order with the
 * Wing & Gong algorithm plus Lowe's memoization, key by key for keyed models, and reports valid,
 * invalid (with a counterexample) or unknown (a budget ran out; never a guess).
 *
 * It stands alone, as Porcupine does: it defines the events, operations and models it checks,
 * pairs events into operations itself, and imports nothing from the rest of splitbrain.
 */
export type { EventType, HistoryEvent, Key, Process } from './event.js';
export { MalformedHistoryError } from './malformed-history-error.js';
export { pairEvents } from './pair-events.js';
export { check, checkSync, type CheckOptions } from './check.js';
export { checkFeed } from './check-stream.js';
export { explainCounterexample } from './counterexample.js';
export { counterexampleByPosition, opName } from './op-name.js';
export { describeNs, describePosition, explainObservation, listOps, refer, type ValueRules } from './explain-text.js';
export { CRASHED, fillDefaults, type FailureContext, type Model, type ModelInput, type StepResult } from './model.js';
export { MODELS, modelByName } from './models/index.js';
export {
  type CheckResult,
  type Counterexample,
  type InvalidKey,
  type LinearizationStep,
  type Operation,
  type Verdict,
} from './result.js';
