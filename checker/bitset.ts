/**
 * The set of linearized ops as 32-bit words, with an incrementally maintained Zobrist hash: each
 * op owns a random 32-bit key, and the set's hash is the XOR of its members' keys, so adding or
 * removing an op updates the hash in O(1) instead of rehashing every word.
 */

/** A fixed-size bitset over op indices 0..n-1 with an O(1) running hash. */
export class Bitset {
  /** The words; bit i of the set is bit (i & 31) of word (i >>> 5). */
  readonly words: Uint32Array;
  /** XOR of the Zobrist keys of the members. */
  hash = 0;
  private readonly keys: Int32Array;

  constructor(readonly size: number) {
    this.words = new Uint32Array(Math.max(1, Math.ceil(size / 32)));
    this.keys = zobristKeys(size);
  }

  /** Adds op i (which must be absent). */
  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
    this.hash ^= this.keys[i]!;
  }

  /** Removes op i (which must be present). */
  clear(i: number): void {
    this.words[i >>> 5]! &= ~(1 << (i & 31));
    this.hash ^= this.keys[i]!;
  }

  /** True when op i is in the set. */
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

/** The keys made so far; every bitset shares them (key i never changes), growing as needed. */
let shared = makeKeys(1024);

/** Keys for ops 0..n-1. */
function zobristKeys(n: number): Int32Array {
  if (shared.length < n) shared = makeKeys(Math.max(n, shared.length * 2));
  return shared;
}

/** Deterministic pseudo-random keys (xorshift32), so runs are reproducible. */
function makeKeys(n: number): Int32Array {
  const keys = new Int32Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x;
  }
  return keys;
}
