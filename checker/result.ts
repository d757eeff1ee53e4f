/**
 * What a check returns. This is the contract between the checker, the CLI (`--json`), the
 * runner's results.json and the HTML report. Extend it compatibly.
 */
import type { Key } from './event.js';

/** Like Porcupine's CheckResult: Ok / Illegal / Unknown. Unknown is never a guess. */
export type Verdict = true | false | 'unknown';

/**
 * One client operation, paired from its invoke and completion events. Crashed ops (`info`, or
 * no completion) have `return: null`, meaning "may take effect at any time after `call`".
 */
export interface Operation {
  /** Dense id within the checked history, in invoke order. */
  id: number;
  process: number;
  f: string;
  key?: Key;
  /** The invoke's `value`. */
  input: unknown;
  /** The ok's `value`; undefined for crashed ops. */
  output?: unknown;
  status: 'ok' | 'info';
  /** `time` of the invoke event (ns). */
  call: number;
  /** `time` of the completion (ns), or null when crashed. */
  return: number | null;
  /** `index` (line position) of the invoke and completion events in the source file. */
  invokeIndex: number;
  completeIndex?: number;
  node?: string;
  error?: string;
}

/** One step of a linearization: the op taken and the model state after it. */
export interface LinearizationStep {
  op: number;
  stateAfter: string;
}

export interface Counterexample {
  /** The key whose sub-history is not linearizable (keyed models). */
  key?: Key;
  /** Every op of that key (or of the whole history, when not keyed). */
  ops: Operation[];
  /** The op that cannot be linearized after the longest prefix found. */
  failedOp: number;
  /** The longest linearizable prefix found, in linearization order. */
  prefix: LinearizationStep[];
  /** Ops concurrent with the failed op (their intervals overlap it). */
  concurrent: number[];
  /**
   * One paragraph, in plain language, on why the failed op is impossible. The checker writes it
   * when it is first read, not during the check (see buildCounterexample); to a reader, and to
   * JSON, it is a plain string.
   */
  explanation: string;
}

/** One key whose sub-history is not linearizable, and the op its search could not linearize. */
export interface InvalidKey {
  /** Absent for a model that is not keyed (the whole history is the one part). */
  key?: Key;
  /** The op the search could not linearize after the longest prefix it found (a counterexample's failed op). */
  failed: Operation;
}

export interface CheckResult {
  file?: string;
  model: string;
  valid: Verdict;
  /** Client ops checked (after pairing; before dropping fails). */
  ops: number;
  /** Check time alone, parse excluded. */
  ms: number;
  /** Number of independent keys checked (keyed models). */
  keys?: number;
  /** Why the verdict is unknown: 'time-limit' or 'memory-limit'. */
  reason?: string;
  counterexample?: Counterexample;
  /**
   * With `everyKey`: every key found not linearizable, in key order (the counterexample is of the
   * first). Keys whose search ran out of time or memory are not in it.
   */
  invalidKeys?: InvalidKey[];
  /** Worker threads that searched the hardest parts, when any did (keyed models). */
  workers?: number;
  /** Non-fatal problems found while reading the history (e.g. a torn last line). */
  warnings?: string[];
}
