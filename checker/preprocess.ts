/**
 * Everything done to a history before the search, none of which changes the verdict: reject ops
 * the model does not know, split by key (P-compositionality), drop crashed read-only ops (a read
 * nobody saw constrains nothing), and let the model drop what it knows to be irrelevant.
 */
import type { Key } from './event.js';
import { MalformedHistoryError } from './malformed-history-error.js';
import type { FilledModel } from './model.js';
import type { Operation } from './result.js';

/** One independent sub-history: every op of it, and the subset the search needs to see. */
export interface Part {
  key?: Key;
  /** Every op of the part, for counterexamples. */
  all: Operation[];
  /** The ops the search runs over. */
  searched: Operation[];
}

/** Validates ops against the model and splits them into searchable parts. */
export function prepareParts<S>(ops: Operation[], model: FilledModel<S>, file?: string): Part[] {
  validateOps(ops, model, file);
  const groups = model.partition ? model.partition(ops) : [ops];
  return groups.map((all) => preparePart(all, model));
}

/** Each model's op names as a set, made once. */
const knownOps = new WeakMap<object, ReadonlySet<string>>();

/** Throws MalformedHistoryError, naming the line, at the first op the model does not accept. */
export function validateOps<S>(ops: readonly Operation[], model: FilledModel<S>, file?: string): void {
  let known = knownOps.get(model);
  if (known === undefined && model.operations) knownOps.set(model, (known = new Set(model.operations)));
  for (const op of ops) {
    let problem: string | undefined;
    if (known && !known.has(op.f)) {
      problem = `model ${model.name} has no operation "${op.f}" (it knows ${[...known].join(', ')})`;
    } else {
      problem = model.validate?.(op);
    }
    if (problem) throw new MalformedHistoryError(problem, file, op.invokeIndex + 1);
  }
  if (!model.partition) refuseKeys(ops, model.name, file);
}

/**
 * A single-object model fed a keyed history would merge every key into one object and report a
 * false violation; refuse it and name the keyed model instead.
 */
function refuseKeys(ops: readonly Operation[], modelName: string, file?: string): void {
  const keyed = ops.find((op) => op.key !== undefined);
  if (!keyed) return;
  const keys = new Set(ops.map((op) => op.key)).size;
  throw new MalformedHistoryError(
    `model ${modelName} describes one object, but the ops carry keys (${keys} distinct); check key by key with --model kv`,
    file,
    keyed.invokeIndex + 1,
  );
}

/** One part (all the ops of one key, or of the history) as the search needs it. */
export function preparePart<S>(all: Operation[], model: FilledModel<S>): Part {
  let searched = model.readOnly
    ? all.filter((op) => op.status === 'ok' || !model.readOnly!({ f: op.f, value: op.input }))
    : all;
  if (model.simplify) searched = model.simplify(searched);
  const part: Part = { all, searched };
  if (model.partition && all.length > 0 && all[0]!.key !== undefined) part.key = all[0]!.key;
  return part;
}
