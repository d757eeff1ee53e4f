/**
 * Imports a Jepsen `history.edn`: either one op map per line (what Jepsen writes today) or one
 * vector/list of op maps. Parsing is edn-data's; this file only maps Jepsen's op fields onto
 * the spec's event fields.
 */
import { readFile } from 'node:fs/promises';
import { parseEDNString } from 'edn-data';
import type { HistoryEvent } from '../event.js';
import type { ReadHistory } from '../jsonl-reader.js';
import { MalformedHistoryError } from '../../../checker/index.js';
import { validateEvent } from '../validate-event.js';

const EDN_OPTIONS = { mapAs: 'object', keywordAs: 'string', setAs: 'array', listAs: 'array', charAs: 'string', symbolAs: 'string' } as const;

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
export function eventFromJepsenOp(raw: unknown, position: number, file: string | undefined, line: number): HistoryEvent {
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
  if (m.error !== undefined && m.error !== null) e.error = typeof m.error === 'string' ? m.error : JSON.stringify(m.error);
  const checked = validateEvent(e);
  if ('problem' in checked) throw new MalformedHistoryError(checked.problem, file, line);
  return checked.event;
}

/** Parses the text of a Jepsen history.edn. */
export function parseEdnHistory(text: string, file?: string): ReadHistory {
  const out: ReadHistory = { events: [], lines: [], warnings: [] };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('(')) {
    const all = parseEdnValue(text, file, 1);
    if (!Array.isArray(all)) throw new MalformedHistoryError('expected a vector of op maps', file, 1);
    all.forEach((op: unknown, i) => {
      out.events.push(eventFromJepsenOp(op, i, file, 1));
      out.lines.push(1);
    });
    return out;
  }
  const rows = text.split('\n');
  rows.forEach((row, i) => {
    if (row.trim() === '' || row.trimStart().startsWith(';')) return;
    out.events.push(eventFromJepsenOp(parseEdnValue(row, file, i + 1), out.events.length, file, i + 1));
    out.lines.push(i + 1);
  });
  return out;
}

/** Reads a Jepsen history.edn file. */
export async function readEdnHistory(file: string): Promise<ReadHistory> {
  return parseEdnHistory(await readFile(file, 'utf8'), file);
}
