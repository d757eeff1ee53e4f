/**
 * What a model is: a sequential specification of one object, which the search replays candidate
 * orders against. A model never mutates a state; `step` returns a new one, so the search can keep
 * every state it has passed through on its stack and in its cache.
 */
import type { Key } from './event.js';
import type { Operation } from './result.js';
import { hashValue, sameValue } from './values.js';

/**
 * The `output` passed to `step` for a crashed op (`info` or no completion): its result is
 * unknown, so the model must accept any result and apply the op's effect as if it happened now.
 * (JSON has no undefined, but an `ok` may carry no value, so crashed needs its own marker.)
 */
export const CRASHED: unique symbol = Symbol('crashed');

/** The argument side of an op as the model sees it: its name, the invoke's value and its key. */
export interface ModelInput {
  f: string;
  value: unknown;
  key?: Key;
}

/** What `step` returns: whether the op is legal in the state, and the state after it. */
export interface StepResult<S> {
  ok: boolean;
  /** The state after the op; meaningless when `ok` is false. */
  next: S;
}

/**
 * A sequential specification. Contract:
 * - `step` is pure: it never mutates `state`, and equal inputs give equal results.
 * - `equal(a, b)` implies `hash(a) === hash(b)`; hash is a 32-bit integer.
 * - `output` is the ok value, or {@link CRASHED} for a crashed op (then `ok` must say whether the
 *   effect can happen in this state, whatever the client would have seen).
 */
export interface Model<S = unknown> {
  /** Name used by `--model` and in results. */
  readonly name: string;
  /** The state before any op. */
  init(): S;
  /** Applies one op to a state: legal or not, and the next state. Must not mutate `state`. */
  step(state: S, input: ModelInput, output: unknown): StepResult<S>;
  /** State equality; default: same JSON value. */
  equal?(a: S, b: S): boolean;
  /** 32-bit state hash consistent with `equal`; default: a hash of the JSON value. */
  hash?(state: S): number;
  /** One op in words, e.g. `write 3` or `read -> 4`; `output` is CRASHED for crashed ops. */
  describeOperation?(input: ModelInput, output: unknown): string;
  /** One state in words, e.g. `3` or `"x 1 0 y"`. */
  describeState?(state: S): string;
  /** The op names this model understands; ops with other names are rejected as malformed input. */
  readonly operations?: readonly string[];
  /**
   * Splits a history into independent sub-histories (P-compositionality, e.g. one per key); each
   * is checked alone, from `init()`. Absent: the whole history is one part.
   */
  partition?(ops: Operation[]): Operation[][];
  /** True for ops that never change state; crashed ones are dropped before the search. */
  readOnly?(input: ModelInput): boolean;
  /**
   * True when no sequence of ops other than resets (see `resets`) can lead from `state` to one
   * where this read-only op is legal, e.g. kv-append: appends only lengthen the string, so a get
   * of a string the state is not a prefix of is hopeless until a put. The search then abandons
   * a configuration whose window holds such a read with no reset able to precede it.
   */
  unreachable?(state: S, input: ModelInput, output: unknown): boolean;
  /**
   * Ops whose next state does not depend on the state before (a put); `unreachable` need not
   * account for them: the search asks it again about the state each one leaves.
   */
  resets?(input: ModelInput): boolean;
  /**
   * Optional model-specific preprocessing that must not change the verdict, e.g. dropping crashed
   * writes nobody could have observed. Gets and returns ops of one partition.
   */
  simplify?(ops: Operation[]): Operation[];
  /** Names what is wrong with an op's shape (bad value, missing key), or undefined when fine. */
  validate?(op: Operation): string | undefined;
  /** One plain-language paragraph on why `failed` cannot be linearized; default is generic. */
  explain?(failure: FailureContext<S>): string | undefined;
}

/**
 * What a model's `explain` gets to work with: the facts of the history, and how to put ops,
 * states and times into words (the HTML report names only the ops it draws, in its own time
 * format). The shared sentences are in explain-text.ts.
 */
export interface FailureContext<S> {
  failed: Operation;
  /** Every op of the partition, with ids as in the checked history. */
  ops: readonly Operation[];
  /** The ops of the longest linearizable prefix found, in linearization order. */
  prefix: readonly Operation[];
  /** The state after the longest linearizable prefix found. */
  stateBefore: S;
  /** `stateBefore` in words (the model's `describeState`). */
  state: string;
  /** Ops whose intervals overlap the failed op. */
  concurrent: readonly Operation[];
  /** One op in words, e.g. `write 35` (the model's `describeOperation`). */
  describe: (op: Operation) => string;
  /** How the text names an op, e.g. `op 12`; undefined for an op the text must not name. */
  name: (op: Operation) => string | undefined;
  /** A history time (ns) in words. */
  time: (ns: number) => string;
}

/** A model with every optional member that the search and the reports rely on filled in. */
export type FilledModel<S = unknown> = Model<S> &
  Required<Pick<Model<S>, 'equal' | 'hash' | 'describeOperation' | 'describeState'>>;

/** Filled models by the model they were made from: models are descriptions, never changed. */
const filledModels = new WeakMap<Model<never>, FilledModel<never>>();

/** Fills the optional members of a model with defaults, once, so the hot loop never checks. */
export function fillDefaults<S>(model: Model<S>): FilledModel<S> {
  let filled = filledModels.get(model as Model<never>) as FilledModel<S> | undefined;
  if (!filled) filledModels.set(model as Model<never>, (filled = fill(model)) as FilledModel<never>);
  return filled;
}

function fill<S>(model: Model<S>): FilledModel<S> {
  return {
    ...model,
    // Spread loses prototype methods of class-based models; bind what exists explicitly.
    name: model.name,
    init: model.init.bind(model),
    step: model.step.bind(model),
    equal: model.equal?.bind(model) ?? sameValue,
    hash: model.hash?.bind(model) ?? hashValue,
    describeOperation: model.describeOperation?.bind(model) ?? describeOperationDefault,
    describeState: model.describeState?.bind(model) ?? ((s: S) => JSON.stringify(s) ?? 'undefined'),
    ...(model.partition ? { partition: model.partition.bind(model) } : {}),
    ...(model.readOnly ? { readOnly: model.readOnly.bind(model) } : {}),
    ...(model.simplify ? { simplify: model.simplify.bind(model) } : {}),
    ...(model.validate ? { validate: model.validate.bind(model) } : {}),
    ...(model.explain ? { explain: model.explain.bind(model) } : {}),
    ...(model.unreachable ? { unreachable: model.unreachable.bind(model) } : {}),
    ...(model.resets ? { resets: model.resets.bind(model) } : {}),
  };
}

function describeOperationDefault(input: ModelInput, output: unknown): string {
  const arg = input.value === undefined ? '' : ` ${JSON.stringify(input.value)}`;
  return output === CRASHED
    ? `${input.f}${arg} (crashed)`
    : `${input.f}${arg} -> ${JSON.stringify(output) ?? 'nothing'}`;
}

/** Splits ops by their `key` (first-seen key order); the partition of every keyed model. */
export function partitionByKey(ops: Operation[]): Operation[][] {
  const parts = new Map<unknown, Operation[]>();
  for (const op of ops) {
    let part = parts.get(op.key);
    if (!part) parts.set(op.key, (part = []));
    part.push(op);
  }
  return [...parts.values()];
}
