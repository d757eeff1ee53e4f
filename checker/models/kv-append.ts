/**
 * A string per `key`, initially "": `get` null -> s, `put` s -> s (replace), `append` s -> s
 * (concatenate). Porcupine's kv model; checked key by key.
 *
 * States are nodes of a trie of the strings one search has built, not bare strings: comparing
 * and hashing long concatenated strings costs O(length) per step (V8 flattens the rope each
 * time), while a node compares by identity and hashes by its number. Stepping adds a child to
 * the trie at most once; the node a state denotes never changes, so `step` stays pure. Two
 * nodes may spell the same string (put "xy" versus append "x", "y"); the cache then merely
 * misses a chance to prune, which costs time, never correctness.
 */
import { explainObservation } from '../explain-text.js';
import {
  CRASHED,
  partitionByKey,
  type FailureContext,
  type Model,
  type ModelInput,
  type StepResult,
} from '../model.js';
import type { Operation } from '../result.js';

/** One state: the key's current string, and its place in the trie. */
export class StringNode {
  private children: Map<string, StringNode> | undefined;

  constructor(
    /** The key's current value. */
    readonly value: string,
    /** Unique within a trie; the state hash. */
    readonly id: number,
    private readonly trie: { count: number; puts: Map<string, StringNode> },
  ) {
    // Flatten the rope now, once: V8 otherwise walks its pieces on every comparison with a get.
    flatten(value);
  }

  /** The state after appending `suffix`. */
  append(suffix: string): StringNode {
    this.children ??= new Map();
    let child = this.children.get(suffix);
    if (!child) this.children.set(suffix, (child = new StringNode(this.value + suffix, this.trie.count++, this.trie)));
    return child;
  }

  /** The state after putting `value` (the same node whoever puts it). */
  put(value: string): StringNode {
    let node = this.trie.puts.get(value);
    if (!node) this.trie.puts.set(value, (node = new StringNode(value, this.trie.count++, this.trie)));
    return node;
  }
}

/** Converting to a number makes V8 flatten a concatenated string in place. */
function flatten(s: string): void {
  if (s.length > 0) void Number(s);
}

const ILLEGAL: StepResult<StringNode> = Object.freeze({ ok: false, next: undefined as unknown as StringNode });

/** Steps one key's string. */
export function stepKvAppend(state: StringNode, input: ModelInput, output: unknown): StepResult<StringNode> {
  switch (input.f) {
    case 'get':
      return output === CRASHED || output === state.value ? { ok: true, next: state } : ILLEGAL;
    case 'put':
      return { ok: true, next: state.put(input.value as string) };
    case 'append':
      return { ok: true, next: state.append(input.value as string) };
    default:
      return ILLEGAL;
  }
}

function validate(op: Operation): string | undefined {
  if (op.key === undefined) return `kv-append ops need a "key"`;
  if (op.f !== 'get' && typeof op.input !== 'string')
    return `${op.f} needs a string value, got ${JSON.stringify(op.input)}`;
  if (op.f === 'get' && op.status === 'ok' && typeof op.output !== 'string') {
    return `get must return a string, got ${JSON.stringify(op.output)}`;
  }
  return undefined;
}

/** Explains an impossible get: the string it returned is one the key could no longer (or not yet) hold. */
function explain(ctx: FailureContext<StringNode>): string | undefined {
  const { failed } = ctx;
  if (failed.f !== 'get' || failed.status !== 'ok') return undefined;
  // A put leaves its value; an append leaves some string ending with its suffix.
  const mayLeave = (op: Operation, v: unknown): boolean =>
    typeof v === 'string' &&
    ((op.f === 'put' && op.input === v) || (op.f === 'append' && v.endsWith(op.input as string)));
  return explainObservation(ctx, failed.output, {
    initial: '',
    mayLeave,
    rulesOut: (op, v) => (op.f === 'get' ? op.output !== v : !mayLeave(op, v)),
    show: (v) => JSON.stringify(v),
    holds: (v) => `hold ${JSON.stringify(v)}`,
    leaver: (v) => `put or append that can leave ${JSON.stringify(v)}`,
    holder: `key ${JSON.stringify(failed.key)}`,
  });
}

/** The `kv-append` model. */
export const kvAppend: Model<StringNode> = {
  name: 'kv-append',
  operations: ['get', 'put', 'append'],
  // A fresh trie per search, so it is garbage once the search is.
  init: () => new StringNode('', 0, { count: 1, puts: new Map() }),
  step: stepKvAppend,
  equal: (a, b) => a === b,
  hash: (s) => s.id,
  partition: partitionByKey,
  readOnly: (input) => input.f === 'get',
  // Between puts, appends only lengthen the string: a get of a string that does not start
  // with the current one can never be satisfied.
  unreachable: (state, input, output) => input.f === 'get' && !(output as string).startsWith(state.value),
  resets: (input) => input.f === 'put',
  validate,
  describeOperation: (input, output) =>
    input.f === 'get'
      ? output === CRASHED
        ? 'get (crashed)'
        : `get -> ${JSON.stringify(output)}`
      : `${input.f} ${JSON.stringify(input.value)}${output === CRASHED ? ' (crashed)' : ''}`,
  describeState: (s) => JSON.stringify(s.value),
  explain,
};
