/**
 * Paired ops of a history too big to hold as objects, kept as fixed 64-byte records in typed
 * arrays (against several hundred bytes as an Operation with its event objects). One record is
 * one cache line: a key's ops lie far apart in the history, and reading one of them then costs
 * one memory access, not one per field. Records grow in fixed-size chunks, so growing never
 * copies and the bytes held are known at every moment; a key's ops become Operation objects only
 * while that key is searched.
 *
 * Values are stored inline when they are numbers; anything else (null, strings, arrays) is
 * interned by its JSON text and stored as a NaN whose low word is its number in the table.
 */
import type { HistoryEvent, Key } from './event.js';
import type { Completion, PairingSink } from './pair-events.js';
import type { Operation } from './result.js';

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
const NONE = -1;
const PENDING = 0;
const OK = 1;
const FAILED = 2;
/** Bytes one op's record takes. */
const OP_BYTES = 64;
/** What one interned value or name costs, with its Map entry and text, roughly. */
const INTERNED_BYTES = 96;

// A record as 8 doubles: call, return, input, output, then 8 words of 32 bits.
const CALL = 0;
const RET = 1;
const INPUT = 2;
const OUTPUT = 3;
// ... and as 16 words of 32 bits (words 0-7 are the doubles above).
const KEY = 8;
/** The op name's number in the low 16 bits, the status above. */
const F_STATUS = 9;
const PROCESS = 10;
const INVOKE_INDEX = 11;
const COMPLETE_INDEX = 12;
const NODE = 13;
const ERROR = 14;
const ID = 15;

/** One chunk of records, seen as doubles and as 32-bit words. */
interface Chunk {
  f64: Float64Array;
  i32: Int32Array;
}

/** A table of distinct things, each numbered in order of first sight. */
class Interned<T> {
  readonly items: T[] = [];
  private readonly ids = new Map<unknown, number>();

  id(lookup: unknown, item: T): number {
    let id = this.ids.get(lookup);
    if (id === undefined) {
      id = this.items.length;
      this.ids.set(lookup, id);
      this.items.push(item);
    }
    return id;
  }
}

/** The records, filled by pairing events into them (it is the pairing's sink). */
export class OpStore implements PairingSink<number> {
  /** Slots used: every invoked op, fails included. */
  size = 0;
  /** Ops completed by `fail` (not searched). */
  failed = 0;
  private readonly chunks: Chunk[] = [];
  private readonly keys = new Interned<Key | undefined>();
  private readonly names = new Interned<string>();
  private readonly values = new Interned<unknown>();
  private readonly texts = new Interned<string>();

  /** `charge(bytes)` is called before each growth; it may throw to stop the reading. */
  constructor(private readonly charge: (bytes: number) => void = () => {}) {}

  /** Bytes held now, roughly. */
  get bytes(): number {
    const interned = this.keys.items.length + this.values.items.length + this.texts.items.length;
    return this.chunks.length * CHUNK * OP_BYTES + interned * INTERNED_BYTES;
  }

  invoked(e: HistoryEvent, at: number): number {
    const slot = this.size++;
    if ((slot & MASK) === 0) this.grow();
    const { f64, i32 } = this.chunks[slot >>> CHUNK_BITS]!;
    const d = (slot & MASK) * 8;
    const w = d * 2;
    f64[d + CALL] = e.time;
    f64[d + RET] = NaN;
    this.putValue(f64, i32, d + INPUT, e.value);
    f64[d + OUTPUT] = NaN;
    i32[w + KEY] = this.intern(this.keys, e.key, e.key);
    i32[w + F_STATUS] = this.intern(this.names, e.f, e.f) | (PENDING << 16);
    const process = e.process as number;
    // Process numbers past 32 bits (the spec allows any safe integer) go to the value table.
    i32[w + PROCESS] = process <= 0x7fffffff ? process : -2 - this.intern(this.values, `p${process}`, process);
    i32[w + INVOKE_INDEX] = e.index ?? at;
    i32[w + COMPLETE_INDEX] = NONE;
    i32[w + NODE] = e.node === undefined ? NONE : this.intern(this.texts, e.node, e.node);
    i32[w + ERROR] = NONE;
    return slot;
  }

  completed(slot: number, e: Completion, at: number): void {
    const { f64, i32 } = this.chunks[slot >>> CHUNK_BITS]!;
    const d = (slot & MASK) * 8;
    const w = d * 2;
    if (e.type === 'fail') {
      i32[w + F_STATUS] = (i32[w + F_STATUS]! & 0xffff) | (FAILED << 16);
      this.failed++;
      return;
    }
    i32[w + COMPLETE_INDEX] = e.index ?? at;
    if (i32[w + NODE] === NONE && e.node !== undefined) i32[w + NODE] = this.intern(this.texts, e.node, e.node);
    if (e.error !== undefined) i32[w + ERROR] = this.intern(this.texts, e.error, e.error);
    if (e.type === 'ok') {
      i32[w + F_STATUS] = (i32[w + F_STATUS]! & 0xffff) | (OK << 16);
      f64[d + RET] = e.time;
      this.putValue(f64, i32, d + OUTPUT, e.value);
    }
  }

  /**
   * The searched ops' slots grouped by key, in first-seen key order (as partitionByKey groups),
   * each group in invoke order: `slots[starts[k] .. starts[k + 1]]` is key k. Fails are left out.
   * Numbers the ops too (see {@link operations}).
   */
  groupByKey(): { slots: Int32Array; starts: Int32Array } {
    const K = this.keys.items.length;
    const starts = new Int32Array(K + 1);
    let id = 0;
    for (let slot = 0; slot < this.size; slot++) {
      const i32 = this.chunks[slot >>> CHUNK_BITS]!.i32;
      const w = (slot & MASK) * 16;
      i32[w + ID] = id;
      if (i32[w + F_STATUS]! >>> 16 === FAILED) continue;
      id++;
      starts[i32[w + KEY]! + 1]!++;
    }
    for (let k = 0; k < K; k++) starts[k + 1]! += starts[k]!;
    const fill = starts.slice(0, K);
    const slots = new Int32Array(starts[K]!);
    for (let slot = 0; slot < this.size; slot++) {
      const i32 = this.chunks[slot >>> CHUNK_BITS]!.i32;
      const w = (slot & MASK) * 16;
      if (i32[w + F_STATUS]! >>> 16 !== FAILED) slots[fill[i32[w + KEY]!]!++] = slot;
    }
    return { slots, starts };
  }

  /**
   * The Operations of the given slots (ascending; from {@link groupByKey}, which numbers them),
   * with the ids `pairOperations` would give: dense over the whole history in invoke order,
   * fails not counted.
   */
  operations(slots: ArrayLike<number>): Operation[] {
    const ops: Operation[] = new Array<Operation>(slots.length);
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k]!;
      const { f64, i32 } = this.chunks[slot >>> CHUNK_BITS]!;
      const d = (slot & MASK) * 8;
      const w = d * 2;
      const ok = i32[w + F_STATUS]! >>> 16 === OK;
      const completeIndex = i32[w + COMPLETE_INDEX]!;
      const node = i32[w + NODE]!;
      const error = i32[w + ERROR]!;
      ops[k] = {
        id: i32[w + ID]!,
        process: i32[w + PROCESS]! >= 0 ? i32[w + PROCESS]! : (this.values.items[-2 - i32[w + PROCESS]!] as number),
        f: this.names.items[i32[w + F_STATUS]! & 0xffff]!,
        key: this.keys.items[i32[w + KEY]!],
        input: this.getValue(f64, i32, d + INPUT),
        output: ok ? this.getValue(f64, i32, d + OUTPUT) : undefined,
        status: ok ? 'ok' : 'info',
        call: f64[d + CALL]!,
        return: ok ? f64[d + RET]! : null,
        invokeIndex: i32[w + INVOKE_INDEX]!,
        completeIndex: completeIndex === NONE ? undefined : completeIndex,
        node: node === NONE ? undefined : this.texts.items[node],
        error: error === NONE ? undefined : this.texts.items[error],
      } as Operation;
    }
    return ops;
  }

  private intern<T>(table: Interned<T>, lookup: unknown, item: T): number {
    const before = table.items.length;
    const id = table.id(lookup, item);
    if (table.items.length !== before) this.charge(INTERNED_BYTES);
    return id;
  }

  /** Stores value `v` in double `d` of a chunk. */
  private putValue(f64: Float64Array, i32: Int32Array, d: number, v: unknown): void {
    if (typeof v === 'number' && v === v && !Object.is(v, -0)) {
      f64[d] = v;
      return;
    }
    const id = this.intern(this.values, v === undefined ? '' : JSON.stringify(v), v);
    // A quiet NaN with the table number in its low word (little-endian: the low word comes first).
    i32[2 * d + 1] = 0x7ff80001;
    i32[2 * d] = id;
  }

  private getValue(f64: Float64Array, i32: Int32Array, d: number): unknown {
    const x = f64[d]!;
    if (x === x) return x;
    return this.values.items[i32[2 * d]!];
  }

  private grow(): void {
    this.charge(CHUNK * OP_BYTES);
    const f64 = new Float64Array(CHUNK * 8);
    this.chunks.push({ f64, i32: new Int32Array(f64.buffer) });
  }
}
