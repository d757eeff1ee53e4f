/**
 * Turns a failed search into something a person can read: the op that cannot be linearized, the
 * longest linearizable prefix with the state after each step, the ops concurrent with the
 * failure, and one paragraph saying why. The paragraph comes from {@link explainCounterexample},
 * which the HTML report also calls for the minimized counterexample it draws.
 */
import { describeNs, explainWith } from './explain-text.js';
import { CRASHED, fillDefaults, type FailureContext, type FilledModel, type Model, type ModelInput } from './model.js';
import { modelByName } from './models/index.js';
import type { Part } from './preprocess.js';
import { opName } from './op-name.js';
import type { Counterexample, LinearizationStep, Operation } from './result.js';

/** How an explanation names ops and formats times; the HTML report passes its own. */
export interface ExplainOptions {
  /** Formats a history time (ns). Default: the unit a person reads best, e.g. `12.5 ms`. */
  describeTime?: (ns: number) => string;
  /**
   * Names an op, e.g. `op 12`; returns undefined for an op the text must not name (the report's
   * ops that minimization set aside). Default: {@link opName}, its position in the history file.
   */
  nameOp?: (op: Operation) => string | undefined;
  /**
   * The ops as recorded, by the same ids, when `cx.ops` had outcomes changed for the search (the
   * report's minimization re-checks set-aside ops as unknown). The prefix is replayed over
   * `cx.ops`; the sentences are read off these.
   */
  recorded?: readonly Operation[];
}

/** Builds the counterexample of one invalid part from the search's prefix and failed op (indices into `part.searched`). */
export function buildCounterexample<S>(
  part: Part,
  prefix: readonly number[],
  failedIndex: number,
  model: FilledModel<S>,
  describeTime?: (time: number) => string,
): Counterexample {
  const ops = part.searched;
  const failed = ops[failedIndex]!;
  const steps: LinearizationStep[] = [];
  const placed: Operation[] = [];
  let state = model.init();
  for (const i of prefix) {
    const op = ops[i]!;
    state = model.step(state, inputOf(op), outputOf(op)).next;
    steps.push({ op: op.id, stateAfter: model.describeState(state) });
    placed.push(op);
  }
  const end = failed.return ?? Infinity;
  const concurrent = part.all.filter((op) => op !== failed && op.call <= end && failed.call <= (op.return ?? Infinity));
  const cx = {
    ops: part.all,
    failedOp: failed.id,
    prefix: steps,
    concurrent: concurrent.map((op) => op.id),
  } as Counterexample;
  const stateBefore = state;
  writtenWhenRead(cx, () =>
    explainWith(
      model.explain,
      failureContext(
        model,
        { failed, ops: part.all, prefix: placed, stateBefore, concurrent },
        describeTime ? { describeTime } : {},
      ),
    ),
  );
  if (part.key !== undefined) cx.key = part.key;
  return cx;
}

/**
 * Gives `cx` its `explanation` as a property that writes the text the first time it is read (and
 * keeps it): most checks of a failing history are read only for their verdict (a bench, a
 * minimizing re-check, a sim's judge), and the text costs more than a small history's search.
 * The property is enumerable, so JSON, spreading and structured cloning still carry the text.
 */
function writtenWhenRead(cx: Counterexample, write: () => string): void {
  const settle = (explanation: string): void => {
    Object.defineProperty(cx, 'explanation', {
      value: explanation,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  };
  Object.defineProperty(cx, 'explanation', {
    get: () => {
      const text = write();
      settle(text);
      return text;
    },
    set: settle,
    enumerable: true,
    configurable: true,
  });
}

/**
 * Writes the plain-language paragraph on why a counterexample's failed op is impossible: replays
 * its prefix with the model to get the state the failed op met, then asks the model's `explain`
 * (or the generic text). `model` is a built-in model's name or a model; `cx.ops` must hold the
 * ops of the prefix. Only ops that `options.nameOp` names are named.
 */
export function explainCounterexample<S>(
  cx: Counterexample,
  model: string | Model<S>,
  options: ExplainOptions = {},
): string {
  const filled = fillDefaults(typeof model === 'string' ? (modelByName(model) as Model<S>) : model);
  const byId = new Map(cx.ops.map((op) => [op.id, op]));
  const failed = byId.get(cx.failedOp);
  if (!failed) return `Operation ${cx.failedOp} cannot be linearized.`;
  let state = filled.init();
  const prefix: Operation[] = [];
  for (const step of cx.prefix) {
    const op = byId.get(step.op);
    if (!op) continue;
    prefix.push(op);
    state = filled.step(state, inputOf(op), outputOf(op)).next;
  }
  const recorded = new Map((options.recorded ?? []).map((op) => [op.id, op]));
  const facts = (op: Operation): Operation => recorded.get(op.id) ?? op;
  const concurrent = cx.concurrent.map((id) => byId.get(id)).filter((op): op is Operation => op !== undefined);
  return explainWith(
    filled.explain,
    failureContext(
      filled,
      {
        failed: facts(failed),
        ops: cx.ops.map(facts),
        prefix: prefix.map(facts),
        stateBefore: state,
        concurrent: concurrent.map(facts),
      },
      options,
    ),
  );
}

function failureContext<S>(
  model: FilledModel<S>,
  facts: Pick<FailureContext<S>, 'failed' | 'ops' | 'prefix' | 'stateBefore' | 'concurrent'>,
  options: ExplainOptions = {},
): FailureContext<S> {
  return {
    ...facts,
    state: model.describeState(facts.stateBefore),
    describe: (op) => model.describeOperation(inputOf(op), outputOf(op)),
    name: options.nameOp ?? opName,
    time: options.describeTime ?? describeNs,
  };
}

/** The model's view of an op's arguments. */
export function inputOf(op: Operation): ModelInput {
  return op.key === undefined ? { f: op.f, value: op.input } : { f: op.f, value: op.input, key: op.key };
}

/** The model's view of an op's result: the ok value, or CRASHED. */
export function outputOf(op: Operation): unknown {
  return op.status === 'ok' ? op.output : CRASHED;
}
