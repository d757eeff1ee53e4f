/**
 * Imports a Jepsen `history.edn`: op maps one per line (what Jepsen writes today) or in one
 * vector/list (Knossos's test data), comments allowed. Parsing a form is edn-data's; this file
 * maps Jepsen's op fields onto the spec's event fields.
 */
import { readFile } from 'node:fs/promises';
import { parseEDNString } from 'edn-data';
import type { HistoryEvent } from '../../../checker/index.js';
import type { ReadHistory } from '../jsonl-reader.js';
import { MalformedHistoryError } from '../../../checker/index.js';
import { validateEvent } from '../validate-event.js';
import { innerEdnForms, splitEdnForms, type EdnForm } from './edn-forms.js';

const EDN_OPTIONS = {
  mapAs: 'object',
  keywordAs: 'string',
  setAs: 'array',
  listAs: 'array',
  charAs: 'string',
  symbolAs: 'string',
} as const;

/** Parses one EDN value, turning parser errors into MalformedHistoryError at `line`. */
export function parseEdnValue(text: string, file: string | undefined, line: number): unknown {
  try {
    return parseEDNString(text, EDN_OPTIONS);
  } catch (err) {
    throw new MalformedHistoryError(`not valid EDN (${(err as Error).message})`, file, line);
  }
}

/**
 * Maps one Jepsen op map onto a history event. `position` fills `time` and `index` when the map
 * has none (Jepsen always writes both; hand-written histories often do not).
 */
export function eventFromJepsenOp(
  raw: unknown,
  position: number,
  file: string | undefined,
  line: number,
): HistoryEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MalformedHistoryError('expected an op map such as {:type :invoke, :process 0, :f :read}', file, line);
  }
  const m = raw as Record<string, unknown>;
  const e: Record<string, unknown> = {
    type: m.type,
    process: m.process,
    f: m.f,
    time: m.time ?? position,
    index: m.index ?? position,
  };
  if (typeof e.time === 'bigint') e.time = Number(e.time);
  if (m.key !== undefined && m.key !== null) e.key = m.key;
  if (m.value !== undefined) e.value = m.value;
  if (typeof m.node === 'string') e.node = m.node;
  if (m.error !== undefined && m.error !== null)
    e.error = typeof m.error === 'string' ? m.error : JSON.stringify(m.error);
  const checked = validateEvent(e);
  if ('problem' in checked) throw new MalformedHistoryError(checked.problem, file, line);
  return checked.event;
}

/**
 * Parses the text of a Jepsen history.edn: any sequence of op maps (one per line as Jepsen
 * writes them, or spread over lines), or one vector or list holding them, with `;` comments
 * anywhere. An op may also be Knossos's compact tuple `[process type f value error?]`. A history whose
 * every value is a jepsen.independent `[key value]` tuple becomes keyed ops (see
 * {@link liftIndependentTuples}).
 */
export function parseEdnHistory(text: string, file?: string): ReadHistory {
  const out: ReadHistory = { events: [], lines: [], warnings: [] };
  const forms = splitEdnForms(text);
  const opForms = forms.length === 1 && isOpCollection(forms[0]!) ? innerEdnForms(forms[0]!) : forms;
  for (const form of opForms) {
    const raw = parseEdnValue(form.text, file, form.line);
    if (!hasTime(raw)) out.positionalTimes = true;
    out.events.push(eventFromJepsenOp(opMapOf(raw), out.events.length, file, form.line));
    out.lines.push(form.line);
  }
  const keyed = liftIndependentTuples(out.events);
  if (keyed) {
    out.events = keyed;
    out.warnings.push('every value is a [key value] tuple (jepsen.independent): read as keyed ops');
  }
  return out;
}

/** True when an op map carries Jepsen's `:time`; ops without one get their position instead. */
function hasTime(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as { time?: unknown }).time != null;
}

/** True for a vector or list whose first element is itself an op (a map or a tuple). */
function isOpCollection(form: EdnForm): boolean {
  if (!form.text.startsWith('[') && !form.text.startsWith('(')) return false;
  const first = innerEdnForms(form)[0];
  return first === undefined || first.text.startsWith('{') || first.text.startsWith('[');
}

const TUPLE_FIELDS = ['process', 'type', 'f', 'value', 'error'] as const;

/** Knossos's compact `[process type f value error?]` op as a map; anything else is returned unchanged. */
function opMapOf(raw: unknown): unknown {
  if (!Array.isArray(raw) || raw.length < 4 || raw.length > TUPLE_FIELDS.length) return raw;
  return Object.fromEntries(TUPLE_FIELDS.map((field, i) => [field, raw[i]]));
}

/**
 * jepsen.independent runs one register per key and records each op's value as a `[key value]`
 * tuple. When every client event carries such a tuple, returns the events with `key` and the
 * inner value split apart; otherwise undefined. A history of cas ops alone is ambiguous (a plain
 * cas value `[old new]` is a pair too), so it counts as keyed only when its cas values are
 * `[key [old new]]`.
 */
export function liftIndependentTuples(events: readonly HistoryEvent[]): HistoryEvent[] | undefined {
  const client = events.filter((e) => e.process !== 'nemesis');
  const isTuple = (v: unknown): v is [string | number, unknown] =>
    Array.isArray(v) && v.length === 2 && (typeof v[0] === 'string' || Number.isSafeInteger(v[0]));
  if (client.length === 0 || !client.every((e) => e.key === undefined && isTuple(e.value))) return undefined;
  const casOnly = client.every((e) => e.f === 'cas');
  if (casOnly && !client.every((e) => Array.isArray((e.value as unknown[])[1]))) return undefined;
  return events.map((e) => {
    if (e.process === 'nemesis') return e;
    const [key, value] = e.value as [string | number, unknown];
    return { ...e, key, value };
  });
}

/** Reads a Jepsen history.edn file. */
export async function readEdnHistory(file: string): Promise<ReadHistory> {
  return parseEdnHistory(await readFile(file, 'utf8'), file);
}
