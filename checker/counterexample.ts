/**
 * Turns a failed search into something a person can read: the op that cannot be linearized, the
 * longest linearizable prefix with the state after each step, the ops concurrent with the
 * failure, and one paragraph saying why.
 */
import { CRASHED, type FilledModel, type ModelInput } from './model.js';
import type { Part } from './preprocess.js';
import type { Counterexample, LinearizationStep, Operation } from './result.js';

/** Builds the counterexample of one invalid part from the search's prefix and failed op (indices into `part.searched`). */
export function buildCounterexample<S>(part: Part, prefix: readonly number[], failedIndex: number, model: FilledModel<S>): Counterexample {
  const ops = part.searched;
  const failed = ops[failedIndex]!;
  const steps: LinearizationStep[] = [];
  let state = model.init();
  for (const i of prefix) {
    const op = ops[i]!;
    state = model.step(state, inputOf(op), outputOf(op)).next;
    steps.push({ op: op.id, stateAfter: model.describeState(state) });
  }
  const end = failed.return ?? Infinity;
  const concurrent = part.all.filter((op) => op !== failed && op.call <= end && failed.call <= (op.return ?? Infinity));
  const ctx = { failed, ops: part.all, stateBefore: state, concurrent };
  const explanation = model.explain?.(ctx) ?? explainGeneric(model, ctx, steps.length);
  const cx: Counterexample = {
    ops: part.all,
    failedOp: failed.id,
    prefix: steps,
    concurrent: concurrent.map((op) => op.id),
    explanation,
  };
  if (part.key !== undefined) cx.key = part.key;
  return cx;
}

/** The model's view of an op's arguments. */
export function inputOf(op: Operation): ModelInput {
  return op.key === undefined ? { f: op.f, value: op.input } : { f: op.f, value: op.input, key: op.key };
}

/** The model's view of an op's result: the ok value, or CRASHED. */
export function outputOf(op: Operation): unknown {
  return op.status === 'ok' ? op.output : CRASHED;
}

function explainGeneric<S>(
  model: FilledModel<S>,
  ctx: { failed: Operation; stateBefore: S; concurrent: readonly Operation[] },
  placed: number,
): string {
  const { failed, stateBefore, concurrent } = ctx;
  const what = model.describeOperation(inputOf(failed), outputOf(failed));
  const others = concurrent
    .slice(0, 5)
    .map((op) => `#${op.id} ${model.describeOperation(inputOf(op), outputOf(op))}`)
    .join('; ');
  return (
    `${what} (op #${failed.id}, process ${failed.process}, invoked at index ${failed.invokeIndex}) cannot be linearized. ` +
    `The longest order found that is consistent with the model places ${placed} op(s) and leaves the state ${model.describeState(stateBefore)}; ` +
    `${what} is impossible there, and no ordering of the ${concurrent.length} op(s) concurrent with it` +
    `${others ? ` (${others}${concurrent.length > 5 ? '; ...' : ''})` : ''} makes it possible before it had to take effect.`
  );
}
