/**
 * History I/O: the JSONL reader and incremental writer and importers of Jepsen EDN and Porcupine
 * logs. The event type they speak (spec/history-format.md), its pairing into operations and the
 * error for malformed input belong to the checker, which stands alone; they are re-exported here
 * for the toolkit's readers and writers.
 */
export type { EventType, HistoryEvent, Key, Process } from '../../checker/index.js';
export { MalformedHistoryError } from '../../checker/index.js';
export { readJsonl, streamJsonl, type ReadHistory } from './jsonl-reader.js';
export { HistoryWriter } from './jsonl-writer.js';
export { HISTORY_FORMATS, readHistory, type HistoryFormat } from './importers/index.js';
