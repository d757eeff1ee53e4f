/**
 * Lowe's memoization for the WGL search: the set of (linearized ops, model state) configurations
 * already explored. Reaching one again can only repeat a failure, so the search skips it. Bitsets
 * are copied into one growing word pool instead of one typed array each, which keeps the per-entry
 * cost near the bitset's own size and lets the memory budget be counted exactly.
 */
import type { Bitset } from './bitset.js';
import { giveBack, takeBuffer } from './spare-buffers.js';

const NONE = -1;

/** A memory budget shared by every search of one check; each cache entry charges it. */
export class MemoryBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

/** A hash set of (bitset, state) pairs with exact equality on collisions. */
export class VisitedSet<S> {
  /** Number of configurations stored. */
  size = 0;
  private readonly words: number;
  private pool: Uint32Array;
  private chain: Int32Array;
  private states: S[] = [];
  private readonly heads = new Map<number, number>();
  /** What one entry charges the budget: its words twice (the pool doubles), the chain link, state slot and Map entry. */
  private readonly entryBytes: number;

  constructor(
    bitsetSize: number,
    private readonly equal: (a: S, b: S) => boolean,
    private readonly budget: MemoryBudget,
  ) {
    this.words = Math.max(1, Math.ceil(bitsetSize / 32));
    // Pool words, the chain link, the state slot and the Map entry, with V8 overhead.
    this.entryBytes = this.words * 8 + 64;
    // Most parts of a keyed history need few entries; start small and double.
    [this.pool, this.chain] = this.allocate(64);
  }

  /** Bytes held by the set, approximately. */
  get bytes(): number {
    return this.pool.byteLength + this.chain.byteLength + this.size * 48;
  }

  /** True when another entry would exceed the memory budget. */
  get full(): boolean {
    return this.budget.used >= this.budget.limit;
  }

  /** Gives this set's share back to the budget (when its search is over). */
  release(): void {
    this.budget.used -= this.size * this.entryBytes;
    this.size = 0;
    this.heads.clear();
    this.states = [];
    if (this.chain.length > 0) giveBack(this.pool.buffer as ArrayBuffer);
    [this.pool, this.chain] = [new Uint32Array(0), new Int32Array(0)];
  }

  /**
   * Adds (bits, state) unless present. Returns true when it was new. `stateHash` must be the
   * model's hash of `state`.
   */
  add(bits: Bitset, state: S, stateHash: number): boolean {
    // 30 bits keep the key a V8 small integer: no heap number allocated per lookup.
    const key = (bits.hash ^ Math.imul(stateHash, 0x85ebca6b)) & 0x3fffffff;
    const head = this.heads.get(key);
    const w = this.words;
    const src = bits.words;
    if (head !== undefined) {
      for (let e = head; e !== NONE; e = this.chain[e]!) {
        const base = e * w;
        let same = true;
        for (let j = 0; j < w; j++) {
          if (this.pool[base + j] !== src[j]) {
            same = false;
            break;
          }
        }
        if (same && this.equal(this.states[e]!, state)) return false;
      }
    }
    const e = this.size++;
    this.budget.used += this.entryBytes;
    if (e === this.chain.length) this.grow();
    this.pool.set(src, e * w);
    this.chain[e] = head ?? NONE;
    this.states.push(state);
    this.heads.set(key, e);
    return true;
  }

  private grow(): void {
    const [pool, chain] = this.allocate(this.chain.length * 2);
    pool.set(this.pool);
    chain.set(this.chain);
    giveBack(this.pool.buffer as ArrayBuffer);
    this.pool = pool;
    this.chain = chain;
  }

  /**
   * The pool and chain for `capacity` entries, in one buffer: each typed array allocation of this
   * size happens outside V8's heap and is slow next to a small part's whole search.
   */
  private allocate(capacity: number): [Uint32Array, Int32Array] {
    const buffer = takeBuffer(4 * capacity * (this.words + 1));
    return [
      new Uint32Array(buffer, 0, capacity * this.words),
      new Int32Array(buffer, 4 * capacity * this.words, capacity),
    ];
  }
}
