/**
 * The commands the KV layer stores in log entries (Entry.data is their JSON) and the results
 * applying them gives. Shared by the node (which encodes client requests) and the simulator.
 */

/** A write or compare-and-set, as carried in a log entry. `requestId` makes a client retry apply once. */
export interface KvCommand {
  requestId: string;
  kind: 'write' | 'cas';
  key: string;
  /** write: the value to store. */
  value?: unknown;
  /** cas: the value the key must hold (null = never written). */
  expected?: unknown;
  /** cas: the value to store when it does. */
  new?: unknown;
}

/** What applying a command gave: the stored value, or a cas mismatch with the current value. */
export type ApplyResult =
  | { requestId: string; ok: true; value: unknown }
  | { requestId: string; ok: false; error: 'cas-mismatch'; current: unknown };

/** Encodes a command for Entry.data. */
export function encodeCommand(c: KvCommand): string {
  return JSON.stringify(c);
}

/** Decodes Entry.data into a command; throws on anything that is not one. */
export function decodeCommand(data: string): KvCommand {
  const c = JSON.parse(data) as Partial<KvCommand>;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.requestId !== 'string' ||
    typeof c.key !== 'string' ||
    (c.kind !== 'write' && c.kind !== 'cas')
  ) {
    throw new TypeError(`not a KV command: ${data.slice(0, 200)}`);
  }
  return c as KvCommand;
}
