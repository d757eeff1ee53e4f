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
export {
  EventPairing,
  pairEvents,
  pairOperations,
  type Completion,
  type EventPair,
  type PairedHistory,
  type PairingSink,
  type PairOptions,
} from './pair-events.js';
export { check, checkSync, defaultMemoryLimit, type CheckOptions } from './check.js';
export { checkFeed, type EventFeed } from './check-stream.js';
export { explainCounterexample, type ExplainOptions } from './counterexample.js';
export { counterexampleByPosition, opName } from './op-name.js';
export {
  describeNs,
  describePosition,
  explainObservation,
  headOf,
  listOps,
  refer,
  verdictSentence,
  type ValueRules,
} from './explain-text.js';
export {
  CRASHED,
  fillDefaults,
  partitionByKey,
  type FailureContext,
  type FilledModel,
  type Model,
  type ModelInput,
  type StepResult,
} from './model.js';
export { MODELS, modelByName, casRegister, kv, kvAppend, mutex, register } from './models/index.js';
export { searchLinearization, type SearchLimits, type SearchOutcome, type UnknownReason } from './search.js';
export type { CheckResult, Counterexample, LinearizationStep, Operation, Verdict } from './result.js';
