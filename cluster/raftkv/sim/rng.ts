/**
 * The simulator's only source of randomness: a seeded PRNG (mulberry32). Same seed, same run;
 * nothing in sim/ may call Math.random or read a clock. It is a second copy of the toolkit's
 * seeded random module (workloads/generator/random.ts) on purpose: cluster/raftkv knows nothing
 * of the toolkit and imports nothing from it, so the simulator keeps its own.
 */

/** A seeded pseudo-random number generator with the helpers schedules need. */
export class Rng {
  private a: number;

  constructor(seed: number) {
    // Spread small consecutive seeds over the state space.
    this.a = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ (seed >>> 13)) >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }

  /** A shuffled copy. */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** An independent generator derived from this one (so adding draws in one place does not shift another). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 2 ** 31));
  }

  /** A function view for the core's `rng` option. */
  fn(): () => number {
    return () => this.next();
  }
}
