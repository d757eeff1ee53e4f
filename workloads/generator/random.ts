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
