/**
 * One identity for an op in everything a person or a program reads: the position of its invoke
 * event in the history file (the event's `index`, 0-based). The search numbers ops densely
 * (`Operation.id`) because its bitsets need that, and a re-check of a slice numbers them again;
 * neither number leaves the checker. The CLI, results.json, JUnit and the report all name an op
 * by this position, so `op 63` is the same op everywhere and a user can find it in the file.
 */
import type { Counterexample, Operation } from './result.js';

/** An op's name in every output, e.g. `op 63`: the position of its invoke in the history file. */
export function opName(op: Pick<Operation, 'invokeIndex'>): string {
  return `op ${op.invokeIndex}`;
}

/**
 * A counterexample with every op id (its ops, failed op, prefix steps and concurrent ops)
 * replaced by the op's position in the history file, for output to programs (`--json`,
 * results.json).
 */
export function counterexampleByPosition(cx: Counterexample): Counterexample {
  const position = new Map(cx.ops.map((op) => [op.id, op.invokeIndex]));
  const at = (id: number): number => position.get(id) ?? id;
  return {
    ...cx,
    ops: cx.ops.map((op) => ({ ...op, id: op.invokeIndex })),
    failedOp: at(cx.failedOp),
    prefix: cx.prefix.map((step) => ({ ...step, op: at(step.op) })),
    concurrent: cx.concurrent.map(at),
  };
}
