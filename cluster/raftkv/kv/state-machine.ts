/**
 * The replicated key-value map that committed log entries are applied to. Deterministic: every
 * replica applying the same entries in the same order holds the same map and answers the same
 * results, which is what State Machine Safety promises.
 */
import type { Entry } from '../core/index.js';
import { decodeCommand, type ApplyResult, type KvCommand } from './command.js';

/** Deep value equality for JSON values (cas compares what clients sent as JSON). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return (
    ka.length === kb.length &&
    ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * Decoded commands by entry object: replicas in one process (the simulator) share entry objects,
 * so each command is parsed once rather than once per replica. Entries are never mutated.
 */
const decoded = new WeakMap<Entry, KvCommand>();

interface SnapshotData {
  applied: number;
  data: Array<[string, unknown]>;
  results: Array<[string, ApplyResult]>;
}

/** Options for KvStateMachine. */
export interface KvStateMachineOptions {
  /** How many request ids to remember for deduplicating retries (oldest forgotten first). Default 100000. */
  maxRememberedRequests?: number;
}

/**
 * A map from key to JSON value plus a bounded table of request results, so a command retried
 * under the same requestId (the client's timeout-and-retry) is applied once and answered with
 * its first result (Raft thesis §6.3).
 */
export class KvStateMachine {
  private data = new Map<string, unknown>();
  private results = new Map<string, ApplyResult>();
  private readonly maxRemembered: number;
  /** The index of the last entry applied (or restored from a snapshot). */
  applied = 0;

  constructor(opts: KvStateMachineOptions = {}) {
    this.maxRemembered = opts.maxRememberedRequests ?? 100_000;
  }

  /**
   * Applies one committed entry; returns the command's result, or undefined for entries that
   * carry no command (the leader's no-op). A duplicate requestId returns the remembered result.
   */
  apply(entry: Entry): ApplyResult | undefined {
    if (entry.index > this.applied) this.applied = entry.index;
    if (entry.type !== 'normal' || entry.data === '') return undefined;
    let cmd = decoded.get(entry);
    if (!cmd) {
      cmd = decodeCommand(entry.data);
      decoded.set(entry, cmd);
    }
    const seen = this.results.get(cmd.requestId);
    if (seen) return seen;
    let result: ApplyResult;
    if (cmd.kind === 'write') {
      this.data.set(cmd.key, cmd.value ?? null);
      result = { requestId: cmd.requestId, ok: true, value: cmd.value ?? null };
    } else {
      const current = this.read(cmd.key);
      if (jsonEqual(current, cmd.expected ?? null)) {
        this.data.set(cmd.key, cmd.new ?? null);
        result = { requestId: cmd.requestId, ok: true, value: cmd.new ?? null };
      } else {
        result = { requestId: cmd.requestId, ok: false, error: 'cas-mismatch', current };
      }
    }
    this.results.set(cmd.requestId, result);
    if (this.results.size > this.maxRemembered) {
      const oldest = this.results.keys().next().value as string;
      this.results.delete(oldest);
    }
    return result;
  }

  /** The value of `key`, or null when it was never written. */
  read(key: string): unknown {
    return this.data.has(key) ? this.data.get(key) : null;
  }

  /** Serializes the map and the dedup table (for MemoryStorage.createSnapshot). */
  snapshot(): string {
    const s: SnapshotData = { applied: this.applied, data: [...this.data], results: [...this.results] };
    return JSON.stringify(s);
  }

  /** Replaces the state with a snapshot() string; '' resets to empty. */
  restore(data: string): void {
    if (data === '') {
      this.data = new Map();
      this.results = new Map();
      this.applied = 0;
      return;
    }
    const s = JSON.parse(data) as SnapshotData;
    this.data = new Map(s.data);
    this.results = new Map(s.results);
    this.applied = s.applied;
  }
}
