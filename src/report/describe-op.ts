import type { Operation } from '../../checker/index.js';

/** Renders a value of a history compactly for labels and sentences (JSON, `nil` for null). */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'string') return JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Renders one op as a person says it: `read → 3`, `write 4`, `cas 1→2`, `get → "ab"`. */
export function describeOp(op: Pick<Operation, 'f' | 'input' | 'output' | 'status'>): string {
  const unknown = op.status === 'info';
  const shown = unknown ? '?' : describeValue(op.output);
  if (op.f === 'read' || op.f === 'get') return `${op.f} → ${shown}`;
  if (op.f === 'cas' && Array.isArray(op.input) && op.input.length === 2) {
    return `cas ${describeValue(op.input[0])}→${describeValue(op.input[1])}`;
  }
  return op.input === undefined || op.input === null ? op.f : `${op.f} ${describeValue(op.input)}`;
}

/** Formats a history time (ns since the test began) in the unit a person reads best. */
export function describeTime(ns: number): string {
  if (Math.abs(ns) < 1e3) return `${ns} ns`;
  if (Math.abs(ns) < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (Math.abs(ns) < 1e9) return `${(ns / 1e6).toFixed(1)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}
