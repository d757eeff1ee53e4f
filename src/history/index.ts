/**
 * History I/O: the event type every part of splitbrain speaks (spec/history-format.md), the
 * JSONL reader and incremental writer, importers of Jepsen EDN and Porcupine logs, and the
 * pairing of invoke/completion events into the Operations the checker searches.
 */
export { isClientEvent, type EventType, type HistoryEvent, type Key, type Process } from './event.js';
export { MalformedHistoryError } from './malformed-history-error.js';
export { validateEvent } from './validate-event.js';
export { parseJsonl, readJsonl, type ReadHistory } from './jsonl-reader.js';
export { HistoryWriter, type HistoryWriterOptions } from './jsonl-writer.js';
export { pairOperations, type PairedHistory, type PairOptions } from './pair-operations.js';
export {
  HISTORY_FORMATS,
  parseEdnHistory,
  parsePorcupineEtcd,
  parsePorcupineKv,
  readHistory,
  type HistoryFormat,
} from './importers/index.js';
