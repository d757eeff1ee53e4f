/**
 * Field-by-field validation of one parsed JSONL object against spec/history-format.md. Returns
 * the problem as a sentence rather than throwing, so callers can add the file and line.
 */
import type { EventType, HistoryEvent } from '../../checker/index.js';

const TYPES: ReadonlySet<string> = new Set<EventType>(['invoke', 'ok', 'fail', 'info']);
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'process',
  'f',
  'key',
  'value',
  'time',
  'index',
  'node',
  'error',
]);

/** Checks one decoded JSON value as a history event: the event, or a sentence saying what is wrong. */
export function validateEvent(raw: unknown): { event: HistoryEvent } | { problem: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      problem: `expected a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
    };
  }
  const o = raw as Record<string, unknown>;
  if (!('type' in o)) return { problem: 'missing field "type"' };
  if (typeof o.type !== 'string' || !TYPES.has(o.type)) {
    return { problem: `"type" must be one of "invoke", "ok", "fail", "info", got ${JSON.stringify(o.type)}` };
  }
  if (!('process' in o)) return { problem: 'missing field "process"' };
  if (o.process !== 'nemesis' && !(Number.isSafeInteger(o.process) && (o.process as number) >= 0)) {
    return { problem: `"process" must be an integer >= 0 or "nemesis", got ${JSON.stringify(o.process)}` };
  }
  if (!('f' in o)) return { problem: 'missing field "f"' };
  if (typeof o.f !== 'string' || o.f === '')
    return { problem: `"f" must be a non-empty string, got ${JSON.stringify(o.f)}` };
  if (!('time' in o)) return { problem: 'missing field "time"' };
  if (!Number.isSafeInteger(o.time))
    return { problem: `"time" must be an integer (ns), got ${JSON.stringify(o.time)}` };
  if ('key' in o && typeof o.key !== 'string' && !Number.isSafeInteger(o.key)) {
    return { problem: `"key" must be a string or an integer, got ${JSON.stringify(o.key)}` };
  }
  if ('index' in o && !(Number.isSafeInteger(o.index) && (o.index as number) >= 0)) {
    return { problem: `"index" must be an integer >= 0, got ${JSON.stringify(o.index)}` };
  }
  if ('node' in o && typeof o.node !== 'string')
    return { problem: `"node" must be a string, got ${JSON.stringify(o.node)}` };
  if ('error' in o && typeof o.error !== 'string') {
    return { problem: `"error" must be a string, got ${JSON.stringify(o.error)}` };
  }
  for (const field in o) {
    if (!KNOWN_FIELDS.has(field)) return { problem: `unknown field ${JSON.stringify(field)}` };
  }
  return { event: o as unknown as HistoryEvent };
}
