/**
 * The nemesis protocol (Jepsen's nemesis.clj): setup, invoke, teardown. invoke takes an op
 * such as `{f: "start-partition", value: {partition: "halves"}}` and returns it with `value`
 * replaced by what it actually did (which nodes, which rules, which offsets, which pids), so
 * the history records the fault that happened rather than the one that was asked for.
 */
import { NemesisContractError, NemesisHealError } from './errors.js';

/** A request to the nemesis: an op name and its plan. */
export interface NemesisOp {
  f: string;
  value?: unknown;
}

/**
 * What an op did. Start ops report `injected` (rules added, processes signalled, offsets set),
 * stop ops `healed`; both are counts of real changes, which is how "did it bite" is judged.
 */
export interface NemesisValue {
  injected?: number;
  healed?: number;
  [detail: string]: unknown;
}

/** An op after invoke: `value` says what happened, `error` why part of it did not. */
export interface CompletedNemesisOp {
  f: string;
  value: NemesisValue;
  error?: string;
}

/**
 * A fault injector. Contract: setup before any invoke; invoke is called by one caller at a time
 * (implementations also serialize internally, so a teardown from a Ctrl-C handler waits for an
 * invoke in flight); teardown undoes everything this nemesis did, may be called more than once,
 * and returns the healing it performed (nothing the second time).
 */
export interface Nemesis {
  /** The op names this nemesis handles; compose routes by them. */
  readonly fs: readonly string[];
  setup(): Promise<void>;
  invoke(op: NemesisOp): Promise<CompletedNemesisOp>;
  teardown(): Promise<CompletedNemesisOp[]>;
}

/** Makes a nemesis that does nothing: every op completes with nothing injected. */
export function noopNemesis(): Nemesis {
  return {
    fs: [],
    setup: async () => {},
    invoke: async (op) => ({ f: op.f, value: { injected: 0, note: 'noop nemesis' } }),
    teardown: async () => [],
  };
}

/**
 * Wraps a nemesis so contract breaches fail loudly: invoke before setup or after teardown, an
 * op name it does not handle, or a result for a different op.
 */
export function validateNemesis(inner: Nemesis): Nemesis {
  let state: 'new' | 'set-up' | 'torn-down' = 'new';
  return {
    fs: inner.fs,
    async setup() {
      if (state !== 'new') throw new NemesisContractError(`setup called twice (state ${state})`);
      await inner.setup();
      state = 'set-up';
    },
    async invoke(op) {
      if (state !== 'set-up') throw new NemesisContractError(`invoke(${op.f}) while ${state}`);
      if (!inner.fs.includes(op.f)) {
        throw new NemesisContractError(`this nemesis handles ${inner.fs.join(', ') || 'no ops'}, not ${op.f}`);
      }
      const done = await inner.invoke(op);
      if (done.f !== op.f) throw new NemesisContractError(`invoke(${op.f}) completed as ${done.f}`);
      if (typeof done.value !== 'object' || done.value === null) {
        throw new NemesisContractError(`invoke(${op.f}) returned no value describing what it did`);
      }
      return done;
    },
    async teardown() {
      if (state === 'new') return [];
      state = 'torn-down';
      return inner.teardown();
    },
  };
}

/**
 * Combines nemeses that handle disjoint op names into one that routes each op to its owner.
 * Teardown tears down every part even when one fails, then reports all failures together.
 */
export function composeNemesis(parts: readonly Nemesis[]): Nemesis {
  const owner = new Map<string, Nemesis>();
  for (const part of parts) {
    for (const f of part.fs) {
      if (owner.has(f)) throw new NemesisContractError(`two nemeses both handle ${f}`);
      owner.set(f, part);
    }
  }
  return {
    fs: [...owner.keys()],
    async setup() {
      for (const part of parts) await part.setup();
    },
    async invoke(op) {
      const part = owner.get(op.f);
      if (part === undefined) throw new NemesisContractError(`no nemesis handles ${op.f}`);
      return part.invoke(op);
    },
    async teardown() {
      const healed: CompletedNemesisOp[] = [];
      const leftovers: string[] = [];
      // Reverse order: undo the last-composed faults first, like nested try/finally.
      for (const part of [...parts].reverse()) {
        try {
          healed.push(...(await part.teardown()));
        } catch (e) {
          leftovers.push(...(e instanceof NemesisHealError ? e.leftovers : [String(e)]));
        }
      }
      if (leftovers.length > 0) throw new NemesisHealError(leftovers);
      return healed;
    },
  };
}

/**
 * Returns a function that runs async tasks one at a time in call order, so a teardown started
 * by a signal handler waits for an invoke in flight instead of racing it.
 */
export function createSerializer(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Completes an op: `value` says what happened, and per-node failures, if any, become its `error`. */
export function completeOp(f: string, value: NemesisValue, errors: readonly string[]): CompletedNemesisOp {
  return errors.length > 0 ? { f, value, error: errors.join('; ') } : { f, value };
}

/**
 * Runs `act` for each node, in parallel or (when the order of side effects matters, or to keep
 * one node's exec from crowding another's) one after another. Returns how many succeeded and,
 * for each that threw, "node: why".
 */
export async function forEachNode(
  names: readonly string[],
  act: (name: string) => Promise<void>,
  { sequential = false }: { sequential?: boolean } = {},
): Promise<{ done: number; errors: string[] }> {
  const out = { done: 0, errors: [] as string[] };
  const one = async (name: string): Promise<void> => {
    try {
      await act(name);
      out.done++;
    } catch (e) {
      out.errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (sequential) for (const name of names) await one(name);
  else await Promise.all(names.map(one));
  return out;
}

/**
 * Makes the usual teardown: behind any invoke in flight, run the heal op if the fault is still
 * in force, and throw a NemesisHealError prefixed with `label` if it could not heal everything.
 */
export function healingTeardown(
  serial: <T>(task: () => Promise<T>) => Promise<T>,
  inForce: () => boolean,
  heal: () => Promise<CompletedNemesisOp>,
  label: string,
): () => Promise<CompletedNemesisOp[]> {
  return () =>
    serial(async () => {
      if (!inForce()) return [];
      const done = await heal();
      if (done.error !== undefined) throw new NemesisHealError([`${label}: ${done.error}`]);
      return [done];
    });
}
