/**
 * Imports Porcupine's key-value logs (`{:process 9, :type :invoke, :f :append, :key "0", :value
 * "x 9 0 y"}`, one map per line, line order = real time; FORMAT.md section 3). Time and index are
 * the 0-based line number.
 */
import { readFile } from 'node:fs/promises';
import type { ReadHistory } from '../jsonl-reader.js';
import { eventFromJepsenOp, parseEdnValue } from './edn.js';

/** Parses the text of one Porcupine kv log. */
export function parsePorcupineKv(text: string, file?: string): ReadHistory {
  const out: ReadHistory = { events: [], lines: [], warnings: [], positionalTimes: true };
  text.split('\n').forEach((row, i) => {
    if (row.trim() === '') return;
    const raw = parseEdnValue(row, file, i + 1);
    if (raw && typeof raw === 'object') {
      const m = raw as Record<string, unknown>;
      m.time = i;
      m.index = i;
    }
    out.events.push(eventFromJepsenOp(raw, i, file, i + 1));
    out.lines.push(i + 1);
  });
  return out;
}

/** Reads one Porcupine kv log file. */
export async function readPorcupineKv(file: string): Promise<ReadHistory> {
  return parsePorcupineKv(await readFile(file, 'utf8'), file);
}
