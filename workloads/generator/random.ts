/**
 * A seeded pseudo-random source kept as an immutable integer state, so a generator that draws
 * from it stays a value: asking it twice for an op gives the same answer, and one seed replays.
 */

/** The state of the random source: a 32-bit unsigned integer. */
export type RandomState = number;

/** Turns any integer seed into a well-mixed initial state. */
export function seedRandom(seed: number): RandomState {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Draws a float in [0, 1) and returns it with the next state (mulberry32). */
export function nextRandom(state: RandomState): [number, RandomState] {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, next];
}

/** Draws an integer in [0, n) and returns it with the next state. */
export function nextInt(state: RandomState, n: number): [number, RandomState] {
  const [u, next] = nextRandom(state);
  return [Math.floor(u * n), next];
}

/**
 * The same source as a mutable object, for code that draws many values in a row (the nemesis
 * schedule, grudges, targets). `state()` hands the position back, so an immutable generator can
 * carry it and resume with `resumeRng`.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A float in [lo, hi). */
  between(lo: number, hi: number): number;
  /** One element of a non-empty array. */
  pick<T>(xs: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(xs: readonly T[]): T[];
  /** The current state, for `resumeRng`. */
  state(): RandomState;
}

/** A seeded random object; the same seed always yields the same sequence. */
export function createRng(seed: number): Rng {
  return resumeRng(seedRandom(seed));
}

/** A random object continuing from a state another one handed out with `state()`. */
export function resumeRng(start: RandomState): Rng {
  let s = start >>> 0;
  const next = (): number => {
    const [u, after] = nextRandom(s);
    s = after;
    return u;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (lo, hi) => lo + next() * (hi - lo),
    pick: (xs) => {
      if (xs.length === 0) throw new Error('pick from an empty list');
      return xs[int(xs.length)] as (typeof xs)[number];
    },
    shuffle: (xs) => {
      const out = [...xs];
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [out[i], out[j]] = [out[j] as (typeof out)[number], out[i] as (typeof out)[number]];
      }
      return out;
    },
    state: () => s,
  };
}
