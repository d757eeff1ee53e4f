/**
 * Imports Porcupine's Jepsen etcd logs (`INFO  jepsen.util - <process> <type> <f> <value>`, one
 * event per line, line order = real time; see histories/porcupine/FORMAT.md section 3). Time and
 * index are the 0-based line number; `:timed-out` is not a value but an `error`.
 */
import { readFile } from 'node:fs/promises';
import type { EventType, HistoryEvent } from '../../../checker/index.js';
import type { ReadHistory } from '../jsonl-reader.js';
import { MalformedHistoryError } from '../../../checker/index.js';

const LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:([A-Za-z][\w-]*)\s+(.*?)\s*$/;
const INT = /^-?\d+$/;
const PAIR = /^\[\s*(-?\d+|nil)\s+(-?\d+|nil)\s*\]$/;

function parseValue(text: string): { value?: unknown; error?: string } | undefined {
  if (text === 'nil') return { value: null };
  if (text === ':timed-out') return { error: 'timed-out' };
  if (INT.test(text)) return { value: Number(text) };
  const pair = PAIR.exec(text);
  if (pair) return { value: [pair[1] === 'nil' ? null : Number(pair[1]), pair[2] === 'nil' ? null : Number(pair[2])] };
  return undefined;
}

/** Parses the text of one Porcupine etcd log. */
export function parsePorcupineEtcd(text: string, file?: string): ReadHistory {
  const out: ReadHistory = { events: [], lines: [], warnings: [], positionalTimes: true };
  text.split('\n').forEach((row, i) => {
    if (row.trim() === '') return;
    const m = LINE.exec(row);
    if (!m)
      throw new MalformedHistoryError('expected "INFO jepsen.util - <process> :<type> :<f> <value>"', file, i + 1);
    const v = parseValue(m[4]!);
    if (!v)
      throw new MalformedHistoryError(`value must be nil, an integer, [a b] or :timed-out, got "${m[4]}"`, file, i + 1);
    const e: HistoryEvent = { type: m[2] as EventType, process: Number(m[1]), f: m[3]!, time: i, index: i, ...v };
    out.events.push(e);
    out.lines.push(i + 1);
  });
  return out;
}

/** Reads one Porcupine etcd log file. */
export async function readPorcupineEtcd(file: string): Promise<ReadHistory> {
  return parsePorcupineEtcd(await readFile(file, 'utf8'), file);
}
