/**
 * Equality and hashing of JSON values, the defaults for model states. Primitives compare with
 * `===`; arrays and objects by their JSON text, which is exact for the values histories carry.
 */

/** True when two JSON values are the same value. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A 32-bit hash of a JSON value, consistent with {@link sameValue}. */
export function hashValue(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31)
    return Math.imul(v | 0, 0x9e3779b1) ^ 0x5bd1e995;
  if (typeof v === 'string') return hashString(v);
  if (v === null) return 0x27d4eb2f;
  if (v === undefined) return 0x165667b1;
  if (typeof v === 'boolean') return v ? 0x1b873593 : 0x2c1b3c6d;
  return hashString(JSON.stringify(v) ?? '');
}

/** FNV-1a over the UTF-16 code units of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

/**
 * A key for a JSON value in a Set or Map, equal for equal values: numbers, booleans, null and
 * undefined stand for themselves (no string made for the common case), strings and objects
 * become tagged text, which no number equals.
 */
export function valueKey(v: unknown): unknown {
  if (typeof v === 'string') return `s${v}`;
  if (typeof v !== 'object' || v === null) return v;
  return `j${JSON.stringify(v)}`;
}
