/**
 * A run parameter's field name (`timeLimitS`, `opTimeoutS`, `readConsistency`) as a person reads
 * it in the report's summary: words, with the unit the suffix stood for (`Time limit (s)`).
 */

/** Names the camel-case split would get wrong or leave cryptic. */
const NAMED: Readonly<Record<string, string>> = {
  db: 'System under test',
  bugs: 'Injected bugs',
  previousError: 'Error of the run this re-check replaced',
};

/** The words for a parameter's field name, e.g. `timeLimitS` -> `Time limit (s)`. */
export function describeParameter(key: string): string {
  const named = NAMED[key];
  if (named) return named;
  const unit = /[a-z](Ms|S)$/.exec(key);
  const stem = unit ? key.slice(0, key.length - unit[1]!.length) : key;
  const words = stem
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase();
  const suffix = unit ? ` (${unit[1] === 'Ms' ? 'ms' : 's'})` : '';
  return words.charAt(0).toUpperCase() + words.slice(1) + suffix;
}
