/**
 * The history event type lives with the checker, which must stand alone; the toolkit's files
 * import it from here so the history's vocabulary has one home in src/.
 */
export type { EventType, HistoryEvent, Key, Process } from '../../checker/index.js';
