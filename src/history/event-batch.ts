/**
 * History events in transit between threads: a batch is a Float64Array of fixed-size records
 * (transferred, not copied) plus the strings and JSON values seen for the first time in it, so
 * the receiving thread rebuilds each event without parsing its line again. Both ends keep the
 * same tables; the sender starts them afresh when they grow large (and says so in the batch),
 * so a history of ever-new values cannot make them grow without bound.
 */
import type { EventType, HistoryEvent } from '../../checker/index.js';

const FIELDS = 12;
const TYPE = 0;
const PROCESS = 1;
const F = 2;
const KEY_TAG = 3;
const KEY = 4;
const VALUE_TAG = 5;
const VALUE = 6;
const TIME = 7;
const INDEX = 8;
const NODE = 9;
const ERROR = 10;
const LINE = 11;
/** Tags of a key or value slot. */
const ABSENT = 0;
const NUMBER = 1;
const TABLE = 2;
const TYPES: readonly EventType[] = ['invoke', 'ok', 'fail', 'info'];
const TYPE_CODE: Readonly<Record<string, number>> = { invoke: 0, ok: 1, fail: 2, info: 3 };
/** Events per batch. */
const BATCH = 8192;
/** Table entries after which both ends start their tables afresh. */
const TABLE_LIMIT = 1 << 16;

/** One batch as posted: records and the table entries new in it. */
export interface EventBatch {
  records: Float64Array;
  count: number;
  /** The tables were emptied before this batch. */
  reset: boolean;
  strings: string[];
  /** JSON texts of new values. */
  values: string[];
}

/** Encodes events into batches (the parsing thread's end). */
export class EventBatchWriter {
  private records = new Float64Array(BATCH * FIELDS);
  private count = 0;
  private reset = false;
  private strings = new Map<string, number>();
  private values = new Map<string, number>();
  private newStrings: string[] = [];
  private newValues: string[] = [];

  /** Adds an event; returns a full batch to post, or undefined. */
  add(e: HistoryEvent, line: number): EventBatch | undefined {
    if (this.strings.size + this.values.size > TABLE_LIMIT && this.count === 0) {
      this.strings.clear();
      this.values.clear();
      this.reset = true;
    }
    const r = this.records;
    const at = this.count * FIELDS;
    r[at + TYPE] = TYPE_CODE[e.type]!;
    r[at + PROCESS] = e.process === 'nemesis' ? -1 : e.process;
    r[at + F] = this.string(e.f);
    if (e.key === undefined) r[at + KEY_TAG] = ABSENT;
    else {
      r[at + KEY_TAG] = typeof e.key === 'number' ? NUMBER : TABLE;
      r[at + KEY] = typeof e.key === 'number' ? e.key : this.string(e.key);
    }
    if (!('value' in e)) r[at + VALUE_TAG] = ABSENT;
    else {
      r[at + VALUE_TAG] = typeof e.value === 'number' ? NUMBER : TABLE;
      r[at + VALUE] = typeof e.value === 'number' ? e.value : this.value(e.value);
    }
    r[at + TIME] = e.time;
    r[at + INDEX] = e.index ?? -1;
    r[at + NODE] = e.node === undefined ? -1 : this.string(e.node);
    r[at + ERROR] = e.error === undefined ? -1 : this.string(e.error);
    r[at + LINE] = line;
    return ++this.count === BATCH ? this.take() : undefined;
  }

  /** The events added since the last batch, as a batch (possibly empty). */
  take(): EventBatch {
    const batch: EventBatch = {
      records: this.records,
      count: this.count,
      reset: this.reset,
      strings: this.newStrings,
      values: this.newValues,
    };
    this.records = new Float64Array(BATCH * FIELDS);
    this.count = 0;
    this.reset = false;
    this.newStrings = [];
    this.newValues = [];
    return batch;
  }

  private string(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      this.strings.set(s, (id = this.strings.size));
      this.newStrings.push(s);
    }
    return id;
  }

  private value(v: unknown): number {
    const text = JSON.stringify(v);
    let id = this.values.get(text);
    if (id === undefined) {
      this.values.set(text, (id = this.values.size));
      this.newValues.push(text);
    }
    return id;
  }
}

/** Decodes batches back into events (the receiving thread's end). */
export class EventBatchReader {
  private strings: string[] = [];
  private values: unknown[] = [];

  /** Hands every event of the batch to `push`, in order, with its line. */
  read(batch: EventBatch, push: (event: HistoryEvent, line: number) => void): void {
    if (batch.reset) {
      this.strings = [];
      this.values = [];
    }
    for (const s of batch.strings) this.strings.push(s);
    for (const text of batch.values) this.values.push(JSON.parse(text));
    const r = batch.records;
    for (let k = 0; k < batch.count; k++) {
      const at = k * FIELDS;
      const e: HistoryEvent = {
        type: TYPES[r[at + TYPE]!]!,
        process: r[at + PROCESS] === -1 ? 'nemesis' : r[at + PROCESS]!,
        f: this.strings[r[at + F]!]!,
        time: r[at + TIME]!,
      };
      const keyTag = r[at + KEY_TAG];
      if (keyTag === NUMBER) e.key = r[at + KEY]!;
      else if (keyTag === TABLE) e.key = this.strings[r[at + KEY]!]!;
      const valueTag = r[at + VALUE_TAG];
      if (valueTag === NUMBER) e.value = r[at + VALUE]!;
      else if (valueTag === TABLE) e.value = this.values[r[at + VALUE]!];
      if (r[at + INDEX] !== -1) e.index = r[at + INDEX]!;
      if (r[at + NODE] !== -1) e.node = this.strings[r[at + NODE]!]!;
      if (r[at + ERROR] !== -1) e.error = this.strings[r[at + ERROR]!]!;
      push(e, r[at + LINE]!);
    }
  }
}
