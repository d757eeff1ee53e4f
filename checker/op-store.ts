/**
 * Paired ops of a history too big to hold as objects, kept in typed-array columns (about 60
 * bytes an op against several hundred as an Operation with its event objects). Columns grow in
 * fixed-size chunks, so growing never copies and the bytes held are known at every moment; a
 * key's ops become Operation objects only while that key is searched.
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
/** Bytes one op takes over all columns. */
const OP_BYTES = 4 + 2 + 1 + 8 * 5 + 4 * 4;
/** What one interned value or name costs, with its Map entry and text, roughly. */
const INTERNED_BYTES = 96;

/** One chunk of every column. */
interface Chunk {
  key: Int32Array;
  f: Uint16Array;
  status: Uint8Array;
  process: Float64Array;
  call: Float64Array;
  ret: Float64Array;
  input: Float64Array;
  output: Float64Array;
  /** 32-bit views of `input` and `output`, to read and write a boxed value's table number. */
  input32: Uint32Array;
  output32: Uint32Array;
  invokeIndex: Int32Array;
  completeIndex: Int32Array;
  node: Int32Array;
  error: Int32Array;
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

/** The columns, filled by pairing events into them (it is the pairing's sink). */
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

  /** Bytes held by the columns and the tables, roughly; called before each growth. */
  constructor(private readonly charge: (bytes: number) => void = () => {}) {}

  /** Bytes held now, roughly. */
  get bytes(): number {
    return (
      this.chunks.length * CHUNK * OP_BYTES +
      (this.keys.items.length + this.values.items.length + this.texts.items.length) * INTERNED_BYTES
    );
  }

  invoked(e: HistoryEvent, at: number): number {
    const slot = this.size++;
    if ((slot & MASK) === 0) this.grow();
    const c = this.chunks[slot >>> CHUNK_BITS]!;
    const j = slot & MASK;
    c.key[j] = this.intern(this.keys, e.key, e.key);
    c.f[j] = this.intern(this.names, e.f, e.f);
    c.status[j] = PENDING;
    c.process[j] = e.process as number;
    c.call[j] = e.time;
    c.ret[j] = NaN;
    this.putValue(c.input, c.input32, j, e.value);
    c.output[j] = NaN;
    c.invokeIndex[j] = e.index ?? at;
    c.completeIndex[j] = NONE;
    c.node[j] = e.node === undefined ? NONE : this.intern(this.texts, e.node, e.node);
    c.error[j] = NONE;
    return slot;
  }

  completed(slot: number, e: Completion, at: number): void {
    const c = this.chunks[slot >>> CHUNK_BITS]!;
    const j = slot & MASK;
    if (e.type === 'fail') {
      c.status[j] = FAILED;
      this.failed++;
      return;
    }
    c.completeIndex[j] = e.index ?? at;
    if (c.node[j] === NONE && e.node !== undefined) c.node[j] = this.intern(this.texts, e.node, e.node);
    if (e.error !== undefined) c.error[j] = this.intern(this.texts, e.error, e.error);
    if (e.type === 'ok') {
      c.status[j] = OK;
      c.ret[j] = e.time;
      this.putValue(c.output, c.output32, j, e.value);
    }
  }

  /** Number of distinct keys seen. */
  get keyCount(): number {
    return this.keys.items.length;
  }

  /**
   * The searched ops' slots grouped by key, in first-seen key order (as partitionByKey groups),
   * each group in invoke order: `slots[starts[k] .. starts[k + 1]]` is key k. Fails are left out.
   */
  groupByKey(): { slots: Int32Array; starts: Int32Array } {
    const K = this.keys.items.length;
    const starts = new Int32Array(K + 1);
    this.forEachSearched((c, j) => starts[c.key[j]! + 1]!++);
    for (let k = 0; k < K; k++) starts[k + 1]! += starts[k]!;
    const fill = starts.slice(0, K);
    const slots = new Int32Array(starts[K]!);
    this.forEachSearched((c, j, slot) => (slots[fill[c.key[j]!]!++] = slot));
    return { slots, starts };
  }

  /**
   * The Operations of the given slots (ascending), with the ids {@link pairOperations} would
   * give: dense over the whole history in invoke order, fails not counted. `failsBefore(slot)`
   * is supplied by {@link idsOf}.
   */
  operations(slots: ArrayLike<number>, ids: (slot: number) => number): Operation[] {
    const ops: Operation[] = new Array<Operation>(slots.length);
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k]!;
      const c = this.chunks[slot >>> CHUNK_BITS]!;
      const j = slot & MASK;
      const ok = c.status[j] === OK;
      const completeIndex = c.completeIndex[j]!;
      ops[k] = {
        id: ids(slot),
        process: c.process[j]!,
        f: this.names.items[c.f[j]!]!,
        key: this.keys.items[c.key[j]!],
        input: this.getValue(c.input, c.input32, j),
        output: ok ? this.getValue(c.output, c.output32, j) : undefined,
        status: ok ? 'ok' : 'info',
        call: c.call[j]!,
        return: ok ? c.ret[j]! : null,
        invokeIndex: c.invokeIndex[j]!,
        completeIndex: completeIndex === NONE ? undefined : completeIndex,
        node: c.node[j] === NONE ? undefined : this.texts.items[c.node[j]!],
        error: c.error[j] === NONE ? undefined : this.texts.items[c.error[j]!],
      } as Operation;
    }
    return ops;
  }

  /** Maps a slot to its op id: its rank among the slots that were not failed. */
  idsOf(): (slot: number) => number {
    // Fails are rare: a sorted list of their slots and a binary search beat a column of ids.
    const fails: number[] = [];
    this.forEachSlot((c, j, slot) => {
      if (c.status[j] === FAILED) fails.push(slot);
    });
    return (slot) => {
      let lo = 0;
      let hi = fails.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (fails[mid]! < slot) lo = mid + 1;
        else hi = mid;
      }
      return slot - lo;
    };
  }

  private forEachSlot(visit: (c: Chunk, j: number, slot: number) => void): void {
    for (let slot = 0; slot < this.size; slot++) visit(this.chunks[slot >>> CHUNK_BITS]!, slot & MASK, slot);
  }

  private forEachSearched(visit: (c: Chunk, j: number, slot: number) => void): void {
    this.forEachSlot((c, j, slot) => {
      if (c.status[j] !== FAILED) visit(c, j, slot);
    });
  }

  private intern<T>(table: Interned<T>, lookup: unknown, item: T): number {
    const before = table.items.length;
    const id = table.id(lookup, item);
    if (table.items.length !== before) this.charge(INTERNED_BYTES);
    return id;
  }

  private putValue(col: Float64Array, col32: Uint32Array, j: number, v: unknown): void {
    if (typeof v === 'number' && v === v && !Object.is(v, -0)) {
      col[j] = v;
      return;
    }
    const text = v === undefined ? '' : JSON.stringify(v);
    const id = this.intern(this.values, text, v);
    // A quiet NaN with the table number in its low word (little-endian: word 2j is the low one).
    col32[2 * j + 1] = 0x7ff80001;
    col32[2 * j] = id;
  }

  private getValue(col: Float64Array, col32: Uint32Array, j: number): unknown {
    const x = col[j]!;
    if (x === x) return x;
    return this.values.items[col32[2 * j]!];
  }

  private grow(): void {
    this.charge(CHUNK * OP_BYTES);
    const input = new Float64Array(CHUNK);
    const output = new Float64Array(CHUNK);
    this.chunks.push({
      key: new Int32Array(CHUNK),
      f: new Uint16Array(CHUNK),
      status: new Uint8Array(CHUNK),
      process: new Float64Array(CHUNK),
      call: new Float64Array(CHUNK),
      ret: new Float64Array(CHUNK),
      input,
      output,
      input32: new Uint32Array(input.buffer),
      output32: new Uint32Array(output.buffer),
      invokeIndex: new Int32Array(CHUNK),
      completeIndex: new Int32Array(CHUNK),
      node: new Int32Array(CHUNK),
      error: new Int32Array(CHUNK),
    });
  }
}
