/**
 * Importers of foreign history formats, chosen by name (`--format`). Each turns a file into the
 * same ReadHistory the JSONL reader returns, so everything downstream speaks one format.
 */
import { readJsonl, type ReadHistory } from '../jsonl-reader.js';
import { readEdnHistory } from './edn.js';
import { readPorcupineEtcd } from './porcupine-etcd.js';
import { readPorcupineKv } from './porcupine-kv.js';

export { parseEdnHistory, readEdnHistory } from './edn.js';
export { parsePorcupineEtcd, readPorcupineEtcd } from './porcupine-etcd.js';
export { parsePorcupineKv, readPorcupineKv } from './porcupine-kv.js';

/** Every history format `--format` accepts. */
export const HISTORY_FORMATS = ['jsonl', 'edn', 'porcupine-etcd', 'porcupine-kv'] as const;

/** A name from {@link HISTORY_FORMATS}. */
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];

const READERS: Record<HistoryFormat, (file: string) => Promise<ReadHistory>> = {
  jsonl: readJsonl,
  edn: readEdnHistory,
  'porcupine-etcd': readPorcupineEtcd,
  'porcupine-kv': readPorcupineKv,
};

/** Reads a history file in the named format; throws MalformedHistoryError on bad input. */
export function readHistory(file: string, format: HistoryFormat = 'jsonl'): Promise<ReadHistory> {
  return READERS[format](file);
}
