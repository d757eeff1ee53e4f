/**
 * The nemesis as the client of the nemesis process: the runner's interpreter drives it like any
 * worker (see `withNemesis`), so a fault is recorded as an `invoke` when it starts and an `info`
 * carrying what it did (nodes, rules, pids, offsets) once it is in force, and windows are exact.
 */
import type { Client, ClientOp, Completion } from '../workloads/index.js';
import type { CompletedNemesisOp, Nemesis } from './nemesis.js';

/** The completion a nemesis op is recorded with: always `info`, its value what happened. */
export function toCompletion(done: CompletedNemesisOp): Completion {
  return { type: 'info', value: done.value, ...(done.error !== undefined ? { error: done.error } : {}) };
}

/** Wraps a nemesis as the nemesis process's client; an op that throws is recorded with its error. */
export function nemesisClient(nemesis: Nemesis): Client {
  return {
    async invoke(op: ClientOp): Promise<Completion> {
      try {
        return toCompletion(await nemesis.invoke({ f: op.f, value: op.value }));
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        return { type: 'info', value: { injected: 0, plan: op.value ?? null }, error };
      }
    },
  };
}
