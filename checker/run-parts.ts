/**
 * Searches the parts of a keyed history in one thread, interleaved: every unfinished part gets a
 * slice of iterations in turn, and the slice doubles each round (up to a cap). A hard valid key then cannot
 * hold up an easy invalid one (the first invalid part stops the rest), and the total work is at
 * most about twice what the parts need on their own.
 */
import type { FilledModel } from './model.js';
import type { Operation } from './result.js';
import { LinearizationSearch, type SearchLimits, type SearchOutcome } from './search.js';

/** A part's first slice: this, plus a few iterations per op, so an easy part finishes in one go. */
const FIRST_SLICE = 1000;
const FIRST_SLICE_PER_OP = 4;
/** Slices stop doubling here (a few tenths of a second), so rounds stay short enough to poll an abort. */
const MAX_SLICE = 1 << 20;

/**
 * The parts, as an array or made on demand (`at(k)` is called once, when part k's search starts,
 * and the ops are let go when it ends), so a huge keyed history never has every op as an object.
 */
export interface PartList {
  readonly length: number;
  at(k: number): readonly Operation[] | undefined;
}

/**
 * Searches every part; one outcome per part, undefined for parts left unsearched because another
 * was invalid (unless `everyPart`, which searches on past an invalid part). `pause` is awaited
 * between rounds when given (to let an abort signal land).
 */
export async function runPartsInterleaved<S>(
  parts: PartList,
  model: FilledModel<S>,
  limits: SearchLimits,
  pause?: () => Promise<void>,
  handoff?: Handoff,
  everyPart = false,
): Promise<(SearchOutcome | undefined)[]> {
  const started = Date.now();
  const gen = interleave(parts, model, limits, everyPart);
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
  parts: PartList,
  model: FilledModel<S>,
  limits: SearchLimits,
  everyPart = false,
): (SearchOutcome | undefined)[] {
  const gen = interleave(parts, model, limits, everyPart);
  for (;;) {
    const r = gen.next();
    if (r.done) return r.value.outcomes;
  }
}

/** Yields after every part searched (so a caller can pause) with the outcomes so far; at the end of a round, also the number of unfinished parts. */
function* interleave<S>(
  parts: PartList,
  model: FilledModel<S>,
  limits: SearchLimits,
  everyPart: boolean,
): Generator<Progress, Progress> {
  const outcomes: (SearchOutcome | undefined)[] = new Array<SearchOutcome | undefined>(parts.length).fill(undefined);
  // Searches are created lazily: each holds typed arrays sized to its part.
  const searches = new Map<number, LinearizationSearch<S>>();
  let pending: number[] = [];
  for (let k = 0; k < parts.length; k++) pending.push(k);
  let slice = 0;
  while (pending.length > 0) {
    const still: number[] = [];
    for (const k of pending) {
      if (Date.now() > limits.deadline) outcomes[k] = { valid: 'unknown', reason: 'time-limit' };
      else if (limits.shouldStop?.()) outcomes[k] = { valid: 'unknown', reason: 'aborted' };
      else {
        let search = searches.get(k);
        if (search) outcomes[k] = search.run(slice);
        else {
          const ops = parts.at(k)!;
          searches.set(k, (search = new LinearizationSearch(ops, model, limits)));
          outcomes[k] = search.run(FIRST_SLICE + FIRST_SLICE_PER_OP * ops.length);
        }
      }
      const o = outcomes[k];
      if (o === undefined) still.push(k);
      else {
        searches.delete(k);
        if (o.valid === false && !everyPart) return { outcomes, pending: 0, roundEnd: true };
      }
      yield { outcomes, pending: -1, roundEnd: false };
    }
    pending = still;
    slice = Math.min(Math.max(slice * 2, FIRST_SLICE * 2), MAX_SLICE);
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
