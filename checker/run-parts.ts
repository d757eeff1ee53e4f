/**
 * Searches the parts of a keyed history in one thread, interleaved: every unfinished part gets a
 * slice of iterations in turn, and the slice doubles each round (up to a cap). A hard valid key then cannot
 * hold up an easy invalid one (the first invalid part stops the rest), and the total work is at
 * most about twice what the parts need on their own.
 */
import type { FilledModel } from './model.js';
import type { Operation } from './result.js';
import { LinearizationSearch, type SearchLimits, type SearchOutcome } from './search.js';

const FIRST_SLICE = 1000;
/** Slices stop doubling here (a few tenths of a second), so rounds stay short enough to poll an abort. */
const MAX_SLICE = 1 << 20;

/**
 * Searches every part; one outcome per part, undefined for parts left unsearched because another
 * was invalid. `pause` is awaited between rounds when given (to let an abort signal land).
 */
export async function runPartsInterleaved<S>(
  parts: readonly (readonly Operation[])[],
  model: FilledModel<S>,
  limits: SearchLimits,
  pause?: () => Promise<void>,
  handoff?: Handoff,
): Promise<(SearchOutcome | undefined)[]> {
  const started = Date.now();
  const gen = interleave(parts, model, limits);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value.outcomes;
    const { roundEnd, pending, outcomes } = r.value;
    if (handoff && roundEnd && Date.now() - started >= handoff.afterMs && pending >= handoff.minPending)
      return outcomes;
    if (pause) await pause();
  }
}

/**
 * When to stop searching in this thread and leave the unfinished parts (outcome undefined) to
 * someone else, e.g. worker threads: after `afterMs`, if at least `minPending` parts remain.
 */
export interface Handoff {
  afterMs: number;
  minPending: number;
}

/** The same, synchronously. */
export function runPartsInterleavedSync<S>(
  parts: readonly (readonly Operation[])[],
  model: FilledModel<S>,
  limits: SearchLimits,
): (SearchOutcome | undefined)[] {
  const gen = interleave(parts, model, limits);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value.outcomes;
  }
}

/** Yields after every part searched (so a caller can pause) with the outcomes so far; at the end of a round, also the number of unfinished parts. */
function* interleave<S>(
  parts: readonly (readonly Operation[])[],
  model: FilledModel<S>,
  limits: SearchLimits,
): Generator<Progress, Progress> {
  const outcomes: (SearchOutcome | undefined)[] = new Array<SearchOutcome | undefined>(parts.length).fill(undefined);
  // Searches are created lazily: each holds typed arrays sized to its part.
  const searches = new Map<number, LinearizationSearch<S>>();
  let pending = parts.map((_, k) => k);
  let slice = FIRST_SLICE;
  while (pending.length > 0) {
    const still: number[] = [];
    for (const k of pending) {
      if (Date.now() > limits.deadline) outcomes[k] = { valid: 'unknown', reason: 'time-limit' };
      else if (limits.shouldStop?.()) outcomes[k] = { valid: 'unknown', reason: 'aborted' };
      else {
        let search = searches.get(k);
        if (!search) searches.set(k, (search = new LinearizationSearch(parts[k]!, model, limits)));
        outcomes[k] = search.run(slice);
      }
      const o = outcomes[k];
      if (o === undefined) still.push(k);
      else {
        searches.delete(k);
        if (o.valid === false) return { outcomes, pending: 0, roundEnd: true };
      }
      yield { outcomes, pending: -1, roundEnd: false };
    }
    pending = still;
    slice = Math.min(slice * 2, MAX_SLICE);
    if (pending.length > 0) yield { outcomes, pending: pending.length, roundEnd: true };
  }
  return { outcomes, pending: 0, roundEnd: true };
}

interface Progress {
  outcomes: (SearchOutcome | undefined)[];
  /** Unfinished parts; meaningful only at the end of a round. */
  pending: number;
  roundEnd: boolean;
}
